"""The browser playground: try the whole bot with no Slack or Teams, on this machine only."""

from __future__ import annotations

from collections.abc import Callable

from adapters.playground.adapter import PlaygroundAdapter
from bot.adapter import Dispatch
from bot.config import AppConfig
from bot.hosting import require_loopback

__all__ = ["PlaygroundAdapter", "create_adapter"]


def create_adapter(config: AppConfig, dispatch: Dispatch, *, host: str,
                   scheduler: Callable[[], object | None]) -> PlaygroundAdapter:
    """Refuses a non-loopback host: in the playground anyone can act as anyone. `scheduler` is the running
    scheduler once started (the rehearsal clock drives it)."""
    require_loopback(host, "the playground lets anyone act as anyone (set playground.enabled: false "
                                   "in app.yaml, or configure Slack or Teams credentials)")
    return PlaygroundAdapter(config, dispatch, scheduler)
