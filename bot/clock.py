"""Clocks the core can be given: the real one, and one that starts at a chosen instant and then ticks."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

CLOCK_START_VARIABLE = "CROWDBOT_CLOCK_START"


def utc_now() -> datetime:
    return datetime.now(UTC)


class StartedClock:
    """Reads `start` at creation and moves on in real time from there: for rehearsals and process-level tests,
    so a run does not depend on the day or hour it happens to be started."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock's start needs a time zone, e.g. 2026-11-22T12:00:00+00:00")
        self.start = start
        self._origin = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)


def clock_from_environment() -> Callable[[], datetime]:
    """The real clock, or a StartedClock when CROWDBOT_CLOCK_START names an instant (ISO 8601 with its offset)."""
    start = os.environ.get(CLOCK_START_VARIABLE)
    return StartedClock(datetime.fromisoformat(start)) if start else utc_now
