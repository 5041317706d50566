"""Slack's documented Web API rate limits, enforced by the fake Slack servers of the tests and benchmarks.

Tiered methods are limited per workspace per minute (Tier 1: 1+, Tier 2: 20+, Tier 3: 50+, Tier 4: 100+).
chat.postMessage is "special": about one message per second per channel, short bursts allowed, under a
workspace-wide allowance. Beyond a limit Slack answers HTTP 429 with Retry-After in whole seconds.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping

PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
METHOD_TIERS = {
    "conversations.open": 3, "conversations.info": 3, "chat.update": 3, "chat.delete": 3,
    "chat.postEphemeral": 4, "views.open": 4, "views.publish": 4, "views.update": 4, "users.info": 4,
    "files.getUploadURLExternal": 4, "files.completeUploadExternal": 4,
}


class _Window:
    """At most `count` events in any `seconds`."""

    def __init__(self, count: int, seconds: float) -> None:
        self.count, self.seconds = count, seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        while self.times and now - self.times[0] >= self.seconds:
            self.times.popleft()
        return self.times[0] + self.seconds - now if len(self.times) >= self.count else 0.0

    def record(self, now: float) -> None:
        self.times.append(now)


class _Bucket:
    """`rate` per second with bursts of up to `burst`."""

    def __init__(self, burst: int, rate: float, now: float) -> None:
        self.burst, self.rate, self.tokens, self.at = burst, rate, float(burst), now

    def wait(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class SlackLimits:
    """Decides, call by call, whether Slack would answer 429 and with what Retry-After."""

    def __init__(self, *, post_per_second: int = 50, channel_burst: int = 4, channel_rate: float = 1.0,
                 tiered: bool = True, clock: Callable[[], float] = time.monotonic,
                 per_minute: Mapping[int, int] | None = None) -> None:
        self.clock = clock
        self.channel_burst, self.channel_rate = channel_burst, channel_rate
        self._post_window = _Window(post_per_second, 1.0)
        self._channels: dict[str, _Bucket] = {}
        tiers = METHOD_TIERS if tiered else {}
        allowance = {**PER_MINUTE, **(per_minute or {})}  # a benchmark may compress time: a tier per minute
        self._tiers = {method: _Window(allowance[tier], 60.0) for method, tier in tiers.items()}
        self.rate_limited: dict[str, int] = {}

    def retry_after(self, method: str, channel: str | None) -> int | None:
        """None when the call is within the limits (and is counted), else the Retry-After seconds to answer."""
        now = self.clock()
        if method == "chat.postMessage":
            bucket = self._channels.get(channel or "")
            if bucket is None:
                bucket = self._channels[channel or ""] = _Bucket(self.channel_burst, self.channel_rate, now)
            wait = max(self._post_window.wait(now), bucket.wait(now))
            if wait <= 0:
                self._post_window.record(now)
                bucket.take()
                return None
        elif method in self._tiers:
            wait = self._tiers[method].wait(now)
            if wait <= 0:
                self._tiers[method].record(now)
                return None
        else:
            return None
        self.rate_limited[method] = self.rate_limited.get(method, 0) + 1
        return max(1, math.ceil(wait))
