"""Slack: slack-bolt over HTTP at /slack/events or Socket Mode; the composition root calls create_adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.slack.adapter import SlackAdapter

if TYPE_CHECKING:
    from bot.app import Runtime

__all__ = ["SlackAdapter", "create_adapter"]


def create_adapter(runtime: Runtime) -> SlackAdapter:
    return SlackAdapter(runtime.config.slack, runtime.dispatch)
