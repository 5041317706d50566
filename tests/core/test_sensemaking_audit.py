"""Manager actions taken with a sensemaking button are in the audit log as typed ones are: each idea a theme
suggestion's Apply themes (by button and by `themes apply`), and a merge suggestion's Merge."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import Core
from bot.handler import Bot
from storage.models import AuditEntry, IdeaTheme
from tests.core.test_themes import press, seed
from tests.factories import CM, say


async def audit_log(core: Core) -> list[tuple[str, str, int | None, str]]:
    async with core.db.transaction() as session:
        entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars().all()
    return [(e.actor_ref, e.action, e.idea_number, e.detail) for e in entries]


async def themed_numbers(core: Core) -> set[int]:
    async with core.db.transaction() as session:
        return {row.idea_id for row in (await session.execute(select(IdeaTheme))).scalars()}


async def test_applying_a_suggestion_by_button_or_command_audits_each_idea_themed(bot: Bot, core: Core) -> None:
    await seed(core)
    (message,) = (await say(bot, CM, "themes suggest rotas")).messages
    first, second = message.actions[0], message.actions[1]

    await press(bot, CM, first.action_id, first.value)
    await say(bot, CM, f"themes apply S{second.value} car parks")

    log = await audit_log(core)
    assert {action for _, action, _, _ in log} == {"theme added"} and {a for a, _, _, _ in log} == {CM}
    assert len(log) == len(await themed_numbers(core)) >= 2  # one entry per idea themed, none for the rest
    assert any(detail == "car parks" for _, _, _, detail in log)


async def test_a_merge_suggestions_button_is_audited_as_the_typed_merge(bot: Bot, core: Core) -> None:
    await seed(core)
    await press(bot, CM, "duplicate_merge_0", "2:1")

    assert await audit_log(core) == [(CM, "merge", 2, "into #1")]
