"""Resilience tests reuse the Slack harness: the fake Slack Web API and the in-process app driven by it."""

from tests.slack.conftest import fake_slack, slack

__all__ = ["fake_slack", "slack"]
