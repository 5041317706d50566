"""Merging tells the duplicate's author and voters privately, once each, and unmerging tells them again."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import Core
from bot.erasure import forget_person
from bot.events import Address, CommandInvoked
from bot.handler import Bot
from bot.message import Message
from bot.services.merge_notes import queue_merge_notes
from storage import ideas
from storage.models import OutboxMessage
from tests.core.test_themes import press, seed
from tests.factories import CM, actor, say, text_of


async def directs(core: Core) -> dict[str, list[str]]:
    """Each person's direct messages, as '<platform>:<user>' -> texts, in the order queued."""
    async with core.db.transaction() as session:
        rows = await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "direct")
                                     .order_by(OutboxMessage.id))
        told: dict[str, list[str]] = {}
        for row in rows.scalars():
            told.setdefault(f"{row.platform}:{row.user_ref}", []).append(Message.from_json(row.payload or {}).text)
        return told


async def two_ideas(bot: Bot) -> None:
    """#1 by U1 (backed by UA, UB), #2 by U9 (backed by UB, UC and the manager)."""
    await say(bot, "slack:U1", "Publish the rota six weeks ahead")
    await say(bot, "slack:U9", "Rota out six weeks before")
    for voter, number in (("slack:UA", 1), ("slack:UB", 1), ("slack:UB", 2), ("slack:UC", 2), (CM, 2)):
        await say(bot, voter, f"vote #{number}")


async def test_author_and_backers_of_the_duplicate_are_told_once_on_merge_and_on_unmerge(
        bot: Bot, core: Core) -> None:
    await two_ideas(bot)

    assert "merged into #1" in text_of(await say(bot, CM, "merge #2 into #1"))

    told = await directs(core)
    assert set(told) == {"slack:U9", "slack:UB", "slack:UC"}  # not #1's people, not the manager who merged
    assert all(len(notes) == 1 for notes in told.values())
    (author,) = told["slack:U9"]
    assert author.startswith("Your idea #2 was merged into #1: Publish the rota six weeks ahead")
    assert "once per person" in author and "A manager can undo this." in author
    assert "You backed both, so you count once for #1." in told["slack:UB"][0]
    assert "#2, which you backed, was merged into #1" in told["slack:UC"][0]
    assert "Your vote now counts once for #1." in told["slack:UC"][0]

    await say(bot, CM, "unmerge #2")

    told = await directs(core)
    assert set(told) == {"slack:U9", "slack:UB", "slack:UC"}
    assert all(len(notes) == 2 for notes in told.values())
    assert told["slack:U9"][1].startswith("Your idea #2 stands alone again: it is no longer merged into #1")
    assert "Your vote counts for #2 again." in told["slack:UC"][1]


async def test_a_backer_with_notifications_off_is_not_told_the_author_always_is(bot: Bot, core: Core) -> None:
    await two_ideas(bot)
    await say(bot, "slack:UC", "notifications off")
    await say(bot, "slack:U9", "notifications off")  # updates about your own ideas always reach you

    await say(bot, CM, "merge #2 into #1")
    await say(bot, CM, "unmerge #2")

    told = await directs(core)
    assert "slack:UC" not in told
    assert len(told["slack:UB"]) == 2 and len(told["slack:U9"]) == 2


async def test_an_anonymous_author_is_named_nowhere_but_told_privately(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Publish the rota six weeks ahead")
    secret = actor("slack:U9", "Dana Hidden")
    await bot.handle(CommandInvoked(secret, Address("slack", "CROTA"), "anon Rota out six weeks before"))
    await say(bot, "slack:UC", "vote #2")

    replies = text_of(await say(bot, CM, "merge #2 into #1")) + text_of(await say(bot, CM, "unmerge #2"))

    told = await directs(core)
    assert set(told) == {"slack:U9", "slack:UC"} and len(told["slack:U9"]) == 2
    assert all(note.startswith("Your idea #2") for note in told["slack:U9"])
    async with core.db.transaction() as session:
        rows = list((await session.execute(select(OutboxMessage))).scalars())
    for row in rows:
        if row.user_ref == "U9":
            continue
        shown = f"{row.conversation} {row.user_ref} {row.payload}"
        assert "U9" not in shown and "Dana" not in shown, shown
    assert "U9" not in replies and "Dana" not in replies
    assert not any("Dana" in note for notes in told.values() for note in notes)


async def test_erased_people_are_not_told(bot: Bot, core: Core) -> None:
    await two_ideas(bot)
    async with core.db.transaction() as session:
        await forget_person(core, session, "slack:U9", requested_by="cli")
        await forget_person(core, session, "slack:UC", requested_by="cli")

    await say(bot, CM, "merge #2 into #1")

    assert set(await directs(core)) == {"slack:UB"}


async def test_the_same_change_queued_twice_tells_each_person_once(bot: Bot, core: Core) -> None:
    await two_ideas(bot)
    await say(bot, CM, "merge #2 into #1")
    async with core.db.transaction() as session:  # a retry of the same change: same pair, same moment
        duplicate = await ideas.get_idea(session, number=2)
        survivor = await ideas.get_idea(session, number=1)
        assert duplicate is not None and survivor is not None
        await queue_merge_notes(core, session, duplicate=duplicate, survivor=survivor, by_ref=CM, merged=True)

    assert all(len(notes) == 1 for notes in (await directs(core)).values())


async def test_the_merge_button_from_duplicates_tells_the_same_people(bot: Bot, core: Core) -> None:
    await seed(core)
    async with core.db.transaction() as session:
        await ideas.create_idea(session, number=11, challenge_key="rotas", text="Publish the rota six weeks in advance",
                                author_ref="slack:U11", anonymous=False, now=core.now())
    for voter, number in (("slack:UB", 6), ("slack:UB", 11), ("slack:UC", 11)):
        await say(bot, voter, f"vote #{number}")
    (message,) = (await say(bot, CM, "duplicates rotas")).messages
    first = message.actions[0]
    assert first.value == "11:6"

    assert "Idea #11 is merged into #6" in text_of(await press(bot, CM, first.action_id, first.value))

    told = await directs(core)
    assert set(told) == {"slack:U11", "slack:UB", "slack:UC"}
    assert all(len(notes) == 1 for notes in told.values())
    assert told["slack:U11"][0].startswith("Your idea #11 was merged into #6: Publish the rota six weeks ahead")
    assert "You backed both" in told["slack:UB"][0]

