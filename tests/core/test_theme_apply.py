"""Giving a theme to a group in a few statements: only the ideas that can take it and lacked it are themed, each
once, audited once and its posts refreshed; a group larger than one statement's share is themed whole; an
unknown number changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from bot.context import Core
from bot.erasure import REMOVED_TEXT
from bot.errors import UserError
from bot.themes.apply import theme_ideas
from storage import theming
from storage.models import AuditEntry, Idea, IdeaPost, IdeaTheme, OutboxMessage
from tests.factories import CM


async def add_ideas(core: Core, count: int, *, challenge_key: str = "rotas", start: int = 1) -> dict[int, int]:
    now = core.now()
    async with core.db.transaction() as session:
        await session.execute(insert(Idea), [
            {"number": n, "challenge_key": challenge_key, "text": f"Idea {n}", "author_ref": f"slack:U{n}",
             "anonymous": False, "created_at": now, "updated_at": now} for n in range(start, start + count)])
        rows = await session.execute(select(Idea.number, Idea.id).where(Idea.number >= start))
        return {number: idea_id for number, idea_id in rows}


async def rows(core: Core, model, *where):  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return list((await session.execute(select(model).where(*where))).scalars())


async def apply(core: Core, numbers: list[int], theme: str = "handover") -> list[int]:
    async with core.db.transaction() as session:
        return await theme_ideas(core, session, numbers=numbers, challenge_key="rotas", theme=theme, by_ref=CM)


async def test_only_ideas_that_can_take_the_theme_and_lack_it_are_themed_audited_and_refreshed(core: Core) -> None:
    ids = await add_ideas(core, 6)
    ids |= await add_ideas(core, 1, challenge_key="breaks", start=7)
    async with core.db.transaction() as session:
        (await session.get(Idea, ids[2])).merged_into_id = ids[1]  # type: ignore[union-attr]
        (await session.get(Idea, ids[3])).text = REMOVED_TEXT
        session.add(IdeaTheme(idea_id=ids[4], theme="handover", added_by="slack:UEARLIER", created_at=core.now()))
        session.add_all(IdeaPost(idea_id=ids[n], platform="slack", conversation="CROTA", message_id=f"{n}.1",
                                 created_at=core.now()) for n in (5, 6))

    themed = await apply(core, [6, 2, 3, 4, 5, 7, 1, 6])

    assert themed == [6, 5, 1]  # in the order given, each once; not merged, erased, already themed or elsewhere
    stored = {(t.idea_id, t.added_by) for t in await rows(core, IdeaTheme)}
    assert stored == {(ids[6], CM), (ids[5], CM), (ids[1], CM), (ids[4], "slack:UEARLIER")}
    (theme_row,) = await rows(core, IdeaTheme, IdeaTheme.idea_id == ids[6])
    assert theme_row.created_at.replace(tzinfo=None) == core.now().replace(tzinfo=None)
    audited = sorted((e.actor_ref, e.idea_number, e.detail) for e in await rows(core, AuditEntry))
    assert audited == [(CM, 1, "handover"), (CM, 5, "handover"), (CM, 6, "handover")]
    updates = await rows(core, OutboxMessage, OutboxMessage.kind == "idea_update")
    assert sorted(m.idea_id for m in updates) == sorted([ids[5], ids[6]])  # the themed ideas that have posts

    assert await apply(core, [1, 5, 6]) == []  # again: nothing new, nothing more audited
    assert len(await rows(core, AuditEntry)) == 3


async def test_a_group_larger_than_one_statement_is_themed_whole(core: Core) -> None:
    size = theming.CHUNK * 2 + 3
    await add_ideas(core, size)

    themed = await apply(core, list(range(size, 0, -1)))

    assert themed == list(range(size, 0, -1))
    assert len(await rows(core, IdeaTheme)) == size and len(await rows(core, AuditEntry)) == size


async def test_an_unknown_number_changes_nothing(core: Core) -> None:
    await add_ideas(core, 3)

    with pytest.raises(UserError, match="There is no idea #99. Nothing was changed."):
        await apply(core, [1, 99, 2])

    assert await rows(core, IdeaTheme) == [] and await rows(core, AuditEntry) == []

