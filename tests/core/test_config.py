from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError, expand_env, load_config, parse_config

EXAMPLE = Path(__file__).parents[2] / "app.yaml"


def test_example_app_yaml_is_a_realistic_campaign() -> None:
    config = load_config(EXAMPLE, environ={})
    assert len(config.challenges) == 4
    assert all(len(challenge.questions) == 3 for challenge in config.challenges)
    assert config.storage.url == "sqlite+aiosqlite:///crowdbot.db"
    assert config.slack.bot_token is None  # "${SLACK_BOT_TOKEN:-}" with nothing set means not configured


def test_environment_expansion_with_defaults() -> None:
    env = {"TOKEN": "xoxb-1"}
    assert expand_env({"a": "${TOKEN}", "b": ["${MISSING:-fallback}"], "c": "${MISSING}"}, env) == {
        "a": "xoxb-1", "b": ["fallback"], "c": ""}


def test_secrets_come_from_the_environment() -> None:
    config = load_config(EXAMPLE, environ={"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cret",
                                           "DATABASE_URL": "postgresql+asyncpg://db/crowdbot"})
    assert config.slack.enabled
    assert config.storage.url == "postgresql+asyncpg://db/crowdbot"


def _broken(mutate) -> str:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(EXAMPLE.read_text())
    mutate(raw)
    with pytest.raises(ConfigError) as error:
        parse_config(raw, environ={})
    return str(error.value)


def test_bad_cron_names_the_key_path() -> None:
    message = _broken(lambda raw: raw["challenges"][1]["prompts"].update(cron="every morning"))
    assert message == ("challenges[1].prompts.cron: 'every morning' is not a cron expression "
                       "(five fields: minute hour day month weekday)")


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda raw: raw["campaign"].update(timezone="Mars/Olympus"), "campaign.timezone: 'Mars/Olympus' is not a known"),
    (lambda raw: raw["campaign"].update(audience_size=0), "campaign.audience_size: 0: Input should be greater"),
    (lambda raw: raw["campaign"].pop("name"), "campaign.name: is required"),
    (lambda raw: raw["roles"].update(leaders=["U0LEAD"]), "roles.leaders[0]: 'U0LEAD' must look like"),
    (lambda raw: raw["challenges"][0].update(key="Ways Of Working"), "challenges[0].key:"),
    (lambda raw: raw["challenges"][2].update(key="ways-of-working"), "challenge key 'ways-of-working' is used twice"),
    (lambda raw: raw.update(campaing={}), "campaing: is not a known setting"),
    (lambda raw: raw["challenges"][0].update(questions=[]), "challenges[0].questions:"),
])
def test_invalid_settings_are_named(mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert expected in _broken(mutate)


def test_unreadable_and_non_yaml_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaign: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
