"""The ``lct`` command line."""

from __future__ import annotations

import argparse
import asyncio
import math
import socket
import sys
from typing import Any

from pydantic import ValidationError

from lct.config import Settings, describe_error


def _settings(overrides: dict[str, Any]) -> Settings:
    """Environment first, command-line flags on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from lct.entrypoints.http import create_app
    from lct.logs import configure_logging

    settings = _settings({"host": args.host, "port": args.port, "database_url": args.database_url})
    configure_logging(settings)
    app = create_app(settings)
    grace = settings.shutdown_grace_seconds
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",  # the hub writes fan-out frames straight to its transports (hub.py)
        ws_per_message_deflate=False,  # no zlib state per connection; lets one encoded frame go to every client
        ws_ping_interval=None,  # no timer per connection: the hub's SignalR pings and 30 s timeout cover it
        ws_ping_timeout=None,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_graceful_shutdown=math.ceil(grace / 2) or None,
        server_header=False,
    )
    _run_gracefully(config, app.state.hub, grace / 2)
    return 0


def _run_gracefully(config: Any, hub: Any, grace: float) -> None:
    """Run uvicorn; on SIGTERM, before uvicorn closes WebSockets with a bare 1012, let the hub send every client
    a SignalR close message with ``allowReconnect`` (bounded by half the grace period; HTTP gets the rest)."""
    import uvicorn

    class GracefulServer(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            for server in self.servers:
                server.close()
            await hub.drain(grace)
            await super().shutdown(sockets)

    GracefulServer(config).run()


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
