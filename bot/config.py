"""The campaign's configuration (app.yaml): pydantic models, ${VAR} expansion and readable errors."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

PLATFORMS = ("slack", "teams", "playground")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///crowdbot.db"
_ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class ConfigError(Exception):
    """app.yaml is unreadable or invalid; the message names the key path and the problem."""


def _cron(value: str) -> str:
    try:
        CronTrigger.from_crontab(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a cron expression (five fields: minute hour day month weekday)") from None
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a known time zone (e.g. Europe/London)") from None
    return value


def _ref(value: str) -> str:
    platform, sep, ident = value.partition(":")
    if not sep or platform not in PLATFORMS or not ident.strip():
        raise ValueError(f"{value!r} must look like 'slack:U0123' or 'teams:<id>' (platform:id)")
    return value


def _key(value: str) -> str:
    if not _KEY_PATTERN.match(value):
        raise ValueError(f"{value!r} must be lowercase letters, digits and dashes (at most 40)")
    return value


Cron = Annotated[str, AfterValidator(_cron)]
Ref = Annotated[str, AfterValidator(_ref)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CampaignConfig(_Strict):
    name: str = Field(min_length=1)
    timezone: Annotated[str, AfterValidator(_timezone)] = "Europe/London"
    audience_size: int = Field(gt=0)
    idea_max_length: int = Field(default=1000, gt=0, le=10000)
    comment_max_length: int = Field(default=2000, gt=0, le=10000)
    unanswered_after_days: int = Field(default=5, gt=0)
    waiting_decision_days: int = Field(default=14, gt=0)


class StorageConfig(_Strict):
    url: str = DEFAULT_DATABASE_URL


class RolesConfig(_Strict):
    community_managers: list[Ref] = []
    leaders: list[Ref] = []
    admins: list[Ref] = []


class VotingConfig(_Strict):
    emoji: list[str] = Field(default=["+1", "thumbsup"], min_length=1)
    self_votes: bool = False


class PromptSchedule(_Strict):
    cron: Cron


class ChallengeConfig(_Strict):
    key: Annotated[str, AfterValidator(_key)]
    title: str = Field(min_length=1)
    description: str = ""
    questions: list[str] = Field(min_length=1)
    channels: list[Ref] = []
    opens: date | None = None
    closes: date | None = None
    prompts: PromptSchedule | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ChallengeConfig:
        if self.opens and self.closes and self.closes < self.opens:
            raise ValueError(f"closes ({self.closes}) is before opens ({self.opens})")
        return self

    def is_open(self, today: date) -> bool:
        return (self.opens is None or self.opens <= today) and (self.closes is None or today <= self.closes)


class DigestSchedule(_Strict):
    cron: Cron
    channels: list[Ref] = []


class DigestsConfig(_Strict):
    leaders: DigestSchedule | None = None
    community: DigestSchedule | None = None
    backers: DigestSchedule | None = None
    unanswered: DigestSchedule | None = None


class SchedulerConfig(_Strict):
    grace_seconds: int = Field(default=3600, ge=0)


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


_WORD_PATTERN = re.compile(r"^[a-z0-9]+$")


def _synonym_group(words: list[str]) -> list[str]:
    cleaned = [word.strip().lower() for word in words]
    bad = [word for word in cleaned if not _WORD_PATTERN.match(word)]
    if bad:
        raise ValueError(f"{bad[0]!r} must be one word of letters and digits (e.g. rota, roster, schedule)")
    if len(set(cleaned)) < 2:
        raise ValueError("a synonym group needs at least two different words")
    return cleaned


class SimilarityConfig(_Strict):
    """The "Is your idea one of these?" check before posting; scores run from 0 to 1 (benchmarks/similarity.py)."""

    enabled: bool = True
    threshold: float = Field(default=0.33, gt=0, le=1)
    max_suggestions: int = Field(default=3, ge=1, le=3)
    synonyms: list[Annotated[list[str], AfterValidator(_synonym_group)]] = []


class _Secrets(_Strict):
    @model_validator(mode="before")
    @classmethod
    def _empty_is_unset(cls, data: Any) -> Any:
        # "${SLACK_BOT_TOKEN}" with the variable unset expands to "": that means "not configured".
        if isinstance(data, dict):
            return {key: _blank_to_none(value) for key, value in data.items()}
        return data


class SlackConfig(_Secrets):
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token and self.signing_secret)


class TeamsConfig(_Secrets):
    app_id: str | None = None
    app_password: str | None = None
    tenant_id: str | None = None
    app_type: str | None = None


class PlaygroundConfig(_Strict):
    enabled: bool | None = None
    staff: list[str] = ["Sam Patel", "Alex Morgan", "Jo Williams"]


class AppConfig(_Strict):
    campaign: CampaignConfig
    storage: StorageConfig = StorageConfig()
    roles: RolesConfig = RolesConfig()
    voting: VotingConfig = VotingConfig()
    challenges: list[ChallengeConfig] = Field(min_length=1)
    digests: DigestsConfig = DigestsConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    slack: SlackConfig = SlackConfig()
    teams: TeamsConfig = TeamsConfig()
    playground: PlaygroundConfig = PlaygroundConfig()
    similarity: SimilarityConfig = SimilarityConfig()

    @model_validator(mode="after")
    def _unique_challenge_keys(self) -> AppConfig:
        seen: set[str] = set()
        for challenge in self.challenges:
            if challenge.key in seen:
                raise ValueError(f"challenge key {challenge.key!r} is used twice")
            seen.add(challenge.key)
        return self

    def challenge(self, key: str) -> ChallengeConfig | None:
        return next((c for c in self.challenges if c.key == key), None)

    def challenge_for_channel(self, channel_ref: str) -> ChallengeConfig | None:
        return next((c for c in self.challenges if channel_ref in c.channels), None)

    def mentions_platform(self, platform: str) -> bool:
        """Whether app.yaml names any channel or person on this platform."""
        refs = [*self.roles.community_managers, *self.roles.leaders, *self.roles.admins]
        refs += [ref for c in self.challenges for ref in c.channels]
        for schedule in (self.digests.leaders, self.digests.community, self.digests.backers):
            refs += schedule.channels if schedule else []
        return any(ref.startswith(platform + ":") for ref in refs)


def expand_env(value: Any, environ: dict[str, str] | None = None) -> Any:
    """Expands ${VAR} and ${VAR:-default} in every string of a parsed YAML tree."""
    env = os.environ if environ is None else environ
    if isinstance(value, str):
        return _ENV_PATTERN.sub(lambda m: env.get(m.group(1)) or (m.group(2) or ""), value)
    if isinstance(value, list):
        return [expand_env(item, env) for item in value]
    if isinstance(value, dict):
        return {key: expand_env(item, env) for key, item in value.items()}
    return value


def _location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _describe(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "is not a known setting (check the spelling)"
    elif error["type"] == "missing":
        message = "is required"
    elif "input" in error and error["type"] not in ("value_error", "assertion_error"):
        message = f"{error['input']!r}: {message}"
    return f"{_location(error['loc'])}: {message}"


def parse_config(raw: Any, environ: dict[str, str] | None = None) -> AppConfig:
    if not isinstance(raw, dict):
        raise ConfigError("(top level): expected a mapping with campaign, challenges, ...")
    try:
        return AppConfig.model_validate(expand_env(raw, environ))
    except ValidationError as exc:
        raise ConfigError("\n".join(_describe(error) for error in exc.errors())) from None


def default_config_path() -> Path:
    return Path(os.environ.get("CROWDBOT_CONFIG", "app.yaml"))


def load_config(path: Path | str | None = None, environ: dict[str, str] | None = None) -> AppConfig:
    """Reads and validates app.yaml; raises ConfigError with a message naming the key path."""
    config_path = Path(path) if path else default_config_path()
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot read the file ({exc.strerror})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_path}: not valid YAML ({exc})") from None
    return parse_config(raw, environ)
