"""The campaign's configuration (app.yaml): pydantic models, ${VAR} expansion and readable errors."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

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
    dashboard_url: str | None = None  # where people open the dashboard; digests link to it when set

    @field_validator("dashboard_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


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


class FikaConfig(_Strict):
    """Randomised fika: people paired at random across teams to talk about a challenge's questions."""

    cron: Cron
    group_size: int = Field(default=2, ge=2, le=10)
    challenge: str | None = None  # default: the open challenges in turn
    follow_up_after_days: int = Field(default=4, ge=1, le=60)
    prefer_mixing: Literal["team", "site", "profession"] | None = None


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
    threshold: float = Field(default=0.28, gt=0, le=1)
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
    # None: on when an app id is set. true: on without one too (local development, the Bot Framework Emulator).
    enabled: bool | None = None
    app_id: str | None = None
    app_password: str | None = None
    tenant_id: str | None = None
    app_type: str | None = None
    # Where the Bot Framework's OpenID metadata (its token signing keys) is fetched; tests point it at a fake.
    openid_metadata_url: str | None = None


class PlaygroundConfig(_Strict):
    enabled: bool | None = None
    staff: list[str] = ["Sam Patel", "Alex Morgan", "Jo Williams"]


class DataProtectionConfig(_Strict):
    patient_data_guard: bool = True
    erasure: Literal["anonymise", "delete"] = "anonymise"
    retention_days_after_close: int | None = Field(default=None, ge=1)
    # Keys the pseudonyms the audit log keeps of erased people; without one, each erasure gets a random key.
    hash_salt: str | None = None
    incident_reporting: str = Field(default=(
        "To report an incident or a concern about a patient, use your organisation's incident reporting system, "
        "not Crowdbot."), min_length=1)


_DURATION = re.compile(r"^(\d{1,4})([mhd])$")
_DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
HOUR_START_FORMAT = "%Y-%m-%d %H:%M"
REHEARSAL_SUFFIX = "-rehearsal"  # the playground rehearses an idea hour under "<key>-rehearsal"


def _duration(value: str) -> str:
    if not _DURATION.match(str(value).strip()):
        raise ValueError(f"{value!r} is not a duration like '15m', '2h' or '1d'")
    return str(value).strip()


def _local_start(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    try:
        return datetime.strptime(str(value).strip(), HOUR_START_FORMAT)
    except ValueError:
        raise ValueError(f"{value!r} is not a start time like '2026-12-03 19:00' (campaign time zone)") from None


def _question(value: str) -> str:
    if not value.strip():
        raise ValueError("a question is empty")
    return value.strip()


def duration_of(value: str) -> timedelta:
    """'15m' -> 15 minutes, '1d' -> 1 day (values already checked by IdeaHourConfig)."""
    amount, unit = _DURATION.match(value).groups()  # type: ignore[union-attr]
    return timedelta(**{_DURATION_UNITS[unit]: int(amount)})


class IdeaHourConfig(_Strict):
    """An idea hour: a scheduled chat of a few questions in a challenge's channels (answers are thread replies)."""

    key: Annotated[str, AfterValidator(_key)]
    challenge: str
    title: str = Field(min_length=1)
    channels: list[Ref] = Field(min_length=1)
    starts: Annotated[datetime, BeforeValidator(_local_start)]
    questions: list[Annotated[str, AfterValidator(_question)]] = Field(min_length=1, max_length=20)
    question_interval_minutes: int = Field(default=15, gt=0, le=240)
    hosts: list[Ref] = []
    reminders: list[Annotated[str, AfterValidator(_duration)]] = []

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.question_interval_minutes)

    def start_at(self, tz: ZoneInfo) -> datetime:
        return self.starts.replace(tzinfo=tz)

    def end_at(self, tz: ZoneInfo) -> datetime:
        """One interval after the last question."""
        return self.start_at(tz) + self.interval * len(self.questions)


def idea_hour_problems(config: AppConfig) -> list[str]:
    """Checks across idea hours and challenges, each naming its key path."""
    problems: list[str] = []
    tz = ZoneInfo(config.campaign.timezone)
    seen: dict[str, int] = {}
    for index, hour in enumerate(config.idea_hours):
        path = f"idea_hours[{index}]"
        if hour.key in seen:
            problems.append(f"{path}.key: {hour.key!r} is also the key of idea_hours[{seen[hour.key]}]")
        if hour.key.endswith(REHEARSAL_SUFFIX):
            problems.append(f"{path}.key: {hour.key!r} ends with {REHEARSAL_SUFFIX!r}, which is kept for the "
                            f"playground's rehearsals of an hour; choose another key")
        seen.setdefault(hour.key, index)
        challenge = config.challenge(hour.challenge)
        if challenge is None:
            known = ", ".join(c.key for c in config.challenges)
            problems.append(f"{path}.challenge: {hour.challenge!r} is not a challenge key (challenges: {known})")
            continue
        for position, channel in enumerate(hour.channels):
            if channel not in challenge.channels:
                problems.append(f"{path}.channels[{position}]: {channel!r} is not a channel of the challenge "
                                f"{challenge.key!r} (add it to that challenge's channels, or choose one of "
                                f"{', '.join(challenge.channels) or 'none'})")
    for index, hour in enumerate(config.idea_hours):
        for other_index in range(index):
            other = config.idea_hours[other_index]
            shared = sorted(set(hour.channels) & set(other.channels))
            if shared and hour.start_at(tz) < other.end_at(tz) and other.start_at(tz) < hour.end_at(tz):
                problems.append(f"idea_hours[{index}].starts: {hour.key!r} overlaps {other.key!r} "
                                f"(idea_hours[{other_index}]) in {', '.join(shared)}")
    return problems


