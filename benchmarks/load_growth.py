"""Does loading a tournament grow with its history or with the store? ``python -m benchmarks.load_growth``

(a) ``history``: a tournament with 10 events against one with 1,000 (one event per append, as renames produce
    them), loaded cold (a fresh application context: the whole stream is read and folded) and warm (the state cache
    holds it: one indexed query for events after the cached version, which finds none). SQLite and PostgreSQL
    (a throw-away cluster from tests/dbservers.py unless ``--postgres-url`` is given).
(b) ``size``: GET /api/Tournament through the real ASGI app (httpx.ASGITransport, in-process) as a SQLite store
    grows to 1k / 10k / 100k tournaments of 10 events each (1,000,000 events). Data is bulk-appended through the
    store; GETs pick random tournaments, first uncached (cold), then again (warm).

Every figure is the median of ``--runs`` runs; each run times ``--samples`` operations and keeps their median.
Loopback and in-process only; every loop is bounded. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx

from lct import application, mapper
from lct.adapters.broker import InProcessBroker
from lct.adapters.store import EventStore, NewRecord
from lct.adapters.store_sqlite import SqliteEventStore
from lct.config import Settings
from lct.domain.tournament import Player, PlayerAdded, TournamentCreated, TournamentNamed
from lct.entrypoints.http import create_app


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def timed(operation: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await operation()
    return time.perf_counter() - started


# --- (a) history length --------------------------------------------------------------------------------------


async def write_tournament(store: EventStore, events: int) -> str:
    tournament_id = str(uuid.uuid4())
    first = [TournamentCreated(tournament_id, 10), TournamentNamed(f"cup-{tournament_id}")]
    await store.append(tournament_id, 0, [mapper.to_record(e) for e in first])
    for version in range(2, events):
        await store.append(
            tournament_id, version, [mapper.to_record(TournamentNamed(f"cup-{version}-{tournament_id}"))]
        )
    return tournament_id


async def history(store: EventStore, runs: int, samples: int) -> dict[int, tuple[float, float]]:
    ids = {n: [await write_tournament(store, n) for _ in range(samples)] for n in (10, 1000)}
    result: dict[int, tuple[float, float]] = {}
    for n, tournaments in ids.items():
        cold_runs, warm_runs = [], []
        for _ in range(runs):
            ctx = application.Context(store=store, broker=InProcessBroker())
            cold = [await timed(lambda t=t, c=ctx: application.load(c, t)) for t in tournaments]
            warm = [await timed(lambda t=t, c=ctx: application.load(c, t)) for t in tournaments]
            cold_runs.append(median_ms(cold))
            warm_runs.append(median_ms(warm))
        result[n] = (statistics.median(cold_runs), statistics.median(warm_runs))
    return result


@contextlib.asynccontextmanager
async def started(store: EventStore) -> AsyncIterator[EventStore]:
    await store.start()
    try:
        yield store
    finally:
        await store.close()


@contextlib.contextmanager
def postgres(url: str | None):  # type: ignore[no-untyped-def]
    if url:
        yield url
        return
    from tests.dbservers import postgres_server

    with tempfile.TemporaryDirectory() as root, postgres_server(Path(root) / "pg") as server:
        yield server.url


# --- (b) store size ------------------------------------------------------------------------------------------


def tournament_records(tournament_id: str) -> list[NewRecord]:
    events = [TournamentCreated(tournament_id, 10), TournamentNamed(f"cup-{tournament_id}")]
    events += [PlayerAdded(Player(f"Player{i}", "Surname")) for i in range(8)]
    return [mapper.to_record(e) for e in events]


async def grow(store: EventStore, ids: list[str], target: int) -> None:
    while len(ids) < target:
        tournament_id = str(uuid.uuid4())
        await store.append(tournament_id, 0, tournament_records(tournament_id))
        ids.append(tournament_id)


async def size(path: Path, sizes: list[int], runs: int, samples: int) -> dict[int, tuple[float, float]]:
    store = SqliteEventStore(str(path))
    ids: list[str] = []
    result: dict[int, tuple[float, float]] = {}
    rng = random.Random(6)
    async with started(store):
        for target in sizes:
            started_at = time.perf_counter()
            await grow(store, ids, target)
            print(
                f"  sqlite: {target:,} tournaments ({target * 10:,} events), fill {time.perf_counter() - started_at:.0f} s"
            )
            cold_runs, warm_runs = [], []
            for _ in range(runs):
                app = create_app(Settings(database_url=f"sqlite:///{path}", log_level="WARNING"), store=store)
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                    chosen = rng.sample(ids, samples)

                    async def get(t: str) -> None:
                        answer = await client.get("/api/Tournament", params={"Id": t})
                        assert answer.status_code == 200, answer.text

                    cold = [await timed(lambda t=t: get(t)) for t in chosen]
                    warm = [await timed(lambda t=t: get(t)) for t in chosen]
                cold_runs.append(median_ms(cold))
                warm_runs.append(median_ms(warm))
            result[target] = (statistics.median(cold_runs), statistics.median(warm_runs))
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--postgres-url", help="an existing PostgreSQL (default: a throw-away cluster)")
    parser.add_argument("--only", choices=("history", "size"))
    args = parser.parse_args()

    if args.only != "size":
        print("| store | events in stream | cold load (ms) | warm load (ms) |\n|---|---|---|---|")
        with tempfile.TemporaryDirectory() as tmp:
            async with started(SqliteEventStore(str(Path(tmp) / "history.db"))) as sqlite:
                for n, (cold, warm) in (await history(sqlite, args.runs, args.samples)).items():
                    print(f"| sqlite | {n:,} | {cold:.3f} | {warm:.3f} |")
        with postgres(args.postgres_url) as url:
            from lct.adapters.store_postgres import PostgresEventStore

            async with started(PostgresEventStore(url)) as pg:
                for n, (cold, warm) in (await history(pg, args.runs, args.samples)).items():
                    print(f"| postgresql | {n:,} | {cold:.3f} | {warm:.3f} |")
    if args.only != "history":
        sizes = [int(s) for s in args.sizes.split(",")]
        with tempfile.TemporaryDirectory() as tmp:
            table = await size(Path(tmp) / "size.db", sizes, args.runs, args.samples)
        print("| tournaments | events | GET cold (ms) | GET warm (ms) |\n|---|---|---|---|")
        for n, (cold, warm) in table.items():
            print(f"| {n:,} | {n * 10:,} | {cold:.3f} | {warm:.3f} |")


if __name__ == "__main__":
    asyncio.run(main())
