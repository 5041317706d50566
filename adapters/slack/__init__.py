"""Slack: slack-bolt over HTTP at /slack/events or Socket Mode; the composition root calls create_adapter."""

from __future__ import annotations

from adapters.slack.adapter import SlackAdapter
from bot.adapter import Dispatch
from bot.config import SlackConfig

__all__ = ["SlackAdapter", "create_adapter"]


def create_adapter(settings: SlackConfig, dispatch: Dispatch) -> SlackAdapter:
    return SlackAdapter(settings, dispatch)
