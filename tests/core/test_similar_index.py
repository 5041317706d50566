"""The similar-ideas index lives in the database and follows every change to ideas: new, edited, merged, erased;
stemming and the campaign's synonyms apply. Runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

from sqlalchemy import delete, update

from bot.context import Core
from bot.handler import Bot
from bot.similarity.search import find_similar, vocabulary_for
from storage import ideas
from storage.models import Idea
from tests.factories import CM, make_config, say

VOCABULARY = vocabulary_for([["rota", "roster", "schedule"]])


async def add(core: Core, number: int, text: str, challenge: str = "rotas") -> int:
    async with core.db.transaction() as session:
        idea = await ideas.create_idea(session, number=number, challenge_key=challenge, text=text,
                                       author_ref=f"slack:U{number}", anonymous=False, now=core.now())
        return idea.id  # type: ignore[return-value]


async def similar(core: Core, text: str, challenge: str | None = "rotas") -> list[tuple[int, float]]:
    async with core.db.transaction() as session:
        found = await find_similar(session, VOCABULARY, text, challenge_key=challenge, limit=5)
    return [(match.number, match.score) for match in found]


async def test_stemming_and_synonyms_find_the_same_idea_in_other_words(core: Core) -> None:
    await add(core, 1, "Publish the rota six weeks ahead so people can plan childcare")
    await add(core, 2, "Free hot drinks for the night team")
    await add(core, 3, "Publish the rota six weeks ahead", challenge="breaks")

    found = await similar(core, "Release the roster six weeks in advance for planning")

    assert [number for number, _ in found] == [1]  # the other challenge's twin and the unrelated idea stay out
    assert found[0][1] > 0.33
    assert await similar(core, "Something entirely unrelated about parking") == []


async def test_the_index_follows_edits_and_erasure(core: Core) -> None:
    first = await add(core, 1, "Publish the rota six weeks ahead")
    await add(core, 2, "Free hot drinks for the night team")
    assert [n for n, _ in await similar(core, "hot drinks at night")] == [2]

    async with core.db.transaction() as session:  # an edit, made by whatever code (or person) edits ideas
        await session.execute(update(Idea).where(Idea.id == first).values(text="Hot soup and drinks for nights"))
    assert sorted(n for n, _ in await similar(core, "hot drinks at night")) == [1, 2]
    assert await similar(core, "publish the rota weeks ahead") == []

    async with core.db.transaction() as session:  # erasure
        await session.execute(delete(Idea).where(Idea.id == first))
    assert [n for n, _ in await similar(core, "hot drinks at night")] == [2]


async def test_a_merged_duplicate_leads_to_the_idea_it_was_merged_into(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Self-rostering for the night team within agreed rules")
    await add(core, 2, "Let the night team choose their own nights")  # a duplicate that got in before the check
    await add(core, 3, "Free parking for night staff")

    assert [n for n, _ in await similar(core, "night staff choose their own nights")][0] == 2
    await say(bot, CM, "merge #2 into #1")

    numbers = [n for n, _ in await similar(core, "night staff choose their own nights")]
    assert numbers[0] == 1 and 2 not in numbers
    await say(bot, CM, "unmerge #2")
    assert [n for n, _ in await similar(core, "night staff choose their own nights")][0] == 2


def test_synonyms_are_validated_with_the_key_path() -> None:
    import pytest

    from bot.config import ConfigError

    with pytest.raises(ConfigError, match=r"similarity.synonyms\[0\]: 'night shift' must be one word"):
        make_config(similarity={"synonyms": [["nights", "night shift"]]})
    assert make_config(similarity={"synonyms": [["Rota", "roster"]]}).similarity.synonyms == [["rota", "roster"]]
