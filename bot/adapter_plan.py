"""Which adapters `crowdbot run` starts for a configuration, and why: shown by check-config, logged by run."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import enabled_platforms
from bot.config import AppConfig


@dataclass(frozen=True)
class AdapterDecision:
    platform: str
    on: bool
    reason: str

    def line(self) -> str:
        return f"{self.platform + ':':<11} {'on' if self.on else 'off':<3}  {self.reason}"


def _slack(config: AppConfig, on: bool) -> str:
    slack = config.slack
    if on:
        where = "Socket Mode (SLACK_APP_TOKEN is set)" if slack.app_token else "serving POST /slack/events"
        return f"bot token and signing secret are set; {where}"
    missing = [name for name, value in (("SLACK_BOT_TOKEN", slack.bot_token),
                                        ("SLACK_SIGNING_SECRET", slack.signing_secret)) if not value]
    return f"{' and '.join(missing)} not set in the environment or in app.yaml's slack: section"


def _teams(config: AppConfig, on: bool) -> str:
    if on and config.teams.app_id:
        return "MICROSOFT_APP_ID is set; serving POST /api/messages with Bot Framework authentication"
    if on:
        return ("app.yaml names Teams channels or people but MICROSOFT_APP_ID is not set: serving "
                "POST /api/messages without authentication, loopback only")
    return "MICROSOFT_APP_ID not set in the environment or in app.yaml's teams: section"


def _playground(config: AppConfig, on: bool) -> str:
    if config.playground.enabled is not None:
        return f"playground.enabled is {str(config.playground.enabled).lower()} in app.yaml"
    if on:
        return "no Slack or Teams credentials, so the browser playground is on at /"
    return "Slack or Teams credentials are set; playground.enabled: true turns it on as well"


def adapter_plan(config: AppConfig, host: str = "127.0.0.1") -> list[AdapterDecision]:
    """One decision per adapter, in the order `crowdbot run` builds them."""
    platforms = enabled_platforms(config, host)
    explain = {"slack": _slack, "teams": _teams, "playground": _playground}
    return [AdapterDecision(name, name in platforms, reason(config, name in platforms))
            for name, reason in explain.items()]
