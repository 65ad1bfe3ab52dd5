"""A hello-world app served exactly like the comment server: the benchmark's ceiling.

Not part of the public app; ``bench/server_load.py`` runs it on its own port
(``python -m player.social.server.hello --port N``) to measure what the
framework and server manage with no database work at all.
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from .cli import serve


def create_hello_app() -> FastAPI:
    """One endpoint, ``GET /hello``, answered from a sync handler like the real routes."""
    app = FastAPI(openapi_url=None)

    @app.get("/hello")
    def hello() -> JSONResponse:
        return JSONResponse({"hello": "world"})

    return app


def main() -> None:
    """Serve the hello app (same uvicorn settings as ``kindred-server``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    serve("player.social.server.hello:create_hello_app", args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