def idea_hour_warnings(config: AppConfig, now: datetime) -> list[str]:
    """Not errors: an hour whose start has passed is simply never run by the scheduler."""
    tz = ZoneInfo(config.campaign.timezone)
    return [f"idea_hours[{index}].starts: {hour.starts:{HOUR_START_FORMAT}} is in the past; the scheduler will "
            f"not run {hour.key!r} (start it by hand with `/idea hour start {hour.key}`)"
            for index, hour in enumerate(config.idea_hours) if hour.start_at(tz) < now]


class AppConfig(_Strict):
    campaign: CampaignConfig
    storage: StorageConfig = StorageConfig()
    roles: RolesConfig = RolesConfig()
    voting: VotingConfig = VotingConfig()
    challenges: list[ChallengeConfig] = Field(min_length=1)
    digests: DigestsConfig = DigestsConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    fika: FikaConfig | None = None
    slack: SlackConfig = SlackConfig()
    teams: TeamsConfig = TeamsConfig()
    playground: PlaygroundConfig = PlaygroundConfig()
    data_protection: DataProtectionConfig = DataProtectionConfig()
    idea_hours: list[IdeaHourConfig] = []
    similarity: SimilarityConfig = SimilarityConfig()

    @model_validator(mode="after")
    def _unique_challenge_keys(self) -> AppConfig:
        seen: set[str] = set()
        for challenge in self.challenges:
            if challenge.key in seen:
                raise ValueError(f"challenge key {challenge.key!r} is used twice")
            seen.add(challenge.key)
        return self

    def cross_problems(self) -> list[str]:
        """Problems that span sections, each prefixed with its key path."""
        problems = []
        if self.fika is not None and self.fika.challenge is not None and self.challenge(self.fika.challenge) is None:
            known = ", ".join(c.key for c in self.challenges)
            problems.append(f"fika.challenge: {self.fika.challenge!r} is not a challenge key (challenges: {known})")
        return problems

    def challenge(self, key: str) -> ChallengeConfig | None:
        return next((c for c in self.challenges if c.key == key), None)

    def challenge_for_channel(self, channel_ref: str) -> ChallengeConfig | None:
        return next((c for c in self.challenges if channel_ref in c.channels), None)

    def idea_hour(self, key: str) -> IdeaHourConfig | None:
        return next((h for h in self.idea_hours if h.key == key), None)

    def mentions_platform(self, platform: str) -> bool:
        """Whether app.yaml names any channel or person on this platform."""
        refs = [*self.roles.community_managers, *self.roles.leaders, *self.roles.admins]
        refs += [ref for c in self.challenges for ref in c.channels]
        for schedule in (self.digests.leaders, self.digests.community, self.digests.backers):
            refs += schedule.channels if schedule else []
        return any(ref.startswith(platform + ":") for ref in refs)


def expand_env(value: Any, environ: Mapping[str, str] | None = None) -> Any:
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


# Each adapter's settings by convention: read from these variables whether or not app.yaml has the section;
# a value the file sets (non-blank after ${VAR} expansion) wins.
CONVENTIONAL_ENV: dict[str, dict[str, str]] = {
    "slack": {"bot_token": "SLACK_BOT_TOKEN", "signing_secret": "SLACK_SIGNING_SECRET",
              "app_token": "SLACK_APP_TOKEN", "api_url": "SLACK_API_URL"},
    "teams": {"app_id": "MICROSOFT_APP_ID", "app_password": "MICROSOFT_APP_PASSWORD",
              "tenant_id": "MICROSOFT_APP_TENANT_ID", "app_type": "MICROSOFT_APP_TYPE"},
}


def apply_conventional_env(raw: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Fills each adapter section's unset keys from its conventional environment variables."""
    merged = dict(raw)
    for section, variables in CONVENTIONAL_ENV.items():
        given = merged.get(section)
        if given is not None and not isinstance(given, dict):
            continue  # not a mapping: leave it for validation to name the problem
        filled = dict(given or {})
        for key, variable in variables.items():
            if _blank_to_none(filled.get(key)) is None and environ.get(variable, "").strip():
                filled[key] = environ[variable].strip()
        if filled or given is not None:
            merged[section] = filled
    return merged


def parse_config(raw: Any, environ: dict[str, str] | None = None) -> AppConfig:
    if not isinstance(raw, dict):
        raise ConfigError("(top level): expected a mapping with campaign, challenges, ...")
    env = os.environ if environ is None else environ
    try:
        config = AppConfig.model_validate(apply_conventional_env(expand_env(raw, env), env))
    except ValidationError as exc:
        raise ConfigError("\n".join(_describe(error) for error in exc.errors())) from None
    problems = idea_hour_problems(config) + config.cross_problems()
    if problems:
        raise ConfigError("\n".join(problems))
    return config


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
