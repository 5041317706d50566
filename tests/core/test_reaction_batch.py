"""Group commit of reactions: one transaction per burst, same results as one at a time, in arrival order."""

import asyncio

from bot.context import Core
from bot.handler import Bot
from tests.core.test_votes import assert_counts_match_votes, posted, total_votes, votes_on
from tests.factories import react, say
from tests.sql_watch import statements_sent


async def test_a_burst_keeps_arrival_order_per_voter(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    replies = await asyncio.gather(
        react(bot, "slack:V1", "111.1", "+1", event_id="a1"),
        react(bot, "slack:V1", "111.1", "+1", added=False, event_id="a2"),
        react(bot, "slack:V2", "111.1", "+1", event_id="b1"),
        react(bot, "slack:V2", "111.1", "+1", added=False, event_id="b2"),
        react(bot, "slack:V2", "111.1", "heart", event_id="b3"),
    )
    assert [reply.changed for reply in replies] == [True, True, True, True, True]
    assert "Votes: 1" in await votes_on(bot, 1)  # V1 added then removed; V2 removed then re-added
    await assert_counts_match_votes(core)


async def test_a_retry_inside_the_same_burst_counts_once(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    first, retry, other = await asyncio.gather(
        react(bot, "slack:V1", "111.1", event_id="Ev1"),
        react(bot, "slack:V1", "111.1", event_id="Ev1"),
        react(bot, "slack:V2", "111.1", event_id="Ev2"),
    )
    assert first.changed and retry.duplicate and other.changed
    assert await total_votes(core) == 2


async def test_refusals_in_a_burst_do_not_block_the_others(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea one")
    await say(bot, "slack:U2", "Idea two")
    await posted(core, 1, "111.1")
    await posted(core, 2, "222.2")
    self_vote, vote_one, vote_two, unknown = await asyncio.gather(
        react(bot, "slack:U1", "111.1", event_id="s"),
        react(bot, "slack:V1", "111.1", event_id="v1"),
        react(bot, "slack:V1", "222.2", event_id="v2"),
        react(bot, "slack:V1", "999.9", event_id="v3"),
    )
    assert "don't count" in self_vote.messages[0].text and not self_vote.changed
    assert vote_one.changed and vote_two.changed and not unknown.changed
    assert await total_votes(core) == 2
    await assert_counts_match_votes(core)


async def test_votes_in_a_burst_queue_one_update_per_post(bot: Bot, core: Core) -> None:
    from sqlalchemy import func, select

    from storage.models import OutboxMessage

    await say(bot, "slack:U1", "Idea")
    await posted(core, 1, "111.1")
    await asyncio.gather(*(react(bot, f"slack:V{i}", "111.1", event_id=f"E{i}") for i in range(20)))
    await react(bot, "slack:V99", "111.1", event_id="late")  # a second batch while the update still waits
    async with core.db.transaction() as session:
        updates = (await session.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "idea_update"))).scalar_one()
    assert updates == 1


async def test_a_vote_racing_its_post_record_is_retried_not_lost(bot: Bot, core: Core) -> None:
    from sqlalchemy import update

    from storage.models import OutboxMessage

    await say(bot, "slack:U1", "Idea")  # queues the post to CROTA
    async with core.db.transaction() as session:  # Slack has taken the post; its ts is not recorded yet
        await session.execute(update(OutboxMessage).where(OutboxMessage.kind == "idea_post")
                              .values(state="sending"))
    early = await react(bot, "slack:V1", "111.1", event_id="EvEarly")
    assert early.unavailable and not early.changed  # Slack is asked to deliver it again
    await posted(core, 1, "111.1")
    redelivered = await react(bot, "slack:V1", "111.1", event_id="EvEarly")
    assert redelivered.changed and not redelivered.duplicate
    assert await total_votes(core) == 1
    other = await react(bot, "slack:V2", "999.9", channel="CBREAK", event_id="EvElsewhere")
    assert not other.unavailable  # nothing being posted there: an ordinary message, ignored


async def test_a_failed_batch_retries_each_reaction_by_the_same_rules(bot: Bot, core: Core) -> None:
    """One bad event fails its batch; its neighbours are retried one by one through the same code, so a vote
    racing its post's record is still sent back for redelivery, not dropped (the old single path dropped it)."""
    from sqlalchemy import update

    from bot.events import Actor, Address, ReactionChanged
    from storage.models import OutboxMessage

    await say(bot, "slack:U1", "Idea one")
    await posted(core, 1, "111.1")
    await say(bot, "slack:U2", "Idea two")  # its post is out, its ts not recorded yet
    async with core.db.transaction() as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.kind == "idea_post")
                              .values(state="sending"))
    broken = Actor("slack", "VBAD", None)  # type: ignore[arg-type]  # a name the database refuses (NOT NULL)
    bad, counted, racing = await asyncio.gather(
        bot.handle(ReactionChanged(broken, Address("slack", "CROTA", message="111.1"), "+1", True, "EvBad")),
        react(bot, "slack:V1", "111.1", event_id="EvCounted"),
        react(bot, "slack:V2", "222.2", event_id="EvRacing"),
        return_exceptions=True,
    )
    assert isinstance(bad, Exception)
    assert counted.changed  # type: ignore[union-attr]
    assert racing.unavailable and not racing.changed  # type: ignore[union-attr]
    await posted(core, 2, "222.2")
    redelivered = await react(bot, "slack:V2", "222.2", event_id="EvRacing")
    assert redelivered.changed and not redelivered.duplicate
    assert await total_votes(core) == 2
    await assert_counts_match_votes(core)


async def test_a_burst_of_votes_is_a_few_fixed_statements_whatever_its_size(bot: Bot, core: Core) -> None:
    """A batch's round trips do not grow with its size; on PostgreSQL its statement texts do not change with it
    either (asyncpg prepares each distinct text: a multi-row VALUES or an IN list per size is another one)."""
    for number in range(1, 13):
        await say(bot, f"slack:A{number}", f"Idea {number}")
        await posted(core, number, f"{number}00.1")
    texts = []
    for burst, size in enumerate((3, 12)):
        with statements_sent(core) as sent:
            replies = await asyncio.gather(*(react(bot, f"slack:B{burst}V{i}", f"{i + 1}00.1", event_id=f"E{burst}.{i}")
                                             for i in range(size)))
        assert all(reply.changed for reply in replies)
        texts.append({text for text in sent if not text.startswith("BEGIN")})
    if core.db.is_postgres:
        assert texts[0] == texts[1]
        assert len(texts[1]) <= 5  # claim and find, reactions and votes, counts, people, card updates
    else:
        assert len(texts[1]) <= 7
    await assert_counts_match_votes(core)
