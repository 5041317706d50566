"""The similarity score blends the word cosine with a cosine of character n-grams, so reworded ideas whose words
differ in form ("self-rostering" / "night shifts") are found; the old word-only score missed them."""

from __future__ import annotations

from bot.context import Core
from bot.similarity.models import CharacterModels
from bot.similarity.search import cosine, find_similar, term_weights, vocabulary_for
from bot.themes.duplicates import duplicate_pairs
from storage import ideas
from tests.factories import make_config

VOCABULARY = vocabulary_for([["rota", "roster", "schedule"]])
OLD_THRESHOLD = 0.33  # the default while the score was the word cosine alone
# Ideas of one challenge written in the style of benchmarks/data/similar_ideas.txt (its dev set).
ROTA_IDEAS = [
    "Let nurses swap shifts through an app instead of the paper book at the nurses' station",
    "Publish the rota six weeks ahead so people can plan childcare",
    "Self-rostering for the night team so they choose their own nights within agreed rules",
    "Stop booking agency nurses when bank staff have offered to cover",
    "Give part-time staff fair access to weekend-free rotas",
    "No more than three long days in a row on the rota",
    "Keep a protected slot on each shift for mandatory training",
    "Publish the Christmas and New Year rota by September",
]
REWORDED = "Night staff should be able to pick their own night shifts, within some ground rules"


async def seed(core: Core, texts: list[str]) -> None:
    async with core.db.transaction() as session:
        for number, body in enumerate(texts, start=1):
            await ideas.create_idea(session, number=number, challenge_key="rotas", text=body,
                                    author_ref=f"slack:U{number}", anonymous=False, now=core.now())


async def test_a_reworded_duplicate_the_word_score_missed_is_now_found(core: Core) -> None:
    await seed(core, ROTA_IDEAS)
    threshold = make_config().similarity.threshold
    async with core.db.transaction() as session:
        found = await find_similar(session, VOCABULARY, REWORDED, challenge_key="rotas", limit=3,
                                   min_score=threshold)
        mine, theirs = VOCABULARY.terms(REWORDED), VOCABULARY.terms(ROTA_IDEAS[2])
        weights = (await term_weights(session, {**mine, **theirs}))[0]
    word_score = cosine({t: weights[t] for t in mine}, {t: weights[t] for t in theirs})

    assert [match.number for match in found][:1] == [3]
    assert word_score < OLD_THRESHOLD  # the old score would have posted it without asking
    assert found[0].score >= threshold > 0


async def test_letters_alone_never_match_an_idea_about_something_else(core: Core) -> None:
    await seed(core, ROTA_IDEAS)
    async with core.db.transaction() as session:
        found = await find_similar(session, VOCABULARY, "Nursery places near the hospital for parents",
                                   challenge_key="rotas", limit=3)
    assert found == []  # shares letters ("nurs", "ho") with several ideas but no pair of terms


def test_merge_suggestions_score_pairs_as_the_lookup_does() -> None:
    texts = [*ROTA_IDEAS, REWORDED]
    pairs = duplicate_pairs(list(enumerate(texts, start=1)), VOCABULARY, threshold=make_config().similarity.threshold)
    assert [(pair.survivor, pair.duplicate) for pair in pairs][:1] == [(3, 9)]


async def test_a_challenge_that_had_no_ideas_learns_its_letters_once_it_has_some(core: Core) -> None:
    models = CharacterModels()
    async with core.db.transaction() as session:
        assert await models.model(session, "rotas", 0) is None
        assert await models.model(session, "rotas", 0) is None  # kept: nothing changed
    await seed(core, ROTA_IDEAS[:2])
    async with core.db.transaction() as session:
        learnt = await models.model(session, "rotas", 2)
        assert learnt is not None and "rota" in learnt.vocabulary_
        assert await models.model(session, "rotas", 2) is learnt  # reused while the ideas do not move
