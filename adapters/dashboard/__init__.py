"""The campaign dashboard at /dashboard: figures, chart, ideas by status and horizon, top ideas, exports; a page
per idea hour at /dashboard/hours/KEY; per challenge, suggested themes and probable duplicates to act on."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Awaitable, Callable, Mapping
from contextlib import aclosing
from urllib.parse import urlencode

from aiohttp import web

from adapters.dashboard import access
from adapters.dashboard.access_log import redact_access_log
from adapters.dashboard.hour_page import render_hour_page
from adapters.dashboard.page import render_dashboard
from adapters.dashboard.sensemaking import mount_sensemaking
from bot.chart import campaign_chart_png
from bot.context import Core
from bot.errors import UserError
from bot.exports import csv_header, csv_pieces, idea_pages, write_xlsx
from bot.hour.dashboard import hour_page_data
from bot.services.dashboard import dashboard_data
from bot.services.timeline import campaign_timeline

__all__ = ["mount_dashboard"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def mount_dashboard(app: web.Application, *, host: str, running_core: Callable[[], Core | None],
                    environ: Mapping[str, str] | None = None) -> None:
    """`running_core` gives the core once the bot has started (None before)."""
    token = (os.environ if environ is None else environ).get(access.TOKEN_VARIABLE) or None
    redact_access_log()

    def core() -> Core:
        started = running_core()
        if started is None:
            raise web.HTTPServiceUnavailable(text="The bot is still starting.\n")
        return started

    def guarded(handler: Callable[[web.Request, Core], Awaitable[web.StreamResponse]]) -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            refused = access.refusal(request, host=host, token=token)
            return refused if refused is not None else await handler(request, core())
        return checked

    async def page(request: web.Request, core: Core) -> web.StreamResponse:
        async with core.db.snapshot() as session:
            data = await dashboard_data(core, session)
        query = "?" + urlencode({"token": request.query["token"]}) if "token" in request.query else ""
        return web.Response(text=render_dashboard(data, query=query), content_type="text/html")

    async def hour_page(request: web.Request, core: Core) -> web.StreamResponse:
        try:
            async with core.db.transaction() as session:
                data = await hour_page_data(core, session, request.match_info["key"])
        except UserError as error:  # an unknown hour, or one that has not run yet
            return web.Response(status=404, text=error.message + "\n")
        query = "?" + urlencode({"token": request.query["token"]}) if "token" in request.query else ""
        return web.Response(text=render_hour_page(data, query=query), content_type="text/html")

    async def chart(request: web.Request, core: Core) -> web.StreamResponse:
        async with core.db.snapshot() as session:
            points = await campaign_timeline(core, session)
        # Drawing takes a moment of CPU: keep the event loop (votes, other requests) free meanwhile.
        png = await asyncio.to_thread(campaign_chart_png, points, audience_size=core.config.campaign.audience_size,
                                      title=core.config.campaign.name)
        return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "no-store"})

    async def export(request: web.Request, core: Core) -> web.StreamResponse:
        name = f"crowdbot-ideas.{request.match_info['format']}"
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        if request.match_info["format"] == "xlsx":
            buffer = io.BytesIO()
            async with core.db.snapshot() as session:
                await write_xlsx(idea_pages(core, session), buffer)
            return web.Response(body=buffer.getvalue(), content_type=XLSX, headers=disposition)
        # CSV streams page by page: memory stays flat however many ideas there are.
        async with core.db.snapshot() as session, aclosing(idea_pages(core, session)) as pages:
            first = await anext(pages, None)
            response = web.StreamResponse(headers={**disposition, "Content-Type": "text/csv; charset=utf-8"})
            await response.prepare(request)
            await response.write(csv_header().encode())
            while first is not None:
                async for piece in csv_pieces(first):
                    await response.write(piece.encode())
                first = await anext(pages, None)
        await response.write_eof()
        return response

    app.router.add_get("/dashboard", guarded(page))
    app.router.add_get("/dashboard/chart.png", guarded(chart))
    app.router.add_get(r"/dashboard/hours/{key:[a-z0-9][a-z0-9-]{0,39}}", guarded(hour_page))
    app.router.add_get(r"/dashboard/export.{format:csv|xlsx}", guarded(export))
    mount_sensemaking(app, guarded)
