"""Test helpers: a small campaign configuration, a settable clock, and chat-like calls into the bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import StartedClock
from bot.config import AppConfig, parse_config
from bot.events import Actor, Address, CommandInvoked, ReactionChanged, ThreadReply
from bot.handler import Bot
from bot.message import Reply

CM = "slack:UCM"
LEADER = "slack:ULEAD"


def make_config(**overrides: Any) -> AppConfig:
    raw: dict[str, Any] = {
        "campaign": {"name": "Test campaign", "timezone": "Europe/London", "audience_size": 100,
                     "idea_max_length": 200},
        "roles": {"community_managers": [CM], "leaders": [LEADER]},
        "voting": {"emoji": ["+1", "thumbsup", "heart"], "self_votes": False},
        "challenges": [
            {"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?", "Q2?", "Q3?"],
             "channels": ["slack:CROTA"], "prompts": {"cron": "30 9 * * mon-fri"}},
            {"key": "breaks", "title": "Better breaks", "questions": ["B1?"], "channels": ["slack:CBREAK"]},
            {"key": "closed", "title": "Old challenge", "questions": ["Old?"], "channels": ["slack:COLD"],
             "opens": "2020-01-01", "closes": "2020-02-01"},
        ],
    }
    # Tests of other features post many near-identical ideas; the similar-ideas check before posting has its own
    # tests, which turn it on (`similarity={"enabled": True}`, or `SIMILAR_IDEAS_ON`).
    raw["similarity"] = {"enabled": False}
    for key, value in overrides.items():
        raw[key] = value
    return parse_config(raw, environ={})


SIMILAR_IDEAS_ON = {"similarity": {"enabled": True}}


# A Sunday midday in London: no job of the example campaign or the test campaign is due within a day of it.
QUIET_MOMENT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def harness_clock() -> StartedClock:
    """The clock every HTTP harness gives the bot: it ticks (so retries and leases move on) from a fixed quiet
    moment, so no test depends on the day or the hour it is run."""
    return StartedClock(QUIET_MOMENT)


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def actor(ref: str, name: str = "") -> Actor:
    platform, _, user = ref.partition(":")
    return Actor(platform, user, name or user)


async def say(bot: Bot, ref: str, text: str, channel: str = "CROTA", event_id: str | None = None) -> Reply:
    who = actor(ref)
    return await bot.handle(CommandInvoked(who, Address(who.platform, channel), text, event_id))


async def react(bot: Bot, ref: str, message_id: str, emoji: str = "+1", added: bool = True,
                channel: str = "CROTA", event_id: str | None = None) -> Reply:
    who = actor(ref)
    return await bot.handle(ReactionChanged(who, Address(who.platform, channel, message=message_id), emoji, added,
                                            event_id))


async def reply_in_thread(bot: Bot, ref: str, thread: str, text: str, message_id: str,
                          channel: str = "CROTA") -> Reply:
    who = actor(ref)
    return await bot.handle(ThreadReply(who, Address(who.platform, channel, thread=thread), text, message_id,
                                        f"ev-{message_id}"))


def text_of(reply: Reply) -> str:
    return "\n".join(message.text for message in reply.messages)
