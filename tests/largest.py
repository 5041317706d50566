"""The largest realistic message of each kind, built through the real core: platform size tests render these.

Realistic upper ends: ideas at the campaign's 1,000-character limit, decision notes at the 2,000-character
comment limit (with & < > that escaping lengthens), twenty decisions in a digest week (each idea given a
sixty-character theme), a person with fifty
ideas, and a hundred open challenges in the submission form.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.announcements import compose_prompt
from bot.backers import backed_line, backers_message
from bot.compose import note_action
from bot.config import AppConfig
from bot.context import Core
from bot.digest import SAID_DID_LIMIT, Period, compose_digest, draw_digest_chart
from bot.events import HomeOpened
from bot.handler import Bot
from bot.message import Message
from bot.unanswered import unanswered_ideas, unanswered_message
from storage import comparisons
from storage import ideas as idea_store
from tests.factories import CM, FixedClock, actor, make_config, say, text_of

AUTHOR = "slack:UPROLIFIC"
BACKER = "slack:UBACKER"
CHALLENGES = 100
DECISIONS = SAID_DID_LIMIT + 5  # more than the digest lists: the "and N more" line shows too
IDEAS_OF_ONE_PERSON = 50
VIEWERS = 60  # people an idea card is refreshed for in Teams
WORDS = ("rota", "handover", "R&D", "ward", "<night>", "shift", "patients", "families", "discharge", "staff",
         "breaks", "quiet", "rooms", "pilot", "budget", "January", "rollout", "feedback", "safer", "quicker")


def words(length: int, seed: int) -> str:
    """Plain prose of exactly `length` characters (escaping in Slack makes & < > longer still)."""
    out, index = [], seed
    while sum(len(w) + 1 for w in out) < length:
        out.append(WORDS[index % len(WORDS)])
        index += 7
    return " ".join(out)[: length - 1].rstrip() + "."


def largest_config() -> AppConfig:
    challenges: list[dict[str, Any]] = [
        {"key": f"challenge-{n:03d}", "title": f"Challenge {n}: " + words(60, n),
         "description": words(500, n), "questions": [words(300, n)], "channels": ["slack:CROTA"] if n == 0 else []}
        for n in range(CHALLENGES)]
    return make_config(
        campaign={"name": "Better Together: shaping how we work across every ward and site", "audience_size": 650,
                  "idea_max_length": 1000, "comment_max_length": 2000,
                  "dashboard_url": "https://crowdbot.example.org/dashboard"},
        challenges=challenges,
    )


async def decide_many(bot: Bot, clock: FixedClock, count: int = DECISIONS, *, manager: str = CM,
                      platform: str = "slack", channel: str = "CROTA") -> Period:
    """`count` long ideas, each backed and then decided with a 2,000-character note, within one week."""
    start = clock.now
    for n in range(count):
        assert "is in" in text_of(await say(bot, f"{platform}:UA{n}", words(1000, n), channel=channel))
        await say(bot, f"{platform}:UBACKER", f"vote #{n + 1}", channel=channel)
        clock.advance(minutes=1)
        assert "is now done" in text_of(await say(bot, manager, f"status #{n + 1} done {words(2000, n + 3)}",
                                                  channel=channel))
        # A theme of the longest allowed name per idea: more themes than the digest lists.
        await say(bot, manager, f"theme #{n + 1} {n:02d} {words(57, n)}", channel=channel)
    clock.advance(minutes=5)
    return Period(start - timedelta(seconds=1), clock.now)


async def answer_every_pair(core: Core, numbers: range, people: int = 3) -> None:
    """"A or B?" answers on every pair of the ideas, stored as a press would store them (lower number wins)."""
    async with core.db.transaction() as session:
        found = [await idea_store.get_idea(session, number=n) for n in numbers]
        ideas = [idea for idea in found if idea is not None]
        for person in range(people):
            for i, first in enumerate(ideas):
                for second in ideas[i + 1:]:
                    await comparisons.record_comparison(
                        session, person_ref=f"slack:UCMP{person}", challenge_key=first.challenge_key,
                        first_id=first.id, second_id=second.id, chose="first", now=core.now())  # type: ignore[arg-type]


async def leaders_digest(core: Core, bot: Bot, clock: FixedClock, *, for_leaders: bool = True) -> Message:
    period = await decide_many(bot, clock)
    await answer_every_pair(core, range(1, DECISIONS + 1))  # the digest's "Preferred in A or B?" list is full
    chart = await draw_digest_chart(core)
    async with core.db.transaction() as session:
        return await compose_digest(core, session, period, for_leaders=for_leaders, chart=chart)


async def fifty_ideas_of_one_person(bot: Bot) -> None:
    for n in range(IDEAS_OF_ONE_PERSON):
        assert "is in" in text_of(await say(bot, AUTHOR, words(1000, n)))
        assert "is now not taken forward" in text_of(
            await say(bot, CM, f"status #{n + 1} not_taken_forward {words(2000, n)}"))


async def mine(bot: Bot) -> Message:
    await fifty_ideas_of_one_person(bot)
    reply = await say(bot, AUTHOR, "mine")
    assert reply.first is not None
    return reply.first


async def home(bot: Bot) -> list[Message]:
    await fifty_ideas_of_one_person(bot)
    return list((await bot.handle(HomeOpened(actor(AUTHOR)))).messages)


async def top(bot: Bot) -> Message:
    for n in range(12):
        await say(bot, f"slack:UT{n}", words(1000, n))
        await say(bot, BACKER, f"vote #{n + 1}")
    reply = await say(bot, BACKER, "top")
    assert reply.first is not None
    return reply.first


async def top_by_preference(core: Core, bot: Bot) -> Message:
    for n in range(12):
        await say(bot, f"slack:UT{n}", words(1000, n))
    await answer_every_pair(core, range(1, 13))
    reply = await say(bot, BACKER, "top --by preference")
    assert reply.first is not None and len(reply.first.sections[0].lines) == 10
    return reply.first


async def compare_pair(bot: Bot) -> Message:
    """The "A or B?" pair with both ideas at the 1,000-character limit."""
    for n in range(2):
        await say(bot, f"slack:UT{n}", words(1000, n))
    reply = await say(bot, BACKER, "compare")
    assert reply.first is not None and len(reply.first.actions) == 4
    return reply.first


async def unanswered(core: Core, bot: Bot, clock: FixedClock) -> Message:
    for n in range(40):
        await say(bot, f"slack:UU{n}", words(1000, n))
    clock.advance(days=30)
    async with core.db.transaction() as session:
        waiting, total = await unanswered_ideas(core, session)
    return unanswered_message(core, waiting, total)


async def backers(core: Core, bot: Bot, clock: FixedClock) -> Message:
    """Someone who backed every idea decided in a busy week (the digest job sends one such message each)."""
    period = await decide_many(bot, clock, count=40)
    async with core.db.transaction() as session:
        changes = await idea_store.status_changes_between(session, start=period.start, end=period.end)
    return backers_message([backed_line(idea, change) for change, idea in changes],
                           [note_action(change.note, idea.number) for change, idea in changes])


async def prompt(core: Core) -> Message:
    challenge = core.config.challenges[0]
    async with core.db.transaction() as session:
        return await compose_prompt(core, session, challenge, rotation=0)


async def submission_form(bot: Bot) -> Message:
    reply = await say(bot, AUTHOR, "")
    assert reply.first is not None and reply.first.form is not None
    return reply.first


async def idea_post(bot: Bot) -> Message:
    await say(bot, AUTHOR, words(1000, 1))
    await say(bot, CM, f"status #1 done {words(2000, 2)}")
    reply = await say(bot, AUTHOR, "show #1")
    assert reply.first is not None
    # As posted: refreshed for its author and the most backers Teams allows, each by two ids.
    viewers = tuple(ref for n in range(VIEWERS) for ref in (f"teams:{n:08d}-aaaa-bbbb-cccc-{n:012d}",
                                                              f"teams:29:1{'x' * 80}{n:04d}"))
    return replace(reply.first, viewers=viewers)
