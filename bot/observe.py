"""One inbound event observed: counted in the metrics and logged with its fields, never with its text."""

from __future__ import annotations

import logging

from bot.events import Event
from bot.message import Reply
from bot.metrics import Metrics

logger = logging.getLogger(__name__)


def outcome_of(reply: Reply) -> str:
    if reply.unavailable:
        return "unavailable"
    if reply.duplicate:
        return "duplicate"
    if reply.refused:
        return "refused"
    return "stored" if reply.changed else "unchanged"


def platform_of(event: Event) -> str:
    actor = getattr(event, "actor", None)
    return str(getattr(actor, "platform", None) or getattr(event, "platform", None) or "unknown")


def record_event(metrics: Metrics, event: Event, reply: Reply, seconds: float) -> None:
    platform, kind, outcome = platform_of(event), type(event).__name__, outcome_of(reply)
    metrics.inbound.labels(platform=platform, kind=kind, outcome=outcome).inc()
    metrics.ack_seconds.labels(platform=platform).observe(seconds)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("event %s from %s: %s in %.1f ms", kind, platform, outcome, seconds * 1000,
                     extra={"platform": platform, "kind": kind, "outcome": outcome,
                            "duration_ms": round(seconds * 1000, 2)})
