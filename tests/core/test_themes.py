"""Theme suggestions: managers see them and apply one (renamed, ideas left out) with one action; staff are refused;
nothing is themed until then."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.context import Core
from bot.events import ActionInvoked, Address
from bot.handler import Bot
from storage import ideas
from storage.models import IdeaTheme, SuggestedTheme
from tests.factories import CM, actor, say, text_of

PARKING = ["Free parking for night staff", "More parking spaces near the main entrance for staff",
           "Better lighting in the staff car parking at night", "Parking permits for bank staff on night shifts",
           "Staff parking shuttle from the far car park at night"]
ROTAS = ["Publish the rota six weeks ahead", "Self-rostering on the rota for the night team",
         "Let nurses swap rota shifts in an app", "Fair rota for weekends for part-time staff",
         "Put the on-call rota on the intranet"]


async def seed(core: Core) -> None:
    async with core.db.transaction() as session:
        for number, text in enumerate(PARKING + ROTAS, start=1):
            await ideas.create_idea(session, number=number, challenge_key="rotas", text=text,
                                    author_ref=f"slack:U{number}", anonymous=False, now=core.now())


async def count(core: Core, model) -> int:  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def press(bot: Bot, ref: str, action: str, value: str):  # type: ignore[no-untyped-def]
    return await bot.handle(ActionInvoked(actor(ref), Address("slack", "CROTA"), action, value))


async def test_staff_are_refused_and_nothing_is_stored(bot: Bot, core: Core) -> None:
    await seed(core)

    reply = await say(bot, "slack:U1", "themes suggest rotas")

    assert "Only admins or community managers can see theme suggestions" in text_of(reply)
    assert await count(core, SuggestedTheme) == 0


async def test_a_manager_applies_a_suggestion_with_one_action_once(bot: Bot, core: Core) -> None:
    await seed(core)

    reply = await say(bot, CM, "themes suggest rotas")

    (message,) = reply.messages
    assert message.title == "Suggested themes: Fairer rotas" and len(message.actions) >= 2
    assert await count(core, IdeaTheme) == 0  # suggested, not applied
    groups = {frozenset(int(n.split()[0][1:]) for n in s.lines) for s in message.sections}
    assert any(group <= {1, 2, 3, 4, 5} for group in groups) and any(group <= {6, 7, 8, 9, 10} for group in groups)
    staff = await press(bot, "slack:U1", message.actions[0].action_id, message.actions[0].value)
    assert "Only admins or community managers" in text_of(staff) and await count(core, IdeaTheme) == 0

    applied = await press(bot, CM, message.actions[0].action_id, message.actions[0].value)
    again = await press(bot, CM, message.actions[0].action_id, message.actions[0].value)

    assert "is now on" in text_of(applied) and "already applied" in text_of(again)
    themed = await count(core, IdeaTheme)
    assert themed == int(message.sections[0].heading.split("(")[1].split()[0])  # every idea of the group, once


async def test_a_manager_renames_and_leaves_ideas_out(bot: Bot, core: Core) -> None:
    await seed(core)
    (message,) = (await say(bot, CM, "themes suggest rotas")).messages
    suggestion = message.actions[0].value
    first_idea = message.sections[0].lines[0].split()[0]

    reply = await say(bot, CM, f"themes apply S{suggestion} Getting to work {first_idea.replace('#', '-#')}")

    assert "Theme 'getting to work' is now on" in text_of(reply) and first_idea not in text_of(reply)
    async with core.db.transaction() as session:
        names = set((await session.execute(select(IdeaTheme.theme))).scalars())
    assert names == {"getting to work"}


async def test_an_idea_that_starts_with_themes_is_still_an_idea(bot: Bot) -> None:
    reply = await say(bot, "slack:U1", "Themes for the staff awards evening")
    assert "your idea #1 is in" in text_of(reply)


async def test_merge_suggestions_pair_duplicates_and_merge_with_one_action(bot: Bot, core: Core) -> None:
    await seed(core)
    async with core.db.transaction() as session:
        await ideas.create_idea(session, number=11, challenge_key="rotas", text="Publish the rota six weeks in advance",
                                author_ref="slack:U11", anonymous=False, now=core.now())

    refused = await say(bot, "slack:U1", "duplicates rotas")
    (message,) = (await say(bot, CM, "duplicates rotas")).messages

    assert "Only admins or community managers can see merge suggestions" in text_of(refused)
    first = message.actions[0]
    assert (first.label, first.value) == ("Merge #11 into #6", "11:6")
    merged = await press(bot, CM, first.action_id, first.value)
    assert "Idea #11 is merged into #6" in text_of(merged)
    staff = await press(bot, "slack:U1", first.action_id, first.value)
    assert "Only admins or community managers can merge ideas" in text_of(staff)
