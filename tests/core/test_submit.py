"""Submitting ideas: confirmation, numbering, validation that stores nothing, challenges."""

from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from storage.models import Idea, OutboxMessage
from tests.factories import CM, say, text_of


async def count(core: Core, model) -> int:  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_submit_confirms_with_the_idea_number_and_queues_a_post(bot: Bot, core: Core) -> None:
    reply = await say(bot, "slack:U1", "Better rota swaps")
    assert text_of(reply).startswith("Thanks, your idea #1 is in")
    reply = await say(bot, "slack:U2", "Self-rostering app")
    assert "#2" in text_of(reply)
    async with core.db.transaction() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    # Each idea is posted to its challenge's Slack channel and to the playground channel.
    assert [(r.platform, r.kind, r.conversation) for r in rows[:2]] == [
        ("slack", "idea_post", "CROTA"), ("playground", "idea_post", "rotas")]


async def test_submission_goes_to_the_channels_challenge(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Hot drinks on nights", channel="CBREAK")
    async with core.db.transaction() as session:
        idea = (await session.execute(select(Idea))).scalar_one()
    assert idea.challenge_key == "breaks"


async def test_anonymous_submission_keeps_the_author_for_the_bot_only(bot: Bot, core: Core) -> None:
    reply = await say(bot, "slack:U1", "anon Managers should cover lunch breaks")
    assert "anonymously" in text_of(reply)
    async with core.db.transaction() as session:
        idea = (await session.execute(select(Idea))).scalar_one()
    assert idea.anonymous and idea.author_ref == "slack:U1"
    shown = text_of(await say(bot, "slack:U2", "show #1"))
    assert "anonymous" in shown and "U1" not in shown


async def test_bad_ideas_get_specific_messages_and_store_nothing(bot: Bot, core: Core) -> None:
    assert "is empty" in text_of(await say(bot, "slack:U1", "anon    "))
    assert "limit is 200" in text_of(await say(bot, "slack:U1", "x" * 201))
    assert "201 characters" in text_of(await say(bot, "slack:U1", "x" * 201))
    assert "control characters" in text_of(await say(bot, "slack:U1", "bad \x07 bell"))
    assert await count(core, Idea) == 0
    assert await count(core, OutboxMessage) == 0


async def test_closed_challenge_refuses_ideas(bot: Bot, core: Core) -> None:
    assert "closed on 2020-02-01" in text_of(await say(bot, "slack:U1", "Too late", channel="COLD"))
    assert await count(core, Idea) == 0


async def test_empty_command_opens_the_form_on_the_channels_challenge(bot: Bot) -> None:
    reply = await say(bot, "slack:U1", "", channel="CBREAK")
    form = reply.messages[0].form
    assert form is not None and form.default_challenge == "breaks"
    assert [c.key for c in form.challenges] == ["rotas", "breaks"]  # the closed challenge is not offered


async def test_help_shows_manager_commands_only_to_managers(bot: Bot) -> None:
    assert "merge" not in text_of(await say(bot, "slack:U1", "help"))
    assert "merge #N into #M" in text_of(await say(bot, CM, "help"))


async def test_unknown_idea_number(bot: Bot) -> None:
    assert "There is no idea #99" in text_of(await say(bot, "slack:U1", "show #99"))


async def test_replayed_event_ids_count_once(bot: Bot, core: Core) -> None:
    first = await say(bot, "slack:U1", "Idea once", event_id="Ev1")
    again = await say(bot, "slack:U1", "Idea once", event_id="Ev1")
    assert first.changed and again.duplicate
    assert await count(core, Idea) == 1


async def test_mine_lists_own_ideas_with_decision_notes(bot: Bot) -> None:
    await say(bot, "slack:U1", "Idea A")
    await say(bot, "slack:U2", "Idea B")
    await say(bot, CM, "status #1 done Rolled out to ward 7")
    mine = text_of(await say(bot, "slack:U1", "mine"))
    assert "#1 Idea A" in mine and "Rolled out to ward 7" in mine and "Idea B" not in mine
