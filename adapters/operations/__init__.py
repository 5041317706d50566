"""Operator endpoints: /healthz (alive), /readyz (ready to serve, or 503 naming what is not) and /metrics."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.dashboard import access

__all__ = ["mount_operations"]


def mount_operations(app: web.Application, *, host: str, token: str | None,
                     problems: Callable[[], Awaitable[list[str]]],
                     metrics: Callable[[], Awaitable[tuple[bytes, str]]]) -> None:
    """`problems` lists what keeps the bot from serving (empty when ready); `metrics` renders the exposition.

    Metrics are open on loopback and need the dashboard's token elsewhere, like the dashboard itself.
    """

    async def healthz(request: web.Request) -> web.Response:
        # The pid tells which process answered: with `--workers N` several share the port.
        return web.json_response({"ok": True, "pid": os.getpid()})

    async def readyz(request: web.Request) -> web.Response:
        found = await problems()
        return web.json_response({"ready": not found, "problems": found}, status=503 if found else 200)

    async def exposition(request: web.Request) -> web.Response:
        refused = access.refusal(request, host=host, token=token)
        if refused is not None:
            return refused
        body, content_type = await metrics()
        response = web.Response(body=body)
        response.headers["Content-Type"] = content_type
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", exposition)
