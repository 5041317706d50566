"""Decisions, horizons, themes and the author's acknowledgement."""

from sqlalchemy import select

from bot.context import Core
from bot.handler import Bot
from bot.message import Message
from storage.models import OutboxMessage, StatusChange
from tests.factories import CM, LEADER, say, text_of


async def directs(core: Core) -> list[OutboxMessage]:
    async with core.db.transaction() as session:
        rows = await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "direct"))
        return list(rows.scalars())


async def test_done_and_not_taken_forward_need_a_note(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    for status in ("done", "not_taken_forward"):
        assert "A note is required" in text_of(await say(bot, CM, f"status #1 {status}"))
    async with core.db.transaction() as session:
        assert (await session.execute(select(StatusChange))).first() is None


async def test_status_change_records_history_and_tells_the_anonymous_author(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "anon Quiet room on ward 3")
    assert "Its author has been told" in text_of(await say(bot, LEADER, "status #1 in_progress Room booked from May"))
    async with core.db.transaction() as session:
        change = (await session.execute(select(StatusChange))).scalar_one()
    assert (change.from_status, change.to_status, change.by_ref) == ("new", "in_progress", LEADER)
    (direct,) = await directs(core)
    assert direct.user_ref == "U1" and direct.platform == "slack"
    message = Message.from_json(direct.payload or {})
    assert "in progress" in message.text and "Room booked from May" in message.text


async def test_horizon_and_themes(bot: Bot) -> None:
    await say(bot, "slack:U1", "Idea")
    assert "H1 (quick win)" in text_of(await say(bot, CM, "horizon #1 h1"))
    await say(bot, CM, "theme #1 Rostering")
    assert "already has the theme 'rostering'" in text_of(await say(bot, CM, "theme #1 rostering"))
    shown = text_of(await say(bot, "slack:U2", "show #1"))
    assert "Themes: rostering" in shown and "Horizon: H1" in shown
    await say(bot, CM, "theme #1 -rostering")
    assert "Themes" not in text_of(await say(bot, "slack:U2", "show #1"))


async def test_notifications_preference(bot: Bot) -> None:
    assert "now off" in text_of(await say(bot, "slack:U1", "notifications off"))
    assert "now on" in text_of(await say(bot, "slack:U1", "notifications on"))
