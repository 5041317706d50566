"""The browser playground: try the whole bot with no Slack or Teams, on this machine only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.playground.adapter import PlaygroundAdapter
from bot.hosting import require_loopback

if TYPE_CHECKING:
    from bot.app import Runtime

__all__ = ["PlaygroundAdapter", "create_adapter"]


def create_adapter(runtime: Runtime) -> PlaygroundAdapter:
    """Refuses a non-loopback host: in the playground anyone can act as anyone."""
    require_loopback(runtime.host, "the playground lets anyone act as anyone (set playground.enabled: false "
                                   "in app.yaml, or configure Slack or Teams credentials)")
    return PlaygroundAdapter(runtime.config, runtime.dispatch, lambda: runtime.scheduler)
