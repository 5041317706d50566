"""Platform details the adapters declare (bot/platform.py): a conversation per challenge and command words.
The core holds no platform's special case; the composition root hands it what each live adapter declares."""

from __future__ import annotations

from sqlalchemy import select

from bot.announcements import post_prompt
from bot.app import platform_traits
from bot.context import Core
from bot.handler import Bot
from bot.platform import PlatformTraits
from storage.database import Database
from storage.models import OutboxMessage
from tests.factories import FixedClock, make_config, say, text_of

TEAMS_CHANNEL = "19:rotas@thread.tacv2"


def _core(db: Database, clock: FixedClock, platforms: set[str], traits: dict[str, PlatformTraits] | None = None,
          **config: object) -> Core:
    frozen = frozenset(platforms)
    return Core(make_config(**config), db, platforms=frozen, clock=clock,
                traits=platform_traits(frozen) if traits is None else traits)


def test_a_platform_that_declares_no_room_per_challenge_gets_none_whatever_its_name(db, clock) -> None:
    bare = _core(db, clock, {"slack", "playground"}, traits={})
    rotas = bare.config.challenge("rotas")
    assert rotas is not None
    assert bare.channels_for(rotas) == [("slack", "CROTA")]
    assert bare.challenge_for("playground", "rotas") is None


def test_the_playground_declares_a_room_per_challenge_when_it_is_on(db, clock) -> None:
    core = _core(db, clock, {"slack", "playground"})
    rotas = core.config.challenge("rotas")
    assert rotas is not None
    assert core.channels_for(rotas) == [("slack", "CROTA"), ("playground", "rotas")]
    assert core.challenge_for("playground", "rotas") is rotas
    assert core.challenge_for("slack", "CROTA") is rotas and core.challenge_for("slack", "rotas") is None
    # Off: its declaration is not even read, and no room is added.
    assert _core(db, clock, {"slack"}).channels_for(rotas) == [("slack", "CROTA")]


def test_any_platform_may_declare_rooms_and_a_configured_channel_there_wins(db, clock) -> None:
    rooms = PlatformTraits(room_per_challenge=lambda key: f"room-{key}")  # Teams, as if it gave each one a room
    challenges = [{"key": "rotas", "title": "Fairer rotas", "questions": ["Q?"], "channels": ["teams:lobby"]},
                  {"key": "breaks", "title": "Better breaks", "questions": ["B?"], "channels": []}]
    core = _core(db, clock, {"teams"}, traits={"teams": rooms}, challenges=challenges)
    rotas, breaks = core.config.challenges
    assert core.channels_for(rotas) == [("teams", "lobby")]
    assert core.channels_for(breaks) == [("teams", "room-breaks")]
    assert core.challenge_for("teams", "room-breaks") is breaks
    assert core.challenge_for("teams", "room-rotas") is rotas and core.challenge_for("teams", "lobby") is rotas


async def test_help_and_usage_quote_each_platforms_command_word(db, clock) -> None:
    bot = Bot(_core(db, clock, {"slack", "teams", "playground"}))
    assert "/idea top" in text_of(await say(bot, "slack:U1", "help"))
    assert "/idea top" in text_of(await say(bot, "playground:Sam", "help", channel="rotas"))
    teams_help = text_of(await say(bot, "teams:aad-1", "help", channel=TEAMS_CHANNEL))
    assert "idea top" in teams_help and "/idea" not in teams_help  # answered in the 1:1 chat: `idea top`


async def test_private_answers_elsewhere_in_the_core_quote_the_platforms_command_word(db, clock) -> None:
    bot = Bot(_core(db, clock, {"slack", "teams"}, fika={"cron": "0 9 * * mon", "challenge": "rotas"}))
    assert "`idea fika on` brings you back" in text_of(await say(bot, "teams:aad-1", "fika off",
                                                                 channel=TEAMS_CHANNEL))
    assert "`/idea fika on` brings you back" in text_of(await say(bot, "slack:U1", "fika off"))
    joined = text_of(await say(bot, "teams:aad-1", "fika on", channel=TEAMS_CHANNEL))
    assert "`idea fika skip` sits out the next round" in joined and "/idea" not in joined


async def test_a_channel_post_invites_in_the_words_of_each_platform(db, clock) -> None:
    challenges = [{"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"],
                   "channels": ["slack:CROTA", f"teams:{TEAMS_CHANNEL}"]}]
    core = _core(db, clock, {"slack", "teams", "playground"}, challenges=challenges)
    async with db.transaction() as session:
        await post_prompt(core, session, core.config.challenges[0], rotation=0)
    async with db.transaction() as session:
        rows = (await session.execute(select(OutboxMessage))).scalars().all()
    texts = {row.platform: (row.payload or {})["text"] for row in rows}
    assert "Share yours: /idea <your idea>." in texts["slack"]
    assert "Share yours: /idea <your idea>." in texts["playground"]
    # In a Teams channel the bot reads only messages that @mention it.
    assert "Share yours: @Crowdbot idea <your idea>." in texts["teams"]
