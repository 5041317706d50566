"""A structural check of the Authorization header before botbuilder validates it.

botbuilder answers 500 to a malformed bearer token, and for a well-formed one fetches the Bot Framework's
OpenID metadata (a blocking request to the internet) before checking anything else. Requests that cannot
possibly carry a valid channel token are refused here, without any network call.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import jwt

from bot.hosting import is_loopback

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
# Tokens from the Bot Framework Emulator and single-tenant channels come from Entra ID.
ENTRA_ISSUERS = ("https://sts.windows.net/", "https://login.microsoftonline.com/")
CLOCK_SKEW_SECONDS = 300


def rejection(authorization: str | None, app_id: str | None) -> str | None:
    """Why a request with this Authorization header must get 401 before any validation, or None to go on."""
    if not app_id:
        # Authentication is off (local development): a token here is meant for a bot that has an app id.
        return "this bot runs without an app id and accepts no bearer tokens" if authorization else None
    if not authorization:
        return "missing Authorization header"
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer" or not token or " " in token.strip():
        return "the Authorization header is not 'Bearer <token>'"
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "the bearer token is not a JWT"
    if header.get("alg") != "RS256" or not header.get("kid"):
        return "the bearer token is not signed the way the Bot Framework signs"
    issuer = str(claims.get("iss") or "")
    if issuer != BOT_FRAMEWORK_ISSUER and not issuer.startswith(ENTRA_ISSUERS):
        return "the bearer token was not issued by the Bot Framework"
    if claims.get("aud") != app_id:
        return "the bearer token is for another app"
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires + CLOCK_SKEW_SECONDS < time.time():
        return "the bearer token has expired"
    return None


def local_refusal(host_header: str, origin: str | None) -> str | None:
    """Without an app id nothing authenticates a request, so (as the playground does) only this machine may
    call: a loopback Host header defeats DNS rebinding, and a foreign Origin is a web page posting cross-site."""
    if not is_loopback(urlsplit(f"//{host_header}").hostname or ""):
        return "without an app id the Teams endpoint only answers on 127.0.0.1 or localhost"
    if origin is not None and urlsplit(origin).netloc != host_header:
        return "without an app id the Teams endpoint accepts no requests from web pages"
    return None
