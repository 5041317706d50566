"""The audit log records each manager action (who, what, which idea, when) and nothing for refused commands."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import Core
from bot.handler import Bot
from storage.models import AuditEntry
from tests.factories import CM, LEADER, FixedClock, say


async def entries(core: Core) -> list[tuple[str, str, int | None, str]]:
    async with core.db.transaction() as session:
        rows = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars().all()
    return [(row.actor_ref, row.action, row.idea_number, row.detail) for row in rows]


async def test_every_manager_action_is_recorded(bot: Bot, core: Core, clock: FixedClock) -> None:
    await say(bot, "slack:U1", "Self-rostering app")
    await say(bot, "slack:U2", "Rota swaps in an app")
    commands = ["status #1 under_review Looking at costs with finance", "horizon #1 H2", "theme #1 Rostering",
                "theme #1 -rostering", "merge #2 into #1", "unmerge #2", "prompt rotas", "digest"]
    for command in commands:
        await say(bot, CM, command)
    await say(bot, LEADER, "status #2 done Rolled out in May")

    assert await entries(core) == [
        (CM, "status", 1, "under_review (with a note)"), (CM, "horizon", 1, "H2"),
        (CM, "theme added", 1, "Rostering"), (CM, "theme removed", 1, "-rostering".lstrip("-")),
        (CM, "merge", 2, "into #1"), (CM, "unmerge", 2, ""), (CM, "prompt sent", None, "rotas"),
        (CM, "digest sent", None, ""), (LEADER, "status", 2, "done (with a note)")]
    async with core.db.transaction() as session:
        assert {row.at for row in (await session.execute(select(AuditEntry))).scalars()} == {clock.now}


async def test_refused_and_read_only_commands_leave_no_entry(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Self-rostering app")
    await say(bot, "slack:U1", "status #1 done Did it myself")  # staff may not decide
    await say(bot, CM, "status #9 under_review")  # no such idea
    await say(bot, CM, "digest preview")
    await say(bot, CM, "top")
    assert await entries(core) == []
