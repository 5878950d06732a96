"""The ``lct`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from pydantic import ValidationError

from lct.config import Settings, describe_error


def _settings(overrides: dict[str, Any]) -> Settings:
    """Environment first, command-line flags on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def serve(args: argparse.Namespace) -> int:
    from lct.entrypoints import server
    from lct.entrypoints.http import create_app
    from lct.logs import configure_logging

    settings = _settings({"host": args.host, "port": args.port, "database_url": args.database_url})
    configure_logging(settings)
    announce(settings)
    app = create_app(settings)
    server.run(app, settings, app.hub.drain)
    return 0


def announce(settings: Settings) -> None:
    """Tell the person at the keyboard where to go, and where phones can go (a QR code of it in the terminal)."""
    from lct.network import lan_address

    local = f"http://127.0.0.1:{settings.port}{settings.root_path}/"
    everywhere = settings.host in ("0.0.0.0", "::", "")
    lan = lan_address() if everywhere else None
    phones = settings.public_url or (f"http://{lan}:{settings.port}{settings.root_path}/" if lan else None)
    lines = [f"LetChooseTeams: open {phones or local} on this computer, a laptop or a TV."]
    if phones:
        lines.append(f"Phones on the same network reach it at {phones} (scan):")
    elif not everywhere:
        lines.append(f"Listening on {settings.host} only: phones cannot reach it (scripts/serve listens everywhere).")
    else:
        lines.append("No network address found: phones cannot reach this computer.")
    if settings.log_format != "console":  # JSON logs stay one JSON object per line: no terminal art
        reach = phones or "none (listening on loopback only, or no network address)"
        logging.getLogger("lct.app").info(
            "open %s; address for phones: %s", phones or local, reach, extra={"event.action": "addresses"}
        )
        return
    print("\n".join(lines), file=sys.stderr)
    if phones:
        import segno

        segno.make(phones, error="m").terminal(out=sys.stderr, compact=True)


def rename(args: argparse.Namespace) -> int:
    from lct import application, bootstrap

    async def run() -> None:
        ctx = bootstrap.build_context(_settings({"database_url": args.database_url}))
        await ctx.store.start()
        try:
            await application.rename_tournament(ctx, args.tournament_id, args.name)
        finally:
            await ctx.store.close()

    asyncio.run(run())
    print(f"renamed {args.tournament_id} to {args.name!r}")
    return 0


def verify(args: argparse.Namespace) -> int:
    """Recompute a tournament's draw from the store (docs/fairness.md) and say OK or FAILED."""
    from lct import application, bootstrap
    from lct.domain import draw, tournament

    async def load() -> tournament.Tournament:
        ctx = bootstrap.build_context(_settings({"database_url": args.database_url}))
        await ctx.store.start()
        try:
            return await application.get_tournament(ctx, tournament.parse_id(args.tournament_id) or args.tournament_id)
        finally:
            await ctx.store.close()

    state = asyncio.run(load())
    print(f"Tournament {state.id} ({state.name}), draw mode {state.setup.draw_mode}")
    if not state.draw:
        print(f"Not drawn yet. Commitment: {state.commitment or '(none)'}")
        return 1
    proof = tournament.draw_proof(state)
    if proof is None:
        print("No verifiable draw: " + ("mode keep (everyone plays their pick)." if state.setup.seed else "no seed."))
        return 1
    seats = tournament.proof_seats(state)
    published = [d.team for d in state.draw]
    expected = draw.assign(bytes.fromhex(state.setup.seed), state.id, state.setup.draw_mode, seats, state.catalogue)
    for seat, got, want in zip(seats, published, expected, strict=True):
        print(
            f"  {seat.name} {seat.surname}: picked {seat.club or '-'}, plays {got}"
            + ("" if got == want else f"  (expected {want})")
        )
    ok = draw.verify(
        state.id, state.setup.draw_mode, state.commitment or "", state.setup.seed, seats, state.catalogue, published
    )
    print(f"Commitment {state.commitment}, seed {state.setup.seed}: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="lct", description="LetChooseTeams service")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the API, the hub and the web app")
    run.add_argument("--host", help="listen address (LCT_HOST, default 127.0.0.1)")
    run.add_argument("--port", type=int, help="listen port (LCT_PORT, default 8000)")
    run.add_argument("--database-url", help="event store URL (LCT_DATABASE_URL, default sqlite:///./lct.db)")
    run.set_defaults(func=serve)
    ren = commands.add_parser("rename", help="rename a tournament (frees the old name)")
    ren.add_argument("tournament_id")
    ren.add_argument("name")
    ren.add_argument("--database-url")
    ren.set_defaults(func=rename)
    ver = commands.add_parser("verify", help="recompute a tournament's draw from the store: OK or FAILED")
    ver.add_argument("tournament_id")
    ver.add_argument("--database-url")
    ver.set_defaults(func=verify)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except ValidationError as e:
        print(f"lct: {describe_error(e)}", file=sys.stderr)
        return 2
    except Exception as e:  # a domain or store error from a one-shot command
        message = getattr(e, "message", None) or str(e)
        print(f"lct: {message}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
