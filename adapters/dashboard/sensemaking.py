"""Routes of the dashboard's sensemaking pages, per challenge: /dashboard/challenges/KEY/themes and
/dashboard/challenges/KEY/duplicates, each shown by GET and acted on by a form POST to the same address."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from adapters.dashboard import access
from adapters.dashboard.sensemaking_page import render_duplicates, render_themes
from bot.context import Core
from bot.errors import UserError
from bot.services.sensemaking_board import apply_theme, duplicates_board, idea_number, merge_pair, themes_board

Handler = Callable[[web.Request, Core], Awaitable[web.StreamResponse]]
Guard = Callable[[Handler], Callable[[web.Request], Awaitable[web.StreamResponse]]]
Fields = dict[str, list[str]]
CHALLENGE_PATH = r"/dashboard/challenges/{key:[a-z0-9][a-z0-9-]{0,39}}"


def _first(fields: Fields, name: str) -> str:
    return (fields.get(name) or [""])[0]


async def _apply(core: Core, key: str, fields: Fields) -> str:
    numbers = [idea_number(value) for value in fields.get("idea", [])]
    return await apply_theme(core, key, _first(fields, "theme"), numbers)


async def _merge(core: Core, key: str, fields: Fields) -> str:
    duplicate, survivor = (idea_number(_first(fields, name)) for name in ("duplicate", "survivor"))
    return await merge_pair(core, key, duplicate, survivor)


def _board_page(load: Callable[[Core, str], Awaitable[Any]], render: Callable[..., str],
                act: Callable[[Core, str, Fields], Awaitable[str]]) -> Handler:
    """GET shows the challenge's board; POST (from the dashboard's own page only) acts, then shows it again with
    the outcome, or with the reason and status 400 when the form asks for something it cannot do."""
    async def handle(request: web.Request, core: Core) -> web.StreamResponse:
        key, note, status = request.match_info["key"], None, 200
        if request.method == "POST":
            refused = access.cross_site_refusal(request)
            if refused is not None:
                return refused
            form = await request.post()
            fields = {name: [v for v in form.getall(name) if isinstance(v, str)] for name in set(form.keys())}
            try:
                note = await act(core, key, fields)
            except UserError as error:
                note, status = error.message, 400
        try:
            board = await load(core, key)
        except UserError as error:  # an unknown challenge
            return web.Response(status=404, text=error.message + "\n")
        query = "?" + urlencode({"token": request.query["token"]}) if "token" in request.query else ""
        return web.Response(text=render(board, query=query, note=note), status=status, content_type="text/html")
    return handle


def mount_sensemaking(app: web.Application, guarded: Guard) -> None:
    for path, handler in ((CHALLENGE_PATH + "/themes", _board_page(themes_board, render_themes, _apply)),
                          (CHALLENGE_PATH + "/duplicates", _board_page(duplicates_board, render_duplicates, _merge))):
        app.router.add_get(path, guarded(handler))
        app.router.add_post(path, guarded(handler))
