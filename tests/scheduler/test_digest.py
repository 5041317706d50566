"""Digest content on a seeded campaign: "You said / We did", new and top ideas, anonymity, backers, unanswered."""

from datetime import UTC, datetime, timedelta

from bot.announcements import LEADERS_DIGEST_JOB
from bot.backers import send_backers_digest
from bot.context import Core
from bot.digest import Period, compose_digest, draw_digest_chart, period_since_last
from bot.handler import Bot
from bot.unanswered import send_unanswered_list
from storage import claims
from tests.factories import CM, FixedClock, say, text_of
from tests.scheduler.conftest import message_of, queued

SECRET_AUTHOR = "slack:USECRET"


async def seed(bot: Bot, clock: FixedClock) -> None:
    """Three weeks of a campaign: an old undecided idea, an anonymous one taken forward, fresh ideas."""
    clock.now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    await say(bot, "slack:UOLD", "Print the handover sheet double-sided")  # 1: never answered
    clock.now = datetime(2026, 11, 16, 10, tzinfo=UTC)
    await say(bot, SECRET_AUTHOR, "anon Let night staff swap shifts without a manager's sign-off")  # 2
    await say(bot, "slack:UAMY", "A quiet room for breaks on every ward")  # 3
    for voter in ("slack:UV1", "slack:UV2", "slack:UV3"):
        await say(bot, voter, "vote #2")
    await say(bot, "slack:UV1", "vote #3")
    clock.now = datetime(2026, 11, 19, 10, tzinfo=UTC)
    await say(bot, CM, "status #2 taken_forward Piloting self-rostering on two wards from January")
    await say(bot, CM, "status #3 done Quiet rooms opened on wards 4 and 7")
    await say(bot, "slack:UV2", "notifications off")
    clock.now = datetime(2026, 11, 20, 16, tzinfo=UTC)


WEEK = Period(datetime(2026, 11, 13, 16, tzinfo=UTC), datetime(2026, 11, 20, 16, tzinfo=UTC))


async def test_the_digest_says_what_we_did_and_never_names_anonymous_authors(
    core: Core, bot: Bot, clock: FixedClock
) -> None:
    await seed(bot, clock)
    chart = await draw_digest_chart(core)  # drawn before the digest's transaction opens
    async with core.db.transaction() as session:
        leaders = await compose_digest(core, session, WEEK, for_leaders=True, chart=chart)
        community = await compose_digest(core, session, WEEK, for_leaders=False)
    assert ("You said: Let night staff swap shifts without a manager's sign-off (#2) / "
            "We did: Piloting self-rostering on two wards from January [taken forward]") in leaders.text
    assert "You said: A quiet room for breaks on every ward (#3) / We did: Quiet rooms opened on wards 4 and 7" \
        in leaders.text
    assert "#2 Let night staff swap shifts without a manager's sign-off (by anonymous)" in leaders.text
    assert "#3 A quiet room for breaks on every ward (by UAMY)" in leaders.text
    for message in (leaders, community):
        assert "USECRET" not in str(message.to_json())
    headings = [section.heading for section in leaders.sections]
    assert "Waiting for a decision over 14 days" in headings
    waiting = leaders.sections[headings.index("Waiting for a decision over 14 days")].lines
    assert waiting == ("#1 Print the handover sheet double-sided [new] waiting 18 days",)
    assert "Acknowledged in time" in leaders.text and "Acknowledged in time" not in community.text
    assert "Participation: 6% (6 of 100)" in leaders.text
    assert "#2 Let night staff swap shifts without a manager's sign-off (3 votes)" in leaders.text
    assert leaders.image_png is not None and leaders.image_png.startswith(b"\x89PNG")
    assert community.image_png is None


