"""A fika round in the core: opting in and out, who is paired, what is queued, and exactly once per fire."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.app import platform_traits
from bot.context import Core
from bot.events import ActionInvoked, Address
from bot.fika.pairing import draw_round
from bot.fika.people import import_people, parse_people
from bot.handler import Bot
from bot.message import Reply
from scheduler.runner import CampaignScheduler
from storage import fika
from storage.database import Database
from tests.factories import CM, FixedClock, actor, make_config, say, text_of
from tests.fika.conftest import fika_config, groups_of, message_of, queued, rounds

MONDAY_0900 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # GMT: local time is UTC


async def press(bot: Bot, ref: str, action: str) -> Reply:
    who = actor(ref)
    return await bot.handle(ActionInvoked(who, Address(who.platform, "CROTA", message="1.2"), action, "1"))


async def opt_in(bot: Bot, *refs: str) -> None:
    for ref in refs:
        assert "You're in fika" in text_of(await say(bot, ref, "fika on"))


async def test_a_manager_round_pairs_only_the_opted_in_and_messages_each_group_once(bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1", "slack:U2", "slack:U3", "slack:U4", "slack:U5")
    await say(bot, "slack:U9", "stats")  # known to the bot, never opted in
    reply = text_of(await say(bot, CM, "fika round"))
    assert "Fika round 1: 5 people in 2 groups" in reply and "Q1?" in reply
    groups = await groups_of(core, 1)
    assert sorted(len(g) for g in groups) == [2, 3]
    assert set().union(*groups) == {f"slack:U{i}" for i in range(1, 6)}
    dms = await queued(core, kind="direct")
    assert len(dms) == 2  # one group conversation per group, not one message per person
    assert {frozenset(row.user_ref.split(",")) for row in dms} == {
        frozenset(ref.partition(":")[2] for ref in group) for group in groups}
    intro = message_of(dms[0])
    assert intro.title.startswith("Fika:") and "Q1?" in intro.body
    assert [(a.label, a.action_id) for a in intro.actions] == [("Share an idea from our chat", "fika_idea")]


async def test_the_seed_is_recorded_and_reproduces_the_groups(bot: Bot, core: Core) -> None:
    refs = [f"slack:U{i}" for i in range(1, 8)]
    await opt_in(bot, *refs)
    await say(bot, CM, "fika round")
    (first,) = await rounds(core)
    redrawn = draw_round(refs, seed=first.seed, group_size=2)
    assert sorted(map(sorted, redrawn.groups)) == sorted(map(sorted, await groups_of(core, 1)))


async def test_staff_cannot_start_a_round(bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1", "slack:U2")
    assert "Only admins or community managers can start a fika round" in text_of(await say(bot, "slack:U1",
                                                                                             "fika round"))
    assert await rounds(core) == [] and await queued(core) == []


async def test_fewer_than_two_people_sends_nothing_and_tells_the_managers(bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1")
    reply = text_of(await say(bot, CM, "fika round"))
    assert "No fika round this time: 1 person is opted in and available" in reply
    (note,) = await queued(core)
    assert (note.kind, note.user_ref) == ("direct", "UCM") and "a round needs at least two" in message_of(note).text
    assert await rounds(core) == []


async def test_skip_sits_out_one_round_and_off_is_honoured_from_the_next(bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1", "slack:U2", "slack:U3", "slack:U4")
    assert "sit out the next fika round" in text_of(await say(bot, "slack:U4", "fika skip"))
    await say(bot, CM, "fika round")
    assert set().union(*await groups_of(core, 1)) == {"slack:U1", "slack:U2", "slack:U3"}
    assert "You're out of fika" in text_of(await say(bot, "slack:U3", "fika off"))
    await say(bot, CM, "fika round")
    assert set().union(*await groups_of(core, 2)) == {"slack:U1", "slack:U2", "slack:U4"}


async def test_skip_when_not_in_fika_is_refused(bot: Bot) -> None:
    assert "You're not in fika" in text_of(await say(bot, "slack:U1", "fika skip"))


async def test_two_schedulers_on_one_database_run_one_round_per_fire(
        bot: Bot, database_url: str, core: Core, clock: FixedClock) -> None:
    await opt_in(bot, "slack:U1", "slack:U2", "slack:U3", "slack:U4")
    clock.now = MONDAY_0900
    other_db = Database(database_url)
    try:
        other = Core(core.config, other_db, platforms=core.platforms, clock=clock, traits=core.traits)
        first, second = CampaignScheduler(core, node="one"), CampaignScheduler(other, node="two")
        results = await asyncio.gather(first.fire("fika:round", MONDAY_0900), second.fire("fika:round", MONDAY_0900))
    finally:
        await other_db.dispose()
    assert sum("had already run" in result for result in results) == 1
    (only,) = await rounds(core)
    assert only.started_by == "schedule" and only.follow_up_at == MONDAY_0900 + timedelta(days=4)
    assert len(await queued(core, kind="direct")) == 2
    posts = await queued(core, kind="post")  # announced once, by the replica that ran the round
    assert sorted((row.platform, row.conversation) for row in posts) == [("playground", "rotas"), ("slack", "CROTA")]


async def test_the_round_is_announced_in_the_fika_channels_with_a_count_and_never_names(
        bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1", "slack:U2", "slack:U3")
    await say(bot, CM, "fika round")
    (post,) = await queued(core, kind="post", platform="slack")
    assert post.conversation == "CROTA"  # the fika challenge's channel only
    message = message_of(post)
    assert message.title == "Fika round 1: 3 people paired" and "Q1?" in message.body
    assert not any(user in message.text for user in ("U1", "U2", "U3"))
    assert [(a.label, a.action_id) for a in message.actions] == [("Join the next round", "fika_join"),
                                                                 ("Leave", "fika_off")]


async def test_without_a_fika_challenge_every_open_challenge_channel_hears_the_round(
        db: Database, clock: FixedClock) -> None:
    core = Core(fika_config(fika={"challenge": None}), db, platforms=frozenset({"slack"}), clock=clock,
                traits=platform_traits(frozenset({"slack"})))
    bot = Bot(core)
    await opt_in(bot, "slack:U1", "slack:U2")
    await say(bot, CM, "fika round")
    assert sorted(row.conversation for row in await queued(core, kind="post")) == ["CBREAK", "CROTA"]


async def test_the_join_button_opts_in_like_fika_on_and_the_next_round_pairs_the_presser(
        bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1", "slack:U2")
    await say(bot, CM, "fika round")
    for _ in range(2):  # pressed twice: in once
        reply = text_of(await press(bot, "slack:U3", "fika_join"))
        assert "You're in fika" in reply
    await say(bot, CM, "fika round")
    assert "slack:U3" in set().union(*await groups_of(core, 2))
    assert "You're out of fika" in text_of(await press(bot, "slack:U3", "fika_off"))
    await say(bot, CM, "fika round")
    assert "slack:U3" not in set().union(*await groups_of(core, 3))


async def test_a_round_with_fewer_than_two_people_posts_no_announcement(bot: Bot, core: Core) -> None:
    await opt_in(bot, "slack:U1")
    await say(bot, CM, "fika round")
    assert await queued(core, kind="post") == []


async def test_follow_up_asks_each_member_privately_and_records_answers(
        bot: Bot, core: Core, clock: FixedClock) -> None:
    await opt_in(bot, "slack:U1", "slack:U2")
    clock.now = MONDAY_0900
    scheduler = CampaignScheduler(core, node="one")
    await scheduler.fire("fika:round", MONDAY_0900)
    assert "0 people asked" in await scheduler.fire("fika:follow-up", MONDAY_0900 + timedelta(days=3))
    assert "2 people asked" in await scheduler.fire("fika:follow-up", MONDAY_0900 + timedelta(days=4))
    asks = [row for row in await queued(core, kind="direct") if message_of(row).title == "Did you meet?"]
    assert sorted(row.user_ref for row in asks) == ["U1", "U2"]  # privately, one each
    assert [a.action_id for a in message_of(asks[0]).actions] == ["fika_met", "fika_not_yet", "fika_cant"]
    assert "2 people asked" not in await scheduler.fire("fika:follow-up", MONDAY_0900 + timedelta(days=5))


async def test_people_silent_three_rounds_in_a_row_are_asked_to_stay_in_once(
        bot: Bot, core: Core, clock: FixedClock) -> None:
    await opt_in(bot, "slack:U1", "slack:U2")
    scheduler = CampaignScheduler(core, node="one")
    for week in range(5):
        monday = MONDAY_0900 + timedelta(weeks=week)
        await scheduler.fire("fika:round", monday)
        await scheduler.fire("fika:follow-up", monday + timedelta(days=4))
    stay = [row for row in await queued(core, kind="direct") if message_of(row).title == "Stay in fika?"]
    # Rounds 1-3 unanswered: asked at round 4's follow-up, and not again at round 5's.
    assert sorted(row.user_ref for row in stay) == ["U1", "U2"]
    async with core.db.transaction() as session:
        assert all(p.opted_in for p in await fika.opted_in(session))  # not dropped silently



async def test_mixing_uses_the_people_list_and_says_when_the_attribute_is_missing(
        bot: Bot, core: Core, db: Database, clock: FixedClock) -> None:
    mixing = Core(fika_config(fika={"prefer_mixing": "team"}), db, platforms=core.platforms, clock=clock,
                  traits=core.traits)
    mixing_bot = Bot(mixing)
    await opt_in(mixing_bot, "slack:U1", "slack:U2", "slack:U3", "slack:U4")
    reply = text_of(await say(mixing_bot, CM, "fika round"))
    assert "nobody taking part has a team in the people list" in reply
    note = [row for row in await queued(mixing, kind="direct") if row.user_ref == "UCM"]
    assert len(note) == 1 and "drawn uniformly at random" in message_of(note[0]).text
    await import_people(mixing, parse_people("person,team\nslack:U1,red\nslack:U2,red\nslack:U3,blue\nslack:U4,blue\n"))
    for _ in range(2):
        await say(mixing_bot, CM, "fika round")
    teams = {"slack:U1": "red", "slack:U2": "red", "slack:U3": "blue", "slack:U4": "blue"}
    # Round 2: whatever round 1 drew, a red-blue pairing without a repeat exists, and mixing takes it.
    assert all(len({teams[ref] for ref in group}) == 2 for group in await groups_of(mixing, 2))
    # Round 3: the only unused pairing is left; no-repeat comes before mixing, whatever it does to teams.
    earlier = [frozenset(g) for number in (1, 2) for g in await groups_of(mixing, number)]
    assert not any(frozenset(group) in earlier for group in await groups_of(mixing, 3))


async def test_the_join_button_is_refused_clearly_when_fika_is_not_set_up(db: Database, clock: FixedClock) -> None:
    core = Core(make_config(), db, platforms=frozenset({"slack"}), clock=clock,
                traits=platform_traits(frozenset({"slack"})))
    assert "Fika is not set up for this campaign" in text_of(await press(Bot(core), "slack:U1", "fika_join"))
    assert await queued(core) == []
    async with core.db.transaction() as session:
        assert await fika.get_person(session, ref="slack:U1") is None
