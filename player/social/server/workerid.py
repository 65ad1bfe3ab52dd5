"""An opt-in response header naming the worker process that answered.

``kindred-server --workers N`` runs N processes behind one socket; with
``KINDRED_SERVER_WORKER_HEADER=1`` every response carries
``X-Kindred-Worker: <pid>`` so an operator (or a test) can see the load
spread over them. Off by default: it costs a little and tells clients
nothing they need.
"""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-kindred-worker"


class WorkerHeaderMiddleware:
    """Adds ``X-Kindred-Worker: <pid>`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pid = str(os.getpid()).encode()

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (HEADER, pid)]}
            await send(message)

        await self.app(scope, receive, tagged)
