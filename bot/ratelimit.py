"""Sliding-window pacing, so the dispatcher stays under the platforms' documented limits."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

SLOWER = 1.10  # after a method-wide 429, windows 10% longer...
SLOWER_FOR_SECONDS = 10.0  # ...for this long after the pause


class SlidingWindows:
    """Several (count, seconds) windows over one stream of events."""

    def __init__(self, limits: Sequence[tuple[int, float]]) -> None:
        self._limits = list(limits)
        longest = max((count for count, _ in self._limits), default=0)
        self._times: deque[float] = deque(maxlen=longest or 1)
        self._blocked_until = 0.0
        self._slower_until = 0.0  # after a 429 on the shared allowance: keep a wider margin for a while

    def wait_time(self, now: float) -> float:
        """Seconds until one more event fits every window (0 when it fits now)."""
        wait = self._blocked_until - now
        stretch = SLOWER if now < self._slower_until else 1.0
        for count, seconds in self._limits:
            if len(self._times) >= count:
                oldest_in_window = self._times[-count]
                wait = max(wait, oldest_in_window + seconds * stretch - now)
        return max(wait, 0.0)

    def slow_down(self, until: float) -> None:
        """The platform's own count disagreed with ours (network jitter bunches requests): widen the windows."""
        self._slower_until = max(self._slower_until, until)

    def record(self, now: float) -> None:
        self._times.append(now)

    def count_since(self, since: float) -> int:
        return sum(1 for stamp in self._times if stamp >= since)

    def push_back(self, until: float) -> None:
        """A 429 said wait: treat the windows as full until then."""
        self._blocked_until = max(self._blocked_until, until)


class RateLimiter:
    def __init__(self, conversation_limits: Sequence[tuple[int, float]], global_limits: Sequence[tuple[int, float]],
                 method_limits: Mapping[str, Sequence[tuple[int, float]]] | None = None):
        self._conversation_limits = conversation_limits
        self._conversations: dict[str, SlidingWindows] = {}
        self._global = SlidingWindows(global_limits)
        # Methods with their own, usually much smaller, allowance (Slack's tiered conversations.open): paced
        # before the call rather than discovered by a 429.
        self._method_windows = {method: SlidingWindows(limits) for method, limits in (method_limits or {}).items()}
        self._methods_until: dict[str, float] = {}  # method-wide 429s: method -> when it may be used again

    def _windows(self, conversation: str) -> SlidingWindows:
        windows = self._conversations.get(conversation)
        if windows is None:
            windows = self._conversations[conversation] = SlidingWindows(self._conversation_limits)
        return windows

    def wait_time(self, conversation: str, now: float) -> float:
        return max(self._windows(conversation).wait_time(now), self._global.wait_time(now))

    def record(self, conversation: str, now: float) -> None:
        self._windows(conversation).record(now)
        self._global.record(now)

    def paused(self, now: float) -> tuple[bool, list[str]]:
        """Whether everything must wait (the global window is full), and which conversations must."""
        if self._global.wait_time(now) > 0:
            return True, []
        return False, [name for name, windows in self._conversations.items() if windows.wait_time(now) > 0]

    def back_off(self, conversation: str, until: float) -> None:
        self._windows(conversation).push_back(until)

    def sent_since(self, conversation: str, since: float) -> int:
        """How many sends to this conversation were recorded at or after `since`."""
        return self._windows(conversation).count_since(since)

    def back_off_method(self, method: str, until: float) -> None:
        """A method-wide limit said wait: nothing that uses `method` goes out before `until`, in any conversation."""
        self._methods_until[method] = max(self._methods_until.get(method, 0.0), until)
        self._global.slow_down(until + SLOWER_FOR_SECONDS)

    def paused_methods(self, now: float) -> list[str]:
        return [method for method, until in self._methods_until.items() if until > now]

    def method_wait(self, method: str | None, now: float) -> float:
        """Seconds until `method` may be called again: a 429's pause, or its own allowance being full."""
        if not method:
            return 0.0
        windows = self._method_windows.get(method)
        return max(self._methods_until.get(method, 0.0) - now, windows.wait_time(now) if windows else 0.0, 0.0)

    def record_method(self, method: str | None, now: float) -> None:
        """Counts a call of a method with its own allowance (a no-op for the others)."""
        windows = self._method_windows.get(method) if method is not None else None
        if windows is not None:
            windows.record(now)
