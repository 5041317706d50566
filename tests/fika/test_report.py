"""The trial's report: rounds, people paired, groups that met, ideas from fika, and participation compared."""

from __future__ import annotations

from bot.context import Core
from bot.events import Actor, Address, IdeaFormSubmitted
from bot.fika.report import fika_report
from bot.handler import Bot
from storage import fika
from tests.factories import CM, react, say, text_of
from tests.fika.conftest import groups_of, rounds


async def test_the_report_compares_people_who_took_part_in_fika_with_everyone_else(bot: Bot, core: Core) -> None:
    for ref in ("slack:U1", "slack:U2"):
        await say(bot, ref, "fika on")
    await say(bot, CM, "fika round")
    (group,) = await groups_of(core, 1)
    (fika_round,) = await rounds(core)
    async with core.db.transaction() as session:
        members = await fika.members_of_round(session, round_id=fika_round.id)  # type: ignore[arg-type]
        await fika.record_outcome(session, round_id=fika_round.id, person_ref="slack:U1",  # type: ignore[arg-type]
                                  outcome="met", now=core.now())
    group_id = members[0].group_id
    # U1 shares an idea through the group's form; U3 (no fika) shares two ideas, one of them anonymously.
    submitted = IdeaFormSubmitted(Actor("slack", "U1"), Address("slack", None), "rotas", "From our coffee", False,
                                  "view:1", f"fika:{group_id}")
    assert "is in" in text_of(await bot.handle(submitted))
    forged = IdeaFormSubmitted(Actor("slack", "U3"), Address("slack", None), "rotas", "Not from fika", False,
                               "view:2", f"fika:{group_id}")  # U3 was not in that group: not counted as fika
    await bot.handle(forged)
    await say(bot, "slack:U3", "anon Secret idea")
    await react(bot, "slack:U2", "no-such-post")  # reactions on unknown posts count for nothing
    await say(bot, "slack:U2", "vote #2")
    async with core.db.transaction() as session:
        report = (await fika_report(session)).text
    assert "Rounds: 1" in report
    assert "People paired: 2 (2 opted in now)" in report
    assert "Groups that met: 1 of 1 (100%)" in report
    assert "1 met, 0 not yet, 0 can't (1 answers)" in report
    assert "Ideas from fika conversations: 1" in report
    assert "Took part in fika: 2 people, 100% took part; per person 0.50 ideas, 0.00 comments, 0.50 votes" in report
    # Everyone else: U3 and the manager; U3's anonymous idea is left out of the comparison.
    assert "Everyone else the bot knows: 2 people, 50% took part; per person 0.50 ideas" in report
    assert group == {"slack:U1", "slack:U2"}
