"""Theme suggestions: managers see them and apply one (renamed, ideas left out) with one action; staff are refused;
nothing is themed until then."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.config import AppConfig
from bot.context import Core
from bot.erasure import REMOVED_TEXT, forget_person
from bot.events import ActionInvoked, Address
from bot.handler import Bot
from bot.message import Message
from bot.themes.chat import MERGE_ACTION
from bot.themes.suggest import MAX_CLUSTERS
from storage import ideas
from storage.models import Idea, IdeaTheme, SuggestedTheme
from tests.factories import CM, actor, make_config, say, text_of

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


def numbers_in(message: Message) -> set[int]:
    return {int(word[1:]) for word in message.text.split() if word.startswith("#") and word[1:].isdigit()}


async def erase(core: Core, *refs: str) -> None:
    async with core.db.transaction() as session:
        for ref in refs:
            await forget_person(core, session, ref, requested_by="cli")


async def test_erased_ideas_are_neither_duplicates_nor_a_theme(bot: Bot, core: Core) -> None:
    core.config = make_config(data_protection={"erasure": "delete"})
    await seed(core)
    await erase(core, "slack:U1", "slack:U7", "slack:U9")  # their ideas all read REMOVED_TEXT now

    duplicates = (await say(bot, CM, "duplicates rotas")).messages[0]
    suggested = (await say(bot, CM, "themes suggest rotas")).messages[0]

    assert REMOVED_TEXT not in duplicates.text and not numbers_in(duplicates) & {1, 7, 9}
    assert not [a for a in duplicates.actions if {"1", "7", "9"} & set(a.value.split(":"))]
    assert REMOVED_TEXT not in suggested.text and suggested.sections
    async with core.db.transaction() as session:
        stored = list((await session.execute(select(SuggestedTheme.idea_numbers))).scalars())
    assert stored and not {int(n) for row in stored for n in row.split(",")} & {1, 7, 9}


async def test_applying_a_suggestion_leaves_out_ideas_erased_since(bot: Bot, core: Core) -> None:
    core.config = make_config(data_protection={"erasure": "delete"})
    await seed(core)
    (message,) = (await say(bot, CM, "themes suggest rotas")).messages
    group = [int(line.split()[0][1:]) for line in message.sections[0].lines]
    await erase(core, f"slack:U{group[0]}")

    applied = await press(bot, CM, message.actions[0].action_id, message.actions[0].value)

    assert "is now on" in text_of(applied) and f"#{group[0]} " not in text_of(applied) + " "
    async with core.db.transaction() as session:
        themed = set((await session.execute(select(Idea.number).join(IdeaTheme, IdeaTheme.idea_id == Idea.id)))
                     .scalars())
    assert group[0] not in themed and set(group[1:]) <= themed


async def test_a_malformed_apply_value_is_refused_clearly(bot: Bot, core: Core) -> None:
    await seed(core)
    await say(bot, CM, "themes suggest rotas")

    for value in ("S\u00b2", "\u0661", "9" * 5000, "S" + "9" * 10, "", "S-1", "SS1"):
        reply = await press(bot, CM, "theme_apply_0", value)  # "²".isdigit() is true; int() refuses it
        assert reply.refused and "is not a theme suggestion's number" in text_of(reply), value[:12]
        assert len(text_of(reply)) < 200
    assert await count(core, IdeaTheme) == 0


async def test_a_merge_button_value_is_never_cut_to_another_idea(bot: Bot, core: Core) -> None:
    await seed(core)

    reply = await press(bot, CM, f"{MERGE_ACTION}_0", "0000000011:6")  # nine digits of it would be #1

    assert reply.refused and "does not name two ideas" in text_of(reply)
    async with core.db.transaction() as session:
        merged = list((await session.execute(select(Idea.number).where(Idea.merged_into_id.is_not(None)))).scalars())
    assert merged == []


def largest_themes_config() -> AppConfig:
    """The longest ideas the configuration allows (campaign.idea_max_length is at most 10,000)."""
    limit = AppConfig.model_fields["campaign"].annotation.model_fields["idea_max_length"]  # type: ignore[union-attr]
    longest = next(m.le for m in limit.metadata if getattr(m, "le", None))
    return make_config(campaign={"name": "Test campaign", "timezone": "Europe/London", "audience_size": 100,
                                 "idea_max_length": longest})


async def largest_theme_suggestions(core: Core, bot: Bot) -> Message:
    """As many suggestions as the command shows (MAX_CLUSTERS), from ideas at the longest allowed length made of
    words of over a thousand letters (so every key term and theme name is as long as it can be), with & < > that
    escaping lengthens in what is quoted."""
    length = core.config.campaign.idea_max_length
    groups, per_group = MAX_CLUSTERS, 24  # 288 ideas: cluster_count asks for the most clusters
    async with core.db.transaction() as session:
        for group in range(groups):
            words = [(f"rota{chr(97 + group)}{chr(97 + term)}" * 300)[:1600] for term in range(6)]
            for n in range(per_group):
                number = group * per_group + n + 1
                text = (f"R&D <night> {' '.join(words)} " + "shift & <handover> " * 40)[:length]
                assert len(text) == length
                await ideas.create_idea(session, number=number, challenge_key="rotas", text=text,
                                        author_ref=f"slack:U{number}", anonymous=False, now=core.now())
    reply = await say(bot, CM, "themes suggest rotas")
    (message,) = reply.messages
    assert len(message.sections) == len(message.actions) == MAX_CLUSTERS
    return message


async def test_the_largest_suggestions_keep_headings_short(bot: Bot, core: Core) -> None:
    core.config = largest_themes_config()
    message = await largest_theme_suggestions(core, bot)

    for section in message.sections:
        assert len(section.heading) <= 200 and "key terms: rota" in section.heading, section.heading[:80]
        terms = section.heading.split("key terms: ", 1)[1].rstrip(")").split(", ")
        assert all(len(term) <= 30 for term in terms)
