"""Slack: slack-bolt over HTTP at /slack/events or Socket Mode; the composition root calls create_adapter."""

from __future__ import annotations

from adapters.slack.adapter import SlackAdapter
from bot.adapter import Dispatch
from bot.config import SlackConfig
from bot.name_directory import NamePort

__all__ = ["SlackAdapter", "create_adapter"]


def create_adapter(settings: SlackConfig, dispatch: Dispatch, *, names: NamePort | None = None) -> SlackAdapter:
    """`names` is where display names looked up with users.info are kept (none: people are shown by id)."""
    return SlackAdapter(settings, dispatch, names=names)
