"""The ceiling for ``python -m benchmarks.http``: a bare FastAPI "hello" app served with the same uvicorn
settings as ``lct serve`` (uvloop, httptools, no access log, no server header).

Run alone: ``python -m benchmarks.hello_app --port 8001``.
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI
from starlette.responses import PlainTextResponse

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    """The canonical FastAPI hello world (a dict, serialised by FastAPI)."""
    return {"Hello": "World"}


@app.get("/hello/raw")
async def hello_raw() -> PlainTextResponse:
    """An even lighter variant (a ready Response, no serialisation), for reference."""
    return PlainTextResponse("Hello, World")


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
