"""Votes from reactions and commands, merges, and concurrency on both databases."""

import asyncio

from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from storage import posts
from storage.models import Idea, Vote
from tests.factories import CM, react, say, text_of


async def posted(core: Core, number: int, message_id: str, channel: str = "CROTA") -> None:
    """Records the idea's post as the outbox would after Slack answered."""
    from storage import ideas

    async with core.db.transaction() as session:
        idea = await ideas.get_idea(session, number=number)
        assert idea is not None
        await posts.record_post(session, idea_id=idea.id, platform="slack", conversation=channel,  # type: ignore[arg-type]
                                message_id=message_id, now=core.now())


async def votes_on(bot: Bot, number: int) -> str:
    return text_of(await say(bot, "slack:UVIEW", f"show #{number}"))


async def assert_counts_match_votes(core: Core) -> None:
    """The denormalised vote_count equals the distinct voters over each idea and its merged duplicates."""
    async with core.db.transaction() as session:
        for idea in (await session.execute(select(Idea))).scalars():
            children = (await session.execute(select(Idea.id).where(Idea.merged_into_id == idea.id))).scalars()
            group = [idea.id] if idea.merged_into_id else [idea.id, *children]
            expected = (await session.execute(
                select(func.count(func.distinct(Vote.voter_ref))).where(Vote.idea_id.in_(group)))).scalar_one()
            assert idea.vote_count == expected, (idea.number, idea.vote_count, expected)


async def total_votes(core: Core) -> int:
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())


async def test_reactions_are_votes_one_per_person(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    await react(bot, "slack:U2", "111.1", "+1")
    await react(bot, "slack:U2", "111.1", "heart")  # a second vote emoji from the same person
    await react(bot, "slack:U3", "111.1", "thumbsup")
    await react(bot, "slack:U4", "111.1", "tada")  # not a vote emoji
    await react(bot, "slack:U5", "999.9", "+1")  # not an idea post
    assert "Votes: 2" in await votes_on(bot, 1)
    await react(bot, "slack:U2", "111.1", "+1", added=False)
    assert "Votes: 2" in await votes_on(bot, 1)  # U2 still has a heart on it
    await react(bot, "slack:U2", "111.1", "heart", added=False)
    assert "Votes: 1" in await votes_on(bot, 1)


async def test_the_core_reads_reaction_names_as_given_platform_suffixes_are_the_adapters_job(
        bot: Bot, core: Core) -> None:
    """Slack's skin-tone suffix is stripped by the Slack adapter (tests/slack/test_events.py); the core sees
    neutral names and counts only configured vote emoji."""
    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    await react(bot, "slack:U3", "111.1", "thumbsup::skin-tone-3")
    await react(bot, "slack:U4", "111.1", ":Heart:")  # app.yaml spellings: colons and case do not matter
    assert "Votes: 1" in await votes_on(bot, 1)


async def test_self_votes_do_not_count(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    await react(bot, "slack:U1", "111.1")
    assert "votes for your own idea don't count" in text_of(await say(bot, "slack:U1", "vote #1"))
    assert await total_votes(core) == 0


async def test_vote_command_and_duplicate(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    assert "is counted" in text_of(await say(bot, "slack:U2", "vote #1"))
    assert "already counted" in text_of(await say(bot, "slack:U2", "vote #1"))
    assert "removed" in text_of(await say(bot, "slack:U2", "unvote #1"))
    assert await total_votes(core) == 0


async def test_closed_ideas_refuse_votes(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    await say(bot, CM, "status #1 not_taken_forward Budget went to the new ward")
    assert "is closed" in text_of(await say(bot, "slack:U2", "vote #1"))
    assert await total_votes(core) == 0


async def test_merge_moves_votes_without_double_counting_and_unmerge_restores(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Survivor idea")
    await say(bot, "slack:U9", "Duplicate idea")
    for voter in ("slack:UA", "slack:UB"):
        await say(bot, voter, "vote #1")
    for voter in ("slack:UB", "slack:UC"):  # UB voted for both
        await say(bot, voter, "vote #2")
    assert "merged into #1" in text_of(await say(bot, CM, "merge #2 into #1"))
    assert "Votes: 3" in await votes_on(bot, 1)
    assert "merged into another idea" in text_of(await say(bot, "slack:UD", "vote #2"))
    top = text_of(await say(bot, "slack:U1", "top"))
    assert "#1 Survivor idea (3 votes)" in top and "#2" not in top
    await assert_counts_match_votes(core)
    await say(bot, "slack:UC", "unvote #2")  # withdrawing from the duplicate while merged
    assert "Votes: 2" in await votes_on(bot, 1)
    await say(bot, "slack:UC", "vote #1")
    await say(bot, "slack:UB", "unvote #1")  # UB still backs the group through the duplicate
    assert "Votes: 3" in await votes_on(bot, 1)
    await assert_counts_match_votes(core)
    await say(bot, CM, "unmerge #2")
    assert "Votes: 2" in await votes_on(bot, 1)  # UA and UC
    assert "Votes: 1" in await votes_on(bot, 2)  # UB
    await assert_counts_match_votes(core)


async def test_staff_cannot_use_manager_commands(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    for command in ("status #1 done x", "horizon #1 H1", "theme #1 rota", "merge #1 into #1", "prompt", "digest"):
        assert "Nothing was changed" in text_of(await say(bot, "slack:U2", command)), command
    assert "Status: new" in await votes_on(bot, 1)


async def test_fifty_voters_at_once_give_fifty_votes(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Popular idea")
    await posted(core, 1, "111.1")
    await asyncio.gather(*(react(bot, f"slack:V{i}", "111.1", event_id=f"E{i}") for i in range(50)))
    assert await total_votes(core) == 50
    await assert_counts_match_votes(core)


async def test_one_voter_twice_at_once_gives_one_vote(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    await asyncio.gather(react(bot, "slack:V1", "111.1", "+1", event_id="A"),
                         react(bot, "slack:V1", "111.1", "heart", event_id="B"),
                         say(bot, "slack:V1", "vote #1"))
    assert await total_votes(core) == 1
    await assert_counts_match_votes(core)


async def test_voters_changing_their_minds_in_a_burst_end_with_their_last_choice(bot: Bot, core: Core) -> None:
    """Many voters add, take back and add again at once (on PostgreSQL two batches are then in flight): each ends
    with one vote on their idea, and the counts match the votes."""
    for number in (1, 2, 3):
        await say(bot, f"slack:U{number}", f"Idea {number}")
        await posted(core, number, f"{number}00.1")

    async def change_mind(voter: int) -> None:
        message = f"{voter % 3 + 1}00.1"
        for turn, added in enumerate((True, False, True, False, True)):
            await react(bot, f"slack:V{voter}", message, added=added, event_id=f"E{voter}-{turn}")

    await asyncio.gather(*(change_mind(voter) for voter in range(60)))
    assert await total_votes(core) == 60
    async with core.db.transaction() as session:
        counts = (await session.execute(select(Idea.number, Idea.vote_count).order_by(Idea.number))).all()
    assert [tuple(row) for row in counts] == [(1, 20), (2, 20), (3, 20)]
    await assert_counts_match_votes(core)
