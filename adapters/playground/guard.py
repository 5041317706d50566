"""The playground lets anyone act as anyone, so it answers only pages served from this machine.

Listening on loopback (checked at start-up) keeps other machines out; these checks keep other web sites out:
a loopback Host header defeats DNS rebinding, and JSON bodies with a same-origin Origin defeat cross-site posts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from bot.hosting import is_loopback


def _hostname(host_header: str) -> str:
    return urlsplit(f"//{host_header}").hostname or ""


def refusal(request: web.Request) -> str | None:
    """Why this request is refused, or None when it may go on."""
    if not is_loopback(_hostname(request.host)):
        return "The playground only answers on 127.0.0.1 or localhost."
    if request.method == "POST":
        if request.content_type != "application/json":
            return "The playground accepts JSON requests from its own page only."
        origin = request.headers.get("Origin")
        if origin and urlsplit(origin).netloc != request.host:
            return "The playground accepts requests from its own page only."
    return None
