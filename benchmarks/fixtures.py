"""How long the fixtures' pure domain functions take, from a small league to the largest one (issue 14).

    python -m benchmarks.fixtures            # medians of 5 runs, printed as a Markdown table

Generation is timed cold (the league plan cache cleared before each run); the fold and the standings are timed for
a league whose every match has a score. In process, no I/O, bounded: a few seconds in all.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from lct.domain import fixtures as f

LEAGUES = [(4, 1), (8, 1), (16, 2), (32, 2), (64, 1), (64, 2)]
KNOCKOUTS = [5, 16, 64]


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def players(n: int) -> list[str]:
    return [f"id-{i}" for i in range(n)]


def league_row(n: int, legs: int, runs: int) -> str:
    def generate() -> list[f.FixturesCreated]:
        f._league_plan.cache_clear()
        return f.create_fixtures(None, "league", legs, players(n))

    [created] = generate()
    rnd = random.Random(n * 10 + legs)
    scores = [f.ScoreEntered(m.id, f.Score(rnd.randrange(5), rnd.randrange(5)), "host", "t") for m in created.matches]
    events: list[f.FixturesEvent] = [created, *scores]
    played = f.replay(events)
    assert played is not None
    names = {p: (p, "X") for p in players(n)}
    return (
        f"| league, {n} players, {legs} leg{'s' if legs > 1 else ''} | {len(created.matches):,} | "
        f"{median_ms(generate, runs):.2f} | {median_ms(lambda: f.replay(events), runs):.2f} | "
        f"{median_ms(lambda: f.standings(played, names), runs):.2f} |"
    )


def knockout_row(n: int, runs: int) -> str:
    generate_ms = median_ms(lambda: f.create_fixtures(None, "knockout", None, players(n)), runs)
    [created] = f.create_fixtures(None, "knockout", None, players(n))
    return f"| knockout, {n} players | {len(created.matches)} | {generate_ms:.2f} | - | - |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print("| fixtures | matches | generate (ms) | fold every score (ms) | standings (ms) |")
    print("|---|---:|---:|---:|---:|")
    for n, legs in LEAGUES:
        print(league_row(n, legs, runs), flush=True)
    for n in KNOCKOUTS:
        print(knockout_row(n, runs), flush=True)


if __name__ == "__main__":
    main()
