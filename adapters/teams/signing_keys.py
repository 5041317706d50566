"""The Bot Framework's token signing keys, fetched without ever blocking the event loop.

botbuilder fetches the OpenID metadata and its key set with a blocking `requests.get` (no timeout) inside token
validation, so one forged token while that endpoint was slow froze every request of the process. SigningKeys
replaces botbuilder's cache entry for each metadata URL (same `get(key_id)` contract): keys are fetched with
aiohttp under a timeout, at start and on a timer; a token naming an unknown key may trigger a refresh at most
once per UNKNOWN_KEY_REFRESH_SECONDS, and requests arriving during a refresh wait for that one fetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig
from jwt.algorithms import RSAAlgorithm

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 10.0
REFRESH_EVERY_SECONDS = 12 * 3600.0
RETRY_AFTER_FAILURE_SECONDS = 60.0
UNKNOWN_KEY_REFRESH_SECONDS = 300.0
BOT_FRAMEWORK_METADATA_URLS = (AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
                               AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL)


class UnknownSigningKey(Exception):  # noqa: N818 - reads as the reason a token is refused
    """The token names a key the Bot Framework does not publish (or not yet fetched): it is refused."""


class SigningKeys:
    """One OpenID metadata document's signing keys, as botbuilder's token extractor asks for them."""

    def __init__(self, url: str, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self._monotonic = monotonic
        self._keys: dict[str, dict[str, Any]] = {}
        self._last_attempt: float | None = None
        self._refreshing: asyncio.Task[None] | None = None

    async def get(self, key_id: str | None) -> _OpenIdConfig:
        """The key for a token's `kid`; raises UnknownSigningKey rather than fetch more often than allowed."""
        key = self._keys.get(key_id or "")
        if key is None and self._may_refresh():
            await self.refresh()
            key = self._keys.get(key_id or "")
        if key is None:
            raise UnknownSigningKey(f"no Bot Framework signing key {key_id!r}")
        return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))

    def _may_refresh(self) -> bool:
        if self._refreshing is not None and not self._refreshing.done():
            return True  # join the fetch under way
        return self._last_attempt is None or self._monotonic() - self._last_attempt >= UNKNOWN_KEY_REFRESH_SECONDS

    async def refresh(self) -> None:
        """Fetches the keys once (callers arriving meanwhile share that fetch); failures keep the old keys."""
        if self._refreshing is None or self._refreshing.done():
            self._last_attempt = self._monotonic()
            self._refreshing = asyncio.ensure_future(self._fetch())
        await asyncio.shield(self._refreshing)

    @property
    def loaded(self) -> bool:
        return bool(self._keys)

    async def close(self) -> None:
        if self._refreshing is not None and not self._refreshing.done():
            self._refreshing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refreshing

    async def _fetch(self) -> None:
        try:
            timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(self.url) as response:
                    response.raise_for_status()
                    keys_url = (await response.json(content_type=None))["jwks_uri"]
                async with session.get(keys_url) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
            self._keys = {str(key["kid"]): key for key in keys if isinstance(key, dict) and key.get("kid")}
        except Exception as error:  # network, HTTP status, JSON or shape: keep what we had and say why
            logger.warning("teams: could not fetch the Bot Framework signing keys from %s (%s: %s)",
                           self.url, type(error).__name__, error)


class KeyRing:
    """Installs SigningKeys for botbuilder's metadata URLs and keeps them fresh on a timer."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        shared: dict[str, SigningKeys] = {}  # one fetch per source, however many URLs it stands for
        self.keys = {url: shared.setdefault(source, SigningKeys(source)) for url, source in sources.items()}
        self._replaced: dict[str, Any] = {}
        self._timer: asyncio.Task[None] | None = None

    @classmethod
    def for_bot_framework(cls, override: str | None) -> KeyRing:
        return cls({url: override or url for url in BOT_FRAMEWORK_METADATA_URLS})

    def start(self) -> None:
        for url, keys in self.keys.items():
            self._replaced[url] = JwtTokenExtractor.metadataCache.get(url)
            JwtTokenExtractor.metadataCache[url] = keys
        self._timer = asyncio.ensure_future(self._keep_fresh())

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
        for keys in set(self.keys.values()):
            await keys.close()
        for url, previous in self._replaced.items():
            if previous is None:
                JwtTokenExtractor.metadataCache.pop(url, None)
            else:
                JwtTokenExtractor.metadataCache[url] = previous

    async def _keep_fresh(self) -> None:
        while True:
            unique = set(self.keys.values())
            await asyncio.gather(*(keys.refresh() for keys in unique))
            loaded = all(keys.loaded for keys in unique)
            await asyncio.sleep(REFRESH_EVERY_SECONDS if loaded else RETRY_AFTER_FAILURE_SECONDS)
