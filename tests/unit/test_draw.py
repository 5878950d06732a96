"""The verifiable draw ``lct-draw-v1``: the test vectors of docs/fairness.md, properties, tampering, uniform()."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from itertools import chain, islice, permutations, repeat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lct.domain import draw
from lct.domain.catalogues import ORIGINAL
from lct.domain.draw import Seat

FAIRNESS_DOC = Path(__file__).resolve().parents[2] / "docs" / "fairness.md"
SPAN = 2**32


# --- the test vectors, read from docs/fairness.md ----------------------------------------------------------------


@dataclass(frozen=True)
class Vector:
    """One "### Test vector" section of docs/fairness.md, parsed from its fenced blocks."""

    title: str
    proof: dict[str, Any]  # the object verifyProof takes: tournamentId, mode, drawCommitment, drawProof, ...
    message_hex: str
    values: dict[str, str]  # commitment, key, block 0, numbers
    trace: list[list[str]]  # rows of the "text trace" block (empty when the vector has none)
    plays: list[str]  # the "plays <club>" column of the "text assignment" block

    @property
    def seats(self) -> list[Seat]:
        return [Seat(s["name"], s["surname"], s["clientSeed"], s["club"]) for s in self.proof["drawProof"]["seats"]]

    @property
    def seed(self) -> bytes:
        return bytes.fromhex(self.proof["drawProof"]["serverSeed"])

    @property
    def numbers(self) -> list[int]:
        return [int(n) for n in self.values["numbers"].split()]


_BLOCK = re.compile(r"^```(\w+)(?: (\w+))?\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks(section: str) -> dict[str, str]:
    return {(name or language): body for language, name, body in _BLOCK.findall(section)}


def _message_hex(block: str) -> str:
    """The "text message" block: one field per line, "<length> <bytes>  # what it is"."""
    return "".join("".join(line.split("#", 1)[0].split()) for line in block.splitlines())


def _values(block: str) -> dict[str, str]:
    return dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in block.splitlines() if line.strip())


def doc_vectors(text: str | None = None) -> list[Vector]:
    """Every test vector of docs/fairness.md (shared with tests/e2e/test_draw_proof_browser.py)."""
    text = FAIRNESS_DOC.read_text(encoding="utf-8") if text is None else text
    sections = re.split(r"^### ", text, flags=re.MULTILINE)
    vectors = []
    for section in sections:
        if not section.startswith("Test vector "):
            continue
        blocks = _blocks(section)
        trace = [re.split(r"\s{2,}", line.strip()) for line in blocks.get("trace", "").splitlines()[1:]]
        vectors.append(
            Vector(
                title=section.splitlines()[0],
                proof=json.loads(blocks["json"]),
                message_hex=_message_hex(blocks["message"]),
                values=_values(blocks["values"]),
                trace=trace,
                plays=[line.rsplit("plays ", 1)[1] for line in blocks["assignment"].splitlines()],
            )
        )
    return vectors


VECTORS = doc_vectors()
BY_MODE = {v.proof["mode"]: v for v in VECTORS}


def test_the_doc_has_a_pool_and_a_random_vector() -> None:
    assert [v.proof["mode"] for v in VECTORS] == ["pool", "random"]
    pool = BY_MODE["pool"]
    assert pool.seed == bytes(range(32))
    assert len(pool.seats) == 4
    assert any(not s.name.isascii() or not s.surname.isascii() for s in pool.seats)
    assert any(s.client_seed == "" for s in pool.seats)
    assert all(s.club in ORIGINAL for s in pool.seats)
    assert len(BY_MODE["random"].seats) == 3
    assert all(v.proof["catalogue"] == list(ORIGINAL) for v in VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.proof["mode"])
def test_doc_vector_matches_the_code(vector: Vector) -> None:
    p, seats, seed = vector.proof, vector.seats, vector.seed
    assert p["drawProof"]["algorithm"] == draw.ALGORITHM
    assert draw.commitment(seed) == p["drawCommitment"] == vector.values["commitment"]
    assert draw.message(p["tournamentId"], p["mode"], seats).hex() == vector.message_hex
    key = draw.draw_key(seed, p["tournamentId"], p["mode"], seats)
    assert key.hex() == vector.values["key"]
    assert hmac.digest(key, bytes(8), "sha256").hex() == vector.values["block 0"]
    assert list(islice(draw.numbers(key), 8)) == vector.numbers
    result = draw.assign(seed, p["tournamentId"], p["mode"], seats, p["catalogue"])
    assert result == p["result"] == vector.plays
    assert draw.verify(p["tournamentId"], p["mode"], p["drawCommitment"], seed.hex(), seats, p["catalogue"], result)


def test_doc_trace_matches_the_shuffle() -> None:
    vector = BY_MODE["pool"]
    p = vector.proof
    stream = draw.numbers(draw.draw_key(vector.seed, p["tournamentId"], "pool", vector.seats))
    items = [s.club for s in vector.seats]
    rows = []
    for i in range(len(items) - 1, 0, -1):
        u = next(stream)
        assert u < SPAN - SPAN % (i + 1)  # the vector has no rejection; the crafted-stream tests cover that branch
        j = u % (i + 1)
        items[i], items[j] = items[j], items[i]
        rows.append([str(i), str(i + 1), str(u), str(SPAN - SPAN % (i + 1)), str(j), ", ".join(items)])
    assert vector.trace == rows
    assert items == p["result"]


def test_doc_message_field_lengths_count_utf8_bytes() -> None:
    vector = BY_MODE["pool"]
    message = bytes.fromhex(vector.message_hex)
    fields = []
    while message:
        length = int.from_bytes(message[:4], "big")
        fields.append(message[4 : 4 + length].decode("utf-8"))
        message = message[4 + length :]
    seat = vector.seats[0]
    assert fields[:3] == [draw.ALGORITHM, vector.proof["tournamentId"], "pool"]
    assert fields[3:7] == [seat.name, seat.surname, seat.client_seed, seat.club]
    assert len(seat.name) < len(seat.name.encode())  # "Łucja": 5 characters, 6 bytes


# --- tampering ---------------------------------------------------------------------------------------------------


def _verify(vector: Vector, **changes: Any) -> bool:
    args: dict[str, Any] = {
        "tournament_id": vector.proof["tournamentId"],
        "mode": vector.proof["mode"],
        "commitment_hex": vector.proof["drawCommitment"],
        "server_seed_hex": vector.proof["drawProof"]["serverSeed"],
        "seats": vector.seats,
        "catalogue": vector.proof["catalogue"],
        "result": vector.proof["result"],
    }
    return draw.verify(**{**args, **changes})


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.proof["mode"])
def test_verify_accepts_the_doc_vectors(vector: Vector) -> None:
    assert _verify(vector)
    assert _verify(vector, tournament_id=vector.proof["tournamentId"].upper())  # the id's case does not matter
    assert _verify(vector, commitment_hex=vector.proof["drawCommitment"].upper())


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.proof["mode"])
@pytest.mark.parametrize("seat", range(3))
def test_one_client_seed_changed_fails(vector: Vector, seat: int) -> None:
    seats = vector.seats
    seats[seat] = replace(seats[seat], client_seed=seats[seat].client_seed + "!")
    assert not _verify(vector, seats=seats)


def test_one_picked_club_changed_fails() -> None:
    vector = BY_MODE["pool"]
    seats = vector.seats
    seats[0] = replace(seats[0], club="Chelsea")
    assert not _verify(vector, seats=seats)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.proof["mode"])
def test_one_announced_club_changed_fails(vector: Vector) -> None:
    result = list(vector.proof["result"])
    result[0] = "Chelsea" if result[0] != "Chelsea" else "PSG"
    assert not _verify(vector, result=result)
    assert not _verify(vector, result=result[::-1])
    assert not _verify(vector, result=result[:-1])


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.proof["mode"])
def test_other_tournament_mode_or_order_fails(vector: Vector) -> None:
    assert not _verify(vector, tournament_id="00000000-0000-4000-8000-000000000000")
    assert not _verify(vector, mode="pool" if vector.proof["mode"] == "random" else "random")
    assert not _verify(vector, mode="keep")
    assert not _verify(vector, seats=vector.seats[::-1])


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.proof["mode"])
def test_wrong_server_seed_fails(vector: Vector) -> None:
    other = bytes(32)
    # a seed that is not the committed one, with the original commitment
    assert not _verify(vector, server_seed_hex=other.hex())
    # the other seed with its own matching commitment: the commitment is fine, the result is not
    assert not _verify(vector, server_seed_hex=other.hex(), commitment_hex=draw.commitment(other))
    # the true seed against a commitment to another seed
    assert not _verify(vector, commitment_hex=draw.commitment(other))


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "00",
        "0" * 63,
        "0" * 65,
        "zz" * 32,
        " " + "00" * 31 + "0",
        "00" * 31 + "0\n",
        "0x" + "00" * 31,
        "００" * 32,  # full-width digits: str.isdigit() but not hex
        None,
        32,
        b"\x00" * 32,
    ],
)
def test_malformed_hex_is_false_not_an_exception(bad: object) -> None:
    vector = BY_MODE["pool"]
    assert not _verify(vector, server_seed_hex=bad)
    assert not _verify(vector, commitment_hex=bad)


def test_malformed_seats_or_result_are_false_not_an_exception() -> None:
    vector = BY_MODE["pool"]
    assert not _verify(vector, seats=[None, None, None, None])
    assert not _verify(vector, seats=[Seat("Ann", "Lee", "x", "\ud800")] * 4)  # a lone surrogate is not UTF-8
    assert not _verify(vector, result=None)
    assert not _verify(vector, result=42)
    assert not _verify(vector, tournament_id=None)
    random_vector = BY_MODE["random"]
    assert not _verify(random_vector, catalogue=list(ORIGINAL)[:2])
    assert not _verify(random_vector, seats=[replace(s, club="PSG") for s in random_vector.seats])


# --- properties ---------------------------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=12)
client_seeds = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=64)
seeds = st.binary(min_size=32, max_size=32)
tournament_ids = st.uuids().map(str)


@st.composite
def pool_seats(draw_: st.DrawFn) -> list[Seat]:
    clubs = draw_(st.lists(st.sampled_from(ORIGINAL), min_size=0, max_size=10))
    return [Seat(draw_(names), draw_(names), draw_(client_seeds), club) for club in clubs]


@st.composite
def random_setup(draw_: st.DrawFn) -> tuple[list[Seat], list[str]]:
    catalogue = draw_(st.lists(names, min_size=1, max_size=40, unique=True))
    count = draw_(st.integers(0, len(catalogue)))
    return [Seat(draw_(names), draw_(names), draw_(client_seeds), "") for _ in range(count)], catalogue


@given(seeds, tournament_ids, pool_seats())
def test_pool_is_a_permutation_of_the_picks_and_verifies(seed: bytes, tid: str, seats: list[Seat]) -> None:
    picks = [s.club for s in seats]
    result = draw.assign(seed, tid, "pool", seats, ORIGINAL)
    assert len(result) == len(seats)  # every seat gets exactly one club
    assert Counter(result) == Counter(picks)
    assert result == draw.shuffle(seed, tid, "pool", seats, picks)
    assert draw.verify(tid, "pool", draw.commitment(seed), seed.hex(), seats, ORIGINAL, result)


@given(seeds, tournament_ids, random_setup())
def test_random_deals_distinct_clubs_from_the_catalogue(
    seed: bytes, tid: str, setup: tuple[list[Seat], list[str]]
) -> None:
    seats, catalogue = setup
    result = draw.assign(seed, tid, "random", seats, catalogue)
    assert len(result) == len(seats)
    assert len(set(result)) == len(result)
    assert set(result) <= set(catalogue)
    shuffled = draw.shuffle(seed, tid, "random", seats, catalogue)
    assert sorted(shuffled) == sorted(catalogue)
    assert result == shuffled[: len(seats)]  # seat k gets item k of the one shuffle
    assert draw.verify(tid, "random", draw.commitment(seed), seed.hex(), seats, catalogue, result)


@given(seeds, tournament_ids, pool_seats().filter(lambda seats: len(seats) >= 1), st.data())
def test_any_changed_input_changes_the_stream(seed: bytes, tid: str, seats: list[Seat], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(seats) - 1))
    attribute = data.draw(st.sampled_from(["name", "surname", "client_seed", "club"]))
    changed = [*seats]
    changed[k] = replace(seats[k], **{attribute: getattr(seats[k], attribute) + "x"})
    assert draw.draw_key(seed, tid, "pool", changed) != draw.draw_key(seed, tid, "pool", seats)
    # verify recomputes: a tampered seat verifies only if, by chance, it deals the very same clubs
    result = draw.assign(seed, tid, "pool", seats, ORIGINAL)
    same = draw.assign(seed, tid, "pool", changed, ORIGINAL) == result
    assert draw.verify(tid, "pool", draw.commitment(seed), seed.hex(), changed, ORIGINAL, result) is same


@given(st.text(max_size=80), st.text(max_size=80), st.sampled_from(["pool", "random", "keep", "", "POOL"]))
def test_verify_never_raises(commitment_hex: str, seed_hex: str, mode: str) -> None:
    seats = BY_MODE["pool"].seats
    assert draw.verify("t", mode, commitment_hex, seed_hex, seats, ORIGINAL, ["Bayern"]) is False


# --- uniform() and Fisher-Yates with crafted streams --------------------------------------------------------------


def test_uniform_skips_a_number_at_or_above_the_limit() -> None:
    stream = iter([SPAN - 1, 5, 7])  # n = 3: limit = 2**32 - 1, so 2**32 - 1 is skipped
    assert draw.uniform(stream, 3) == 5 % 3
    assert next(stream) == 7  # exactly one number consumed after the rejection


def test_uniform_rejects_the_whole_biased_tail() -> None:
    n = 2**31 + 1  # limit = 2**31 + 1: almost half of all numbers are skipped
    limit = SPAN - SPAN % n
    assert limit == n
    stream = iter([limit, SPAN - 1, limit - 1])
    assert draw.uniform(stream, n) == limit - 1
    with pytest.raises(StopIteration):
        next(stream)


@given(st.integers(1, SPAN), st.integers(0, SPAN - 1), st.integers(0, SPAN - 1))
def test_uniform_accepts_below_the_limit_and_is_unbiased_by_construction(n: int, u: int, fallback: int) -> None:
    limit = SPAN - SPAN % n
    assert limit % n == 0 and SPAN - n < limit <= SPAN  # every residue has exactly limit // n accepted numbers
    result = draw.uniform(chain([u, fallback], repeat(0)), n)  # 0 is always below the limit
    assert 0 <= result < n
    if u < limit:
        assert result == u % n
    elif fallback < limit:
        assert result == fallback % n


def test_uniform_refuses_a_range_it_cannot_draw_from() -> None:
    with pytest.raises(ValueError, match="uniform"):
        draw.uniform(iter([0]), 0)
    with pytest.raises(ValueError, match="uniform"):
        draw.uniform(iter([0]), SPAN + 1)


def test_fisher_yates_walks_down_from_the_last_index() -> None:
    # i = 2: j = 0 swaps a and c -> c b a; i = 1: j = 0 swaps c and b -> b c a
    assert draw.fisher_yates(iter([0, 0]), ["a", "b", "c"]) == ["b", "c", "a"]
    # uniform(3) then uniform(2): 3 % 3 = 0, 4 % 2 = 0; 2**32 - 1 is skipped for n = 3
    assert draw.fisher_yates(iter([SPAN - 1, 3, 4]), ["a", "b", "c"]) == ["b", "c", "a"]
    assert draw.fisher_yates(iter([2, 1]), ["a", "b", "c"]) == ["a", "b", "c"]
    assert draw.fisher_yates(iter([]), ["only"]) == ["only"]
    assert draw.fisher_yates(iter([]), []) == []


def test_the_shuffle_is_close_to_uniform_over_many_fixed_seeds() -> None:
    """A deterministic chi-square smoke test: 6,000 draws of 3 picks land evenly on the 6 orders."""
    seats = [Seat("A", "A", "", "x"), Seat("B", "B", "", "y"), Seat("C", "C", "", "z")]
    counts = Counter(
        tuple(draw.assign(hashlib.sha256(i.to_bytes(4, "big")).digest(), "t", "pool", seats, ())) for i in range(6000)
    )
    assert set(counts) == set(permutations("xyz"))
    chi2 = sum((c - 1000) ** 2 / 1000 for c in counts.values())
    assert chi2 < 20.5  # 5 degrees of freedom, p = 0.001


# --- numbers(), seeds, modes --------------------------------------------------------------------------------------


def test_numbers_reads_blocks_of_eight_big_endian_words() -> None:
    key = bytes(range(32))
    got = list(islice(draw.numbers(key), 24))
    for block in range(3):
        digest = hmac.new(key, block.to_bytes(8, "big"), hashlib.sha256).digest()
        assert got[8 * block : 8 * block + 8] == [int.from_bytes(digest[i : i + 4], "big") for i in range(0, 32, 4)]


def test_new_server_seed_is_32_fresh_bytes_and_commitment_is_lowercase_sha256() -> None:
    a, b = draw.new_server_seed(), draw.new_server_seed()
    assert len(a) == len(b) == 32 and a != b
    assert draw.commitment(a) == hashlib.sha256(a).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", draw.commitment(a))


def test_a_server_seed_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        draw.shuffle(bytes(31), "t", "pool", [], [])


def test_keep_is_everyone_own_pick_and_has_nothing_to_verify() -> None:
    seats = BY_MODE["pool"].seats
    assert draw.assign(bytes(32), "t", "keep", seats, ORIGINAL) == [s.club for s in seats]
    own = [s.club for s in seats]
    assert not draw.verify("t", "keep", draw.commitment(bytes(32)), bytes(32).hex(), seats, ORIGINAL, own)


def test_assign_refuses_seats_that_do_not_fit_the_mode() -> None:
    seed = bytes(32)
    with pytest.raises(ValueError, match="picked club"):
        draw.assign(seed, "t", "pool", [Seat("A", "B", "", "")], ORIGINAL)
    with pytest.raises(ValueError, match="no picks"):
        draw.assign(seed, "t", "random", [Seat("A", "B", "", "PSG")], ORIGINAL)
    with pytest.raises(ValueError, match="at least 3 clubs"):
        draw.assign(seed, "t", "random", [Seat("A", "B", "", "")] * 3, ["PSG", "Chelsea"])
    with pytest.raises(ValueError, match="unknown draw mode"):
        draw.assign(seed, "t", "lottery", [], ORIGINAL)


def test_random_can_deal_the_whole_catalogue() -> None:
    seats = [Seat(str(k), "", "", "") for k in range(len(ORIGINAL))]
    result = draw.assign(bytes(32), "t", "random", seats, ORIGINAL)
    assert sorted(result) == sorted(ORIGINAL)


@pytest.mark.parametrize("value", ["a", " ", "~", "x" * 64, "a7Xq-2mP", "tom's phone ~42", "0" * 32])
def test_valid_client_seeds(value: str) -> None:
    assert draw.valid_client_seed(value)


@pytest.mark.parametrize(
    "value", ["", "x" * 65, "é", "\x7f", "\x1f", "ab\n", "\t", "\u00a0", "ａ", None, 5, b"abc", ["a"]]
)
def test_invalid_client_seeds(value: object) -> None:
    assert not draw.valid_client_seed(value)


def test_shuffle_does_not_touch_its_input() -> None:
    items = ("a", "b", "c", "d")
    draw.fisher_yates(iter([3, 2, 1]), items)
    assert items == ("a", "b", "c", "d")
