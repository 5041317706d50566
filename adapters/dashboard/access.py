"""Who may see the dashboard: anyone when the server listens on loopback, otherwise only with the token.

A loopback listener also checks the Host header, as the playground does: a web page whose name an attacker
re-points at 127.0.0.1 (DNS rebinding) sends its own name as Host, so it cannot read the dashboard or its exports.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from aiohttp import web

from bot.hosting import is_loopback

TOKEN_VARIABLE = "CROWDBOT_DASHBOARD_TOKEN"


def supplied_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.query.get("token")


def _host_name(host_header: str) -> str:
    try:
        return urlsplit(f"//{host_header}").hostname or ""
    except ValueError:  # e.g. an unclosed "[" in an IPv6 literal
        return ""


def _has_token(request: web.Request, token: str | None) -> bool:
    given = supplied_token(request)
    if not token or given is None:
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def refusal(request: web.Request, *, host: str, token: str | None) -> web.Response | None:
    """An error response when the request may not see the dashboard, else None.

    The listening address decides, not the caller's: behind a reverse proxy every caller looks local.
    """
    if is_loopback(host):
        # A foreign Host reaching a loopback listener is a rebound browser page or a reverse proxy; the token,
        # when one is set, still lets the latter in (a rebound page cannot know it).
        if is_loopback(_host_name(request.host)) or _has_token(request, token):
            return None
        return web.Response(status=403, text="The dashboard only answers to http://127.0.0.1 or http://localhost "
                                             f"(or with {TOKEN_VARIABLE}'s token).\n")
    if not token:
        return web.Response(status=404, text=f"The dashboard is not served on {host} because {TOKEN_VARIABLE} "
                                             "is not set.\n")
    if not _has_token(request, token):
        return web.Response(status=401, headers={"WWW-Authenticate": 'Bearer realm="crowdbot dashboard"'},
                            text="The dashboard needs its token: an Authorization: Bearer header or ?token=.\n")
    return None


def cross_site_refusal(request: web.Request) -> web.Response | None:
    """A 403 for a form post that another site's page sent (CSRF): the browser names the sending page's origin,
    which must be the dashboard's own. A client sending the token as a Bearer header is not a browser form."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return None
    origin = request.headers.get("Origin", "")
    own = {request.host, *filter(None, [request.headers.get("X-Forwarded-Host")])}
    if origin and origin != "null" and urlsplit(origin).netloc in own:
        return None
    return web.Response(status=403, text="The dashboard only takes forms sent from its own pages.\n")
