"""Erasure keeps every count exact and leaves no trace of the person; subject access shows everything, anonymous
ideas included."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlmodel import SQLModel

from bot.announcements import preview_digest
from bot.context import Core
from bot.erasure import REMOVED_TEXT, forget_person
from bot.exports import idea_rows
from bot.handler import Bot
from bot.subject_access import subject_access_document
from storage import hour_reminders
from storage.models import Comment, Idea, OutboxMessage, Vote
from storage.polis import assign_pids
from tests.core.test_votes import posted
from tests.factories import CM, make_config, reply_in_thread, say, text_of

PERSON = "slack:UFORGET"


async def campaign_with_the_person(bot: Bot, core: Core) -> None:
    await say(bot, PERSON, "Quieter night handovers on ward 3")  # 1
    await say(bot, PERSON, "anon Anonymous idea about breaks")  # 2
    await say(bot, "slack:U2", "Self-rostering app")  # 3
    await say(bot, "slack:U2", "Healthier hot food in the canteen at night")  # 4
    for voter in (PERSON, "slack:U3"):
        await say(bot, voter, "vote #3")
        await say(bot, voter, "vote #4")
    await say(bot, CM, "merge #4 into #3")
    await posted(core, 3, "300.1")
    await reply_in_thread(bot, PERSON, "300.1", "Yes, and let us swap online", "300.2")
    await say(bot, CM, "status #1 under_review Looking into it")  # the person is told: a direct message
    async with core.db.transaction() as session:  # they pressed "Remind me" on an idea hour's announcement
        await hour_reminders.request_reminder(session, hour_key="handovers-hour", person_ref=PERSON, now=core.now())


async def rows_naming(core: Core, who: str) -> list[str]:
    """Every row of every table whose text contains `who`."""
    found = []
    async with core.db.transaction() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                if who in str(tuple(row)):
                    found.append(f"{table.name}: {row}")
    return found


async def counts(core: Core) -> dict[int, tuple[int, int]]:
    """Per idea: its stored vote_count and the count recomputed from the vote table (distinct over its group)."""
    async with core.db.transaction() as session:
        items = (await session.execute(select(Idea))).scalars().all()
        result = {}
        for idea in items:
            group = [i.id for i in items if i.id == idea.id or (idea.merged_into_id is None
                                                                 and i.merged_into_id == idea.id)]
            voters = set((await session.execute(select(Vote.voter_ref).where(Vote.idea_id.in_(group)))).scalars())
            result[idea.number] = (idea.vote_count, len(voters))
    return result


async def test_forget_me_asks_first_then_erases_without_a_trace(bot: Bot, core: Core) -> None:
    await campaign_with_the_person(bot, core)
    assert (await counts(core))[3] == (2, 2)

    asked = await say(bot, PERSON, "forget me")
    assert "forget me confirm" in text_of(asked) and await rows_naming(core, PERSON.partition(":")[2])
    done = await say(bot, PERSON, "forget me confirm")

    assert "forgotten" in text_of(done)
    assert await rows_naming(core, PERSON.partition(":")[2]) == []  # the bare id: no table keeps it anywhere
    assert all(stored == recomputed for stored, recomputed in (await counts(core)).values())
    assert (await counts(core))[3] == (1, 1) and (await counts(core))[4] == (1, 1)
    async with core.db.transaction() as session:
        authors = dict((await session.execute(select(Idea.number, Idea.author_ref))).all())
        comment = (await session.execute(select(Comment))).scalar_one()
        updates = {row.idea_id for row in (await session.execute(
            select(OutboxMessage).where(OutboxMessage.kind == "idea_update"))).scalars()}
        rows = await idea_rows(core, session)
        digest = await preview_digest(core, session)
    assert authors[1] == authors[2] == comment.author_ref == "former:participant"
    assert comment.text == "Yes, and let us swap online"  # kept as a contribution
    assert 3 in {number for number, in [(await _number(core, i),) for i in updates]}  # its post shows the new count
    assert PERSON.partition(":")[2] not in str(rows) + digest.text
    assert "a former participant" in text_of(await say(bot, "slack:U2", "show #1"))


async def _number(core: Core, idea_id: int) -> int:
    async with core.db.transaction() as session:
        return int((await session.execute(select(Idea.number).where(Idea.id == idea_id))).scalar_one())


async def test_erasure_is_idempotent_and_audited_without_the_identity(bot: Bot, core: Core) -> None:
    core.config = make_config(data_protection={"hash_salt": "test-salt"})
    await campaign_with_the_person(bot, core)
    async with core.db.transaction() as session:
        first = await forget_person(core, session, PERSON, requested_by="cli")
    async with core.db.transaction() as session:
        again = await forget_person(core, session, PERSON, requested_by="cli")
        audit = (await session.execute(text("SELECT action, detail FROM auditentry WHERE action = 'erasure'"))).all()

    assert (first.votes_on, first.ideas, first.comments) == (2, 2, 1)
    assert (again.votes_on, again.ideas, again.comments, again.other_rows) == (0, 0, 0, 0)
    assert first.pseudonym == again.pseudonym and first.pseudonym.startswith("erased:")
    assert [tuple(row) for row in audit] == [("erasure", first.pseudonym)] * 2


async def test_delete_mode_removes_the_text_and_keeps_the_numbers(bot: Bot, core: Core) -> None:
    core.config = make_config(data_protection={"erasure": "delete"})
    await campaign_with_the_person(bot, core)
    async with core.db.transaction() as session:
        await forget_person(core, session, PERSON, requested_by="cli")
    async with core.db.transaction() as session:
        texts = dict((await session.execute(select(Idea.number, Idea.text))).all())
        comments = (await session.execute(select(Comment))).scalars().all()
    assert texts[1] == texts[2] == REMOVED_TEXT and texts[3] == "Self-rostering app"
    assert comments == []


async def test_subject_access_includes_the_anonymous_ideas(bot: Bot, core: Core) -> None:
    await campaign_with_the_person(bot, core)
    async with core.db.transaction() as session:
        assert (await subject_access_document(session, ref=PERSON, now=core.now()))["polis_pid"] is None
        pid = (await assign_pids(session, refs=[PERSON]))[PERSON]  # as a Polis export gives them one
    async with core.db.transaction() as session:
        document = await subject_access_document(session, ref=PERSON, now=core.now())

    assert [(i["number"], i["anonymous"]) for i in document["ideas"]] == [(1, False), (2, True)]  # type: ignore[index]
    assert sorted(v["idea"] for v in document["votes"]) == [3, 4]  # type: ignore[index]
    assert [c["text"] for c in document["comments"]] == ["Yes, and let us swap online"]  # type: ignore[index]
    assert document["messages_to_them"]  # the decision on #1 was queued to them
    assert document["idea_hour_reminders_asked_for"] == ["handovers-hour"]
    assert document["polis_pid"] == pid
