"""The ``lct`` command line."""

from __future__ import annotations

import argparse
import asyncio
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
    app = create_app(settings)
    server.run(app, settings, app.hub.drain)
    return 0


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
