"""The event store contract: every adapter must pass every test here."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from lct.adapters.store import ClaimTaken, ConcurrencyError, EventStore, NewRecord
from lct.domain.tournament import CODE_CLAIM, NAME_CLAIM, TEAM_CLAIM, Claim
from tests.integration.stores import FACTORIES


@pytest.fixture(params=sorted(FACTORIES))
async def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EventStore]:
    factory = FACTORIES[request.param]
    async with factory(tmp_path=tmp_path_factory.mktemp(request.param), request=request) as started:
        yield started


def new_stream() -> str:
    return str(uuid.uuid4())


def records(*types: str) -> list[NewRecord]:
    return [NewRecord(t, f'{{"n": "{t}"}}') for t in types]


async def test_appended_events_come_back_in_version_order(store: EventStore) -> None:
    stream = new_stream()
    assert await store.append(stream, 0, records("a", "b")) == 2
    assert await store.append(stream, 2, records("c")) == 3
    stored = await store.read(stream)
    assert [(r.version, r.type) for r in stored] == [(1, "a"), (2, "b"), (3, "c")]
    assert stored[0].data == '{"n": "a"}'


async def test_read_after_a_version_returns_only_newer_events(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, records("a", "b", "c"))
    assert [r.version for r in await store.read(stream, 2)] == [3]
    assert await store.read(stream, 3) == []


async def test_unknown_stream_reads_empty(store: EventStore) -> None:
    assert await store.read(new_stream()) == []


async def test_streams_are_independent(store: EventStore) -> None:
    one, two = new_stream(), new_stream()
    await store.append(one, 0, records("a"))
    await store.append(two, 0, records("b", "c"))
    assert [r.type for r in await store.read(one)] == ["a"]
    assert [r.type for r in await store.read(two)] == ["b", "c"]


async def test_stale_expected_version_is_rejected_and_writes_nothing(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, records("a", "b"))
    with pytest.raises(ConcurrencyError):
        await store.append(stream, 1, records("x"))
    with pytest.raises(ConcurrencyError):
        await store.append(stream, 0, records("x"))
    assert [r.type for r in await store.read(stream)] == ["a", "b"]


async def test_expected_version_ahead_of_the_stream_is_rejected(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, records("a"))
    with pytest.raises(ConcurrencyError):
        await store.append(stream, 5, records("x"))
    assert [r.version for r in await store.read(stream)] == [1]


async def test_concurrent_appends_with_the_same_expected_version_exactly_one_wins(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, records("a"))
    results = await asyncio.gather(
        *(store.append(stream, 1, records(f"w{i}")) for i in range(10)), return_exceptions=True
    )
    assert sum(1 for r in results if r == 2) == 1
    assert all(isinstance(r, ConcurrencyError) for r in results if r != 2)
    assert len(await store.read(stream)) == 2


async def test_a_claimed_name_cannot_be_claimed_by_another_stream(store: EventStore) -> None:
    name = f"cup-{uuid.uuid4()}"
    first, second = new_stream(), new_stream()
    await store.append(first, 0, records("created"), [Claim(NAME_CLAIM, name, exclusive=True)])
    with pytest.raises(ClaimTaken) as caught:
        await store.append(second, 0, records("created"), [Claim(NAME_CLAIM, name, exclusive=True)])
    assert caught.value.claim.value == name


async def test_claims_roll_back_with_a_failed_append(store: EventStore) -> None:
    taken, free = f"taken-{uuid.uuid4()}", f"free-{uuid.uuid4()}"
    owner, loser = new_stream(), new_stream()
    await store.append(owner, 0, records("created"), [Claim(NAME_CLAIM, taken, exclusive=True)])
    with pytest.raises(ClaimTaken):
        await store.append(loser, 0, records("created"), [Claim(TEAM_CLAIM, free), Claim(NAME_CLAIM, taken, True)])
    assert await store.read(loser) == []
    # the first claim of the failed batch was rolled back: another stream can take it
    await store.append(new_stream(), 0, records("created"), [Claim(TEAM_CLAIM, free)])


async def test_a_stale_append_releases_nothing_and_claims_nothing(store: EventStore) -> None:
    stream = new_stream()
    name = f"n-{uuid.uuid4()}"
    await store.append(stream, 0, records("a"), [Claim(NAME_CLAIM, name, exclusive=True)])
    new_name = f"m-{uuid.uuid4()}"
    with pytest.raises(ConcurrencyError):
        await store.append(stream, 0, records("b"), [Claim(NAME_CLAIM, new_name, exclusive=True)])
    with pytest.raises(ClaimTaken):
        await store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, name, exclusive=True)])
    await store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, new_name, exclusive=True)])


async def test_an_exclusive_claim_releases_the_streams_previous_one(store: EventStore) -> None:
    stream = new_stream()
    old, new = f"old-{uuid.uuid4()}", f"new-{uuid.uuid4()}"
    await store.append(stream, 0, records("a"), [Claim(NAME_CLAIM, old, exclusive=True)])
    await store.append(stream, 1, records("renamed"), [Claim(NAME_CLAIM, new, exclusive=True)])
    await store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, old, exclusive=True)])
    with pytest.raises(ClaimTaken):
        await store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, new, exclusive=True)])


async def test_renaming_back_to_a_released_name_succeeds(store: EventStore) -> None:
    stream = new_stream()
    a, aa = f"A-{uuid.uuid4()}", f"AA-{uuid.uuid4()}"
    await store.append(stream, 0, records("a"), [Claim(NAME_CLAIM, a, exclusive=True)])
    await store.append(stream, 1, records("r"), [Claim(NAME_CLAIM, aa, exclusive=True)])
    assert await store.append(stream, 2, records("r"), [Claim(NAME_CLAIM, a, exclusive=True)]) == 3


async def test_non_exclusive_claims_accumulate_per_stream(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, records("a"))
    await store.append(stream, 1, records("s"), [Claim(TEAM_CLAIM, f"{stream}/Bayern")])
    await store.append(stream, 2, records("s"), [Claim(TEAM_CLAIM, f"{stream}/PSG")])
    for team in ("Bayern", "PSG"):
        with pytest.raises(ClaimTaken):
            await store.append(new_stream(), 0, records("s"), [Claim(TEAM_CLAIM, f"{stream}/{team}")])
    assert len(await store.read(stream)) == 3


async def test_reclaiming_a_value_the_stream_already_holds_is_idempotent(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, records("a"), [Claim(TEAM_CLAIM, f"{stream}/Bayern")])
    assert await store.append(stream, 1, records("b"), [Claim(TEAM_CLAIM, f"{stream}/Bayern")]) == 2


async def test_claims_are_case_sensitive(store: EventStore) -> None:
    name = f"cup-{uuid.uuid4()}"
    await store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, name, exclusive=True)])
    await store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, name.upper(), exclusive=True)])


async def test_concurrent_claims_of_one_value_exactly_one_wins(store: EventStore) -> None:
    name = f"race-{uuid.uuid4()}"
    results = await asyncio.gather(
        *(store.append(new_stream(), 0, records("a"), [Claim(NAME_CLAIM, name, True)]) for _ in range(10)),
        return_exceptions=True,
    )
    assert sum(1 for r in results if r == 1) == 1
    assert all(isinstance(r, ClaimTaken) for r in results if r != 1)


async def test_unicode_payloads_round_trip(store: EventStore) -> None:
    stream = new_stream()
    await store.append(stream, 0, [NewRecord("PlayerAdded", '{"name": "Łukasz", "surname": "Żółć \\"q\\""}')])
    assert (await store.read(stream))[0].data == '{"name": "Łukasz", "surname": "Żółć \\"q\\""}'


async def test_ping_answers_when_started(store: EventStore) -> None:
    await store.ping()


# --- finding a claim's owner (room codes) ---


async def test_the_owner_of_a_claim_is_the_stream_that_took_it(store: EventStore) -> None:
    stream, code = new_stream(), f"C-{uuid.uuid4()}"
    assert await store.claim_owner(CODE_CLAIM, code) is None
    await store.append(stream, 0, records("created"), [Claim(CODE_CLAIM, code)])
    assert await store.claim_owner(CODE_CLAIM, code) == stream
    assert await store.claim_owner(NAME_CLAIM, code) is None  # namespaces are separate


async def test_a_failed_append_owns_nothing(store: EventStore) -> None:
    taken, code = f"T-{uuid.uuid4()}", f"C-{uuid.uuid4()}"
    await store.append(new_stream(), 0, records("created"), [Claim(NAME_CLAIM, taken, exclusive=True)])
    with pytest.raises(ClaimTaken):
        await store.append(new_stream(), 0, records("c"), [Claim(CODE_CLAIM, code), Claim(NAME_CLAIM, taken, True)])
    assert await store.claim_owner(CODE_CLAIM, code) is None


async def test_a_released_exclusive_claim_has_no_owner(store: EventStore) -> None:
    stream, old, new = new_stream(), f"old-{uuid.uuid4()}", f"new-{uuid.uuid4()}"
    await store.append(stream, 0, records("a"), [Claim(NAME_CLAIM, old, exclusive=True)])
    await store.append(stream, 1, records("renamed"), [Claim(NAME_CLAIM, new, exclusive=True)])
    assert await store.claim_owner(NAME_CLAIM, old) is None
    assert await store.claim_owner(NAME_CLAIM, new) == stream