async def test_a_digest_covers_the_time_since_its_previous_fire(core: Core) -> None:
    end = datetime(2026, 11, 27, 16, tzinfo=UTC)
    async with core.db.transaction() as session:
        assert await period_since_last(session, job_id=LEADERS_DIGEST_JOB, end=end) == Period(
            end - timedelta(days=7), end)
        await claims.claim_fire(session, job_id=LEADERS_DIGEST_JOB, fire_time=datetime(2026, 11, 24, 16, tzinfo=UTC),
                                claimed_by="t", now=end)
        assert (await period_since_last(session, job_id=LEADERS_DIGEST_JOB, end=end)).start == datetime(
            2026, 11, 24, 16, tzinfo=UTC)


async def test_backers_hear_once_about_what_changed_unless_they_opted_out(
    core: Core, bot: Bot, clock: FixedClock
) -> None:
    await seed(bot, clock)
    async with core.db.transaction() as session:
        assert await send_backers_digest(core, session, WEEK) == 2  # UV1 and UV3; UV2 opted out
    rows = await queued(core, kind="direct")
    by_person = {row.user_ref: message_of(row).text for row in rows if "ideas you backed" in message_of(row).text}
    assert set(by_person) == {"UV1", "UV3"}
    assert "#2 Let night staff swap shifts" in by_person["UV1"] and "#3 A quiet room" in by_person["UV1"]
    assert "#3" not in by_person["UV3"]
    assert "Turn it off with: notifications off." in by_person["UV3"]
    quiet_week = Period(WEEK.end, WEEK.end + timedelta(days=7))
    async with core.db.transaction() as session:
        assert await send_backers_digest(core, session, quiet_week) == 0


async def test_unanswered_ideas_are_listed_to_the_community_managers(core: Core, bot: Bot, clock: FixedClock) -> None:
    await seed(bot, clock)
    async with core.db.transaction() as session:
        assert await send_unanswered_list(core, session) == 1
    (row,) = [row for row in await queued(core, kind="direct", user_ref="UCM")]
    text = message_of(row).text
    assert text.startswith("1 idea(s) with no response after 5 days")
    assert "#1 Print the handover sheet double-sided" in text and "#2" not in text


async def test_the_digest_command_previews_to_the_caller_only(core: Core, bot: Bot, clock: FixedClock) -> None:
    await seed(bot, clock)
    before = len(await queued(core))
    reply = await say(bot, "slack:ULEAD", "digest preview")
    assert "You said: Let night staff swap shifts" in text_of(reply)
    assert len(await queued(core)) == before
    refused = await say(bot, "slack:ULEAD", "digest")
    assert "Only admins or community managers can send digests" in text_of(refused)
    sent = await say(bot, CM, "digest")
    assert text_of(sent) == "Digest queued for slack:ULEAD, slack:CALL."


async def test_the_community_digest_shows_the_themes_managers_accepted_this_period(
    core: Core, bot: Bot, clock: FixedClock
) -> None:
    await seed(bot, clock)
    clock.now = datetime(2026, 11, 10, 10, tzinfo=UTC)  # before the week: this theme is not news
    await say(bot, CM, "theme #1 Paperwork")
    clock.now = datetime(2026, 11, 18, 10, tzinfo=UTC)
    await say(bot, CM, "theme #2 Rostering")
    await say(bot, CM, "theme #3 Rostering")
    await say(bot, CM, "theme #3 Rest")
    clock.now = datetime(2026, 11, 20, 16, tzinfo=UTC)
    async with core.db.transaction() as session:
        community = await compose_digest(core, session, WEEK, for_leaders=False)
    section = next(s for s in community.sections if s.heading == "Themes accepted this period")
    assert section.lines == (
        "rostering: 2 ideas; most backed #2 Let night staff swap shifts without a manager's sign-off (3 votes) "
        "[taken forward]",
        "rest: 1 idea; most backed #3 A quiet room for breaks on every ward (1 vote) [done]")
    assert "paperwork" not in community.text and "USECRET" not in str(community.to_json())


async def test_a_week_without_new_themes_leaves_the_section_out(core: Core, bot: Bot, clock: FixedClock) -> None:
    await seed(bot, clock)
    async with core.db.transaction() as session:
        community = await compose_digest(core, session, WEEK, for_leaders=False)
    assert "Themes accepted this period" not in [s.heading for s in community.sections]
