"""Who may see the dashboard: anyone when the server listens on loopback, otherwise only with the token."""

from __future__ import annotations

import hmac

from aiohttp import web

from bot.hosting import is_loopback

TOKEN_VARIABLE = "CROWDBOT_DASHBOARD_TOKEN"


def supplied_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.query.get("token")


def refusal(request: web.Request, *, host: str, token: str | None) -> web.Response | None:
    """An error response when the request may not see the dashboard, else None.

    The listening address decides, not the caller's: behind a reverse proxy every caller looks local.
    """
    if is_loopback(host):
        return None
    if not token:
        return web.Response(status=404, text=f"The dashboard is not served on {host} because {TOKEN_VARIABLE} "
                                             "is not set.\n")
    given = supplied_token(request)
    if given is None or not hmac.compare_digest(given.encode(), token.encode()):
        return web.Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="crowdbot dashboard"'},
                            text="The dashboard needs its token: an Authorization: Bearer header or ?token=.\n")
    return None
