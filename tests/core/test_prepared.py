"""A manager's `duplicates` and `themes suggest` are computed before the command's transaction, from a snapshot:
the computation does not wait for (or hold) the write lock that submissions need. Staff, an unknown challenge
and commands with nothing slow get nothing prepared, and the command answers as before."""

from __future__ import annotations

import asyncio

from bot.context import Core
from bot.events import Address, CommandInvoked
from bot.handler import Bot
from bot.prepared import prepare
from storage import ideas
from tests.core.test_themes import seed
from tests.factories import CM, actor, say, text_of


def command(ref: str, text: str) -> CommandInvoked:
    who = actor(ref)
    return CommandInvoked(who, Address(who.platform, "CROTA"), text)


async def add_look_alike(core: Core) -> None:
    async with core.db.transaction() as session:
        await ideas.create_idea(session, number=11, challenge_key="rotas", text="Publish the rota six weeks in advance",
                                author_ref="slack:U11", anonymous=False, now=core.now())


async def test_a_managers_boards_are_prepared_while_another_transaction_holds_the_database(core: Core) -> None:
    await seed(core)
    await add_look_alike(core)

    async with core.db.transaction() as session:
        await ideas.create_idea(session, number=12, challenge_key="rotas", text="Held open while we prepare",
                                author_ref="slack:U12", anonymous=False, now=core.now())
        # Inside a write transaction that is not finished: preparing must not wait for it.
        duplicates = await asyncio.wait_for(prepare(core, command(CM, "duplicates rotas")), timeout=30)
        themes = await asyncio.wait_for(prepare(core, command(CM, "themes suggest")), timeout=30)

    assert duplicates.duplicates is not None and duplicates.themes is None
    assert [(p.duplicate, p.survivor) for p in duplicates.duplicates.pairs][:1] == [(11, 6)]
    assert 12 not in duplicates.duplicates.texts  # the snapshot: not the open transaction's idea
    assert themes.themes is not None and themes.themes.challenge.key == "rotas"  # the channel's challenge
    assert themes.themes.suggestions


async def test_nothing_is_prepared_for_staff_unknown_challenges_or_quick_commands(core: Core) -> None:
    await seed(core)
    for ref, text in (("slack:U1", "duplicates rotas"), ("slack:U1", "themes suggest rotas"),
                      (CM, "duplicates no-such-challenge"), (CM, "themes apply S1"), (CM, "digest preview"),
                      (CM, "top rotas")):
        prepared = await prepare(core, command(ref, text))
        assert (prepared.chart, prepared.themes, prepared.duplicates) == (None, None, None), text


async def test_the_commands_answer_from_what_was_prepared(bot: Bot, core: Core) -> None:
    await seed(core)
    await add_look_alike(core)

    duplicates = await say(bot, CM, "duplicates rotas")
    themes = await say(bot, CM, "themes suggest rotas")
    unknown = await say(bot, CM, "duplicates no-such-challenge")
    staff = await say(bot, "slack:U1", "duplicates rotas")

    assert duplicates.messages[0].actions[0].value == "11:6"
    assert "Suggested themes: Fairer rotas" in text_of(themes) and themes.messages[0].actions
    assert "no-such-challenge" in text_of(unknown) and unknown.refused
    assert "Only admins or community managers can see merge suggestions" in text_of(staff)
