"""Use cases against a real store (SQLite and memory): ported from the original's integration tests
(contract 8.2, tests 22-30 and 95-123) plus the concurrency guarantees the original lacked."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator

import pytest

from lct import application as app
from lct.adapters.store import EventStore
from lct.domain.tournament import (
    CATALOGUE,
    NotAllPlayersRegistered,
    NotAllPlayersSelectedTeam,
    Player,
    PlayerAlreadyAssigned,
    PlayerNotInTournament,
    PlayerSelectedTeamBefore,
    TeamAlreadySelected,
    TournamentLimitExceeded,
    TournamentNameNotUnique,
    TournamentNotFound,
)
from tests.fakes import ExplodingBroker, RecordingBroker
from tests.integration.stores import FACTORIES


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EventStore]:
    async with FACTORIES[request.param](tmp_path=tmp_path_factory.mktemp("s")) as started:
        yield started


@pytest.fixture
def broker() -> RecordingBroker:
    return RecordingBroker()


@pytest.fixture
def ctx(store: EventStore, broker: RecordingBroker) -> app.Context:
    return app.Context(store=store, broker=broker, rng=random.Random(42))


def unique(prefix: str = "cup") -> str:
    return f"{prefix}-{uuid.uuid4()}"


async def full_tournament(ctx: app.Context, limit: int, picks: int | None = None) -> str:
    tid = await app.create_tournament(ctx, unique(), limit)
    for i in range(limit):
        await app.assign_player(ctx, tid, f"p{i}", "s")
    for i in range(limit if picks is None else picks):
        await app.select_team(ctx, tid, f"p{i}", "s", CATALOGUE[i])
    return tid


def fresh(ctx: app.Context) -> app.Context:
    """The same store seen by another instance (empty cache)."""
    return app.Context(store=ctx.store, broker=RecordingBroker(), rng=random.Random(1))


async def test_created_tournament_loads_back_with_its_name_and_limit(ctx: app.Context) -> None:
    tid = await app.create_tournament(ctx, "testName", 10)
    state = await app.get_tournament(fresh(ctx), tid)
    assert (state.name, state.limit, state.players, state.name_version) == ("testName", 10, (), 1)


async def test_a_second_tournament_with_the_same_name_is_refused(ctx: app.Context) -> None:
    name = unique()
    await app.create_tournament(ctx, name, 2)
    with pytest.raises(TournamentNameNotUnique):
        await app.create_tournament(ctx, name, 3)


async def test_creation_stores_two_events_and_notifies_nobody(ctx: app.Context, broker: RecordingBroker) -> None:
    tid = await app.create_tournament(ctx, unique(), 2)
    assert [r.version for r in await ctx.store.read(tid)] == [1, 2]
    assert broker.published == []


@pytest.mark.parametrize("tid", ["00000000-0000-0000-0000-000000000000", str(uuid.uuid4())])
async def test_an_unknown_tournament_is_not_found(ctx: app.Context, tid: str) -> None:
    await app.create_tournament(ctx, unique(), 2)
    with pytest.raises(TournamentNotFound):
        await app.get_tournament(ctx, tid)
    with pytest.raises(TournamentNotFound):
        await app.assign_player(ctx, tid, "a", "b")
    with pytest.raises(TournamentNotFound):
        await app.select_team(ctx, tid, "a", "b", "Bayern")
    with pytest.raises(TournamentNotFound):
        await app.draw_teams(ctx, tid)


async def test_fetching_the_last_of_nine_tournaments_gives_its_name_and_no_players(ctx: app.Context) -> None:
    prefix = unique("name")
    ids = [await app.create_tournament(ctx, f"{prefix}{i}", 2) for i in range(9)]
    state = await app.get_tournament(fresh(ctx), ids[-1])
    assert (state.name, state.players) == (f"{prefix}8", ())


async def test_registering_persists_one_player_and_publishes_player_assigned(
    ctx: app.Context, broker: RecordingBroker
) -> None:
    tid = await app.create_tournament(ctx, unique(), 4)
    await app.assign_player(ctx, tid, "Jan", "Nowak")
    assert (await app.get_tournament(fresh(ctx), tid)).players == (Player("Jan", "Nowak"),)
    assert broker.published[0][0] == tid
    assert broker.payloads() == [
        {"type": "PlayerAssigned", "tournamentId": tid, "name": "Jan", "surname": "Nowak", "version": 3}
    ]


async def test_registering_the_same_player_twice_is_refused(ctx: app.Context) -> None:
    tid = await app.create_tournament(ctx, unique(), 4)
    await app.assign_player(ctx, tid, "Jan", "Nowak")
    with pytest.raises(PlayerAlreadyAssigned):
        await app.assign_player(ctx, tid, "Jan", "Nowak")


async def test_a_failing_broker_does_not_fail_registration_or_selection(store: EventStore) -> None:
    broker = ExplodingBroker()
    ctx = app.Context(store=store, broker=broker, rng=random.Random(1))
    tid = await app.create_tournament(ctx, unique(), 2)
    await app.assign_player(ctx, tid, "a", "b")
    await app.assign_player(ctx, tid, "c", "d")
    await app.select_team(ctx, tid, "a", "b", "PSG")
    await app.select_team(ctx, tid, "c", "d", "Bayern")
    state = await app.get_tournament(fresh(ctx), tid)
    assert [s.team for s in state.selections] == ["PSG", "Bayern"]
    assert len(broker.published) == 4


async def test_version_is_one_after_create_and_two_after_a_rename(ctx: app.Context) -> None:
    tid = await app.create_tournament(ctx, unique(), 2)
    assert (await app.get_tournament(fresh(ctx), tid)).name_version == 1
    await app.rename_tournament(ctx, tid, unique())
    assert (await app.get_tournament(fresh(ctx), tid)).name_version == 2


async def test_renaming_back_to_the_original_name_succeeds_because_renames_release_names(ctx: app.Context) -> None:
    name = unique("A")
    tid = await app.create_tournament(ctx, name, 2)
    await app.rename_tournament(ctx, tid, name + "A")
    await app.rename_tournament(ctx, tid, name)
    other = await app.create_tournament(ctx, name + "A", 2)
    assert (await app.get_tournament(ctx, tid)).name == name
    assert (await app.get_tournament(ctx, other)).name == name + "A"


async def test_a_stale_instance_renaming_after_another_rename_rereads_and_both_renames_apply(
    ctx: app.Context,
) -> None:
    tid = await app.create_tournament(ctx, unique(), 2)
    stale = fresh(ctx)
    await app.get_tournament(stale, tid)  # stale instance caches version 1
    await app.rename_tournament(ctx, tid, "winner")
    await app.rename_tournament(stale, tid, "later")
    state = await app.get_tournament(fresh(ctx), tid)
    assert (state.name, state.name_version) == ("later", 3)


async def test_a_rename_to_a_taken_name_is_refused(ctx: app.Context) -> None:
    taken = unique()
    await app.create_tournament(ctx, taken, 2)
    tid = await app.create_tournament(ctx, unique(), 2)
    with pytest.raises(TournamentNameNotUnique):
        await app.rename_tournament(ctx, tid, taken)


async def test_teams_query_lists_the_catalogue_with_selected_flags(ctx: app.Context) -> None:
    tid = await full_tournament(ctx, 4, picks=0)
    teams = await app.get_teams(ctx, tid)
    assert [name for name, _ in teams] == list(CATALOGUE)
    assert not any(selected for _, selected in teams)
    await app.select_team(ctx, tid, "p0", "s", "Juventus")
    await app.select_team(ctx, tid, "p1", "s", "Bayern")
    await app.select_team(ctx, tid, "p2", "s", "PSG")
    teams = await app.get_teams(fresh(ctx), tid)
    assert len(teams) == 10
    assert {name for name, selected in teams if selected} == {"Juventus", "Bayern", "PSG"}


async def test_selection_rules_in_the_originals_order(ctx: app.Context) -> None:
    tid = await full_tournament(ctx, 3, picks=0)
    with pytest.raises(PlayerNotInTournament):
        await app.select_team(ctx, tid, "ghost", "s", "not a club")
    await app.select_team(ctx, tid, "p0", "s", "Bayern")
    with pytest.raises(PlayerSelectedTeamBefore):
        await app.select_team(ctx, tid, "p0", "s", "Bayern")
    with pytest.raises(TeamAlreadySelected):
        await app.select_team(ctx, tid, "p1", "s", "Bayern")
    await app.select_team(ctx, tid, "p1", "s", "PSG")
    state = await app.get_tournament(fresh(ctx), tid)
    assert [(s.player.name, s.team) for s in state.selections] == [("p0", "Bayern"), ("p1", "PSG")]


async def test_the_same_club_and_player_in_two_tournaments_both_succeed(ctx: app.Context) -> None:
    one = await app.create_tournament(ctx, unique("one"), 2)
    two = await app.create_tournament(ctx, unique("two"), 2)
    for tid in (one, two):
        await app.assign_player(ctx, tid, "Jan", "Nowak")
        await app.select_team(ctx, tid, "Jan", "Nowak", "Bayern")
    for tid in (one, two):
        assert (await app.get_tournament(fresh(ctx), tid)).selected_team(Player("Jan", "Nowak")) == "Bayern"


async def test_draw_errors(ctx: app.Context) -> None:
    tid = await full_tournament(ctx, 3, picks=2)
    with pytest.raises(NotAllPlayersSelectedTeam):
        await app.draw_teams(ctx, tid)
    tid = await app.create_tournament(ctx, unique(), 3)
    for i in range(2):
        await app.assign_player(ctx, tid, f"p{i}", "s")
        await app.select_team(ctx, tid, f"p{i}", "s", CATALOGUE[i])
    with pytest.raises(NotAllPlayersRegistered):
        await app.draw_teams(ctx, tid)


async def test_a_seven_player_draw_is_persisted_and_repeated_draws_return_it(
    ctx: app.Context, broker: RecordingBroker
) -> None:
    tid = await full_tournament(ctx, 7)
    first = await app.draw_teams(ctx, tid)
    assert len(first) == 7
    assert await app.draw_teams(ctx, tid) == first
    assert await app.draw_teams(fresh(ctx), tid) == first
    reloaded = await app.get_tournament(fresh(ctx), tid)
    assert reloaded.draw == first
    drawn = [p for p in broker.payloads() if p["type"] == "TeamsDrawn"]
    assert len(drawn) == 1
    assert drawn[0]["version"] == reloaded.version


async def test_a_tournament_with_a_long_history_loads_incrementally(ctx: app.Context) -> None:
    tid = await app.create_tournament(ctx, unique(), 2)
    for i in range(50):
        await app.rename_tournament(ctx, tid, f"{tid}-{i}")
    other = fresh(ctx)
    assert (await app.get_tournament(other, tid)).version == 52
    await app.rename_tournament(ctx, tid, "final")
    assert (await app.get_tournament(other, tid)).name == "final"


# --- concurrency: nothing lost, no invariant broken ---


async def test_fifty_concurrent_registrations_on_ten_seats_admit_exactly_ten(ctx: app.Context) -> None:
    tid = await app.create_tournament(ctx, unique(), 10)
    instances = [ctx, fresh(ctx), fresh(ctx)]
    results = await asyncio.gather(
        *(app.assign_player(instances[i % 3], tid, f"p{i}", "s") for i in range(50)), return_exceptions=True
    )
    assert sum(r is None for r in results) == 10
    assert all(isinstance(r, TournamentLimitExceeded) for r in results if r is not None)
    assert len((await app.get_tournament(fresh(ctx), tid)).players) == 10


async def test_twenty_concurrent_selections_of_one_club_admit_exactly_one(ctx: app.Context) -> None:
    tid = await full_tournament(ctx, 10, picks=0)
    instances = [ctx, fresh(ctx)]
    results = await asyncio.gather(
        *(app.select_team(instances[i % 2], tid, f"p{i % 10}", "s", "Bayern") for i in range(20)),
        return_exceptions=True,
    )
    assert sum(r is None for r in results) == 1
    assert all(isinstance(r, TeamAlreadySelected | PlayerSelectedTeamBefore) for r in results if r is not None)
    state = await app.get_tournament(fresh(ctx), tid)
    assert [s.team for s in state.selections] == ["Bayern"]


async def test_concurrent_draws_from_two_instances_draw_once(ctx: app.Context) -> None:
    tid = await full_tournament(ctx, 4)
    results = await asyncio.gather(*(app.draw_teams(c, tid) for c in (ctx, fresh(ctx), fresh(ctx), ctx)))
    assert all(r == results[0] for r in results)
    assert sum(1 for r in await ctx.store.read(tid) if r.type == "TeamsDrawn") == 1
