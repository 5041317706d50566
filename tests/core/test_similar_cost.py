"""What keeps a similar-ideas lookup cheap at 100,000 ideas without changing its answers: term counts in one
round trip (PostgreSQL's sampled shares for its common lexemes), and a budget on the pairs of terms searched."""

from __future__ import annotations

from sqlalchemy import insert, text

from bot.context import Core
from bot.similarity.counts import TermCounts
from bot.similarity.search import MATCH_BUDGET, find_similar, search_pairs, vocabulary_for
from storage import term_stats
from storage.models import Idea

VOCABULARY = vocabulary_for([["rota", "roster", "schedule"]])


async def seed(core: Core, texts: list[str]) -> None:
    now = core.now()
    async with core.db.transaction() as session:
        await session.execute(insert(Idea), [
            {"number": n + 1, "challenge_key": "rotas", "text": body, "author_ref": f"slack:U{n}", "anonymous": False,
             "status": "new", "vote_count": 0, "created_at": now, "updated_at": now} for n, body in enumerate(texts)])


async def test_term_counts_are_exact_for_a_small_campaign_and_cover_synonyms(core: Core) -> None:
    await seed(core, ["Publish the rota early", "A roster app for swaps", "Hot drinks at night", "Night rota"])
    async with core.db.transaction() as session:
        total, counts = await term_stats.term_statistics(session, groups=VOCABULARY.terms("rota nights parking"))
    assert total == 4
    assert counts == {"rota": 3, "night": 2, "park": 0}  # rota + roster: a synonym group counts all its words


async def test_common_lexemes_come_from_postgresql_samples_and_rare_ones_are_counted(core: Core) -> None:
    texts = [f"Night shift idea {n} with handover" if n % 2 else f"Day rota idea {n}" for n in range(600)]
    await seed(core, [*texts, "A sauna for the porters"])
    async with core.db.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ANALYZE idea"))
    async with core.db.transaction() as session:
        total, counts = await term_stats.term_statistics(session, groups=VOCABULARY.terms("night handover sauna"))
    assert total == 601
    assert abs(counts["night"] - 300) <= 15 and abs(counts["handov"] - 300) <= 15
    assert counts["sauna"] == 1


def test_pairs_are_searched_rarest_first_within_the_budget() -> None:
    frequencies = {"sauna": 2, "porter": 40, "night": 30_000, "shift": 40_000, "rota": 20_000}
    pairs = search_pairs(["sauna", "porter", "rota", "night", "shift"], frequencies, 100_000)
    assert pairs[0] == ("sauna", "porter")
    assert ("night", "shift") not in pairs  # about 12,000 expected matches: over the budget
    expected = sum(frequencies[a] * frequencies[b] / 100_000 for a, b in pairs)
    assert len(pairs) >= 4 and expected <= MATCH_BUDGET
    assert search_pairs(["night", "shift"], frequencies, 100_000) == [("night", "shift")]  # always one
    assert search_pairs(["sauna"], frequencies, 100_000) == [("sauna",)]


async def test_a_rare_pair_finds_its_idea_among_thousands_that_share_common_words(core: Core) -> None:
    await seed(core, [f"Night shift rota change {n}" for n in range(3000)]
               + ["Night shift rota: a sauna for the porters"])
    async with core.db.transaction() as session:
        found = await find_similar(session, VOCABULARY, "A sauna for porters on the night shift rota",
                                   challenge_key="rotas", limit=3)
    assert found[0].number == 3001 and found[0].score > 0.8


async def test_counts_are_reused_while_the_campaign_grows_by_under_one_per_cent(core: Core) -> None:
    await seed(core, [*(f"Rota idea {n}" for n in range(199)), "A sauna for the porters"])
    cache = TermCounts()
    sauna = VOCABULARY.terms("sauna")

    async def read() -> int:
        async with core.db.transaction() as session:
            total, _ = await term_stats.term_statistics(session, groups={})
            return (await cache.read(session, sauna, total))[1]["sauna"]

    async def add(number: int) -> None:
        async with core.db.transaction() as session:
            await session.execute(insert(Idea), [{
                "number": number, "challenge_key": "rotas", "text": "Another sauna", "author_ref": "slack:U1",
                "anonymous": False, "status": "new", "vote_count": 0, "created_at": core.now(),
                "updated_at": core.now()}])

    assert await read() == 1
    await add(201)
    assert await read() == 1  # 201 ideas: within 1% of the 200 the count was read at
    await add(202)
    await add(203)
    assert await read() == 4  # 203: read again
