"""Merge suggestions score every pair at once with sparse matrices; each score must be the one the lookup's
definition gives pair by pair (word cosine over rarity weights blended with the letters' cosine), and only pairs
sharing two terms are scored."""

from __future__ import annotations

from itertools import combinations

from bot.similarity import characters
from bot.similarity.search import MIN_SHARED, cosine, idf
from bot.themes.duplicates import BLOCK, duplicate_pairs
from tests.core.test_similar_letters import REWORDED, ROTA_IDEAS, VOCABULARY

MORE = ["Publish the rota eight weeks ahead so parents can plan", "A rota app so nurses swap their shifts",
        "Night staff choose their own nights on the roster", "Free parking for night staff",
        "Parking for night staff should be free", "Weekend-free rotas for part-time staff, fairly shared"]


def one_pair_at_a_time(texts: list[str]) -> dict[tuple[int, int], float]:
    """The definition, pair by pair: what the sparse computation must equal."""
    terms = [VOCABULARY.term_set(text) for text in texts]
    weight = {term: idf(len(texts), sum(term in found for found in terms)) for found in terms for term in found}
    model = characters.fit(texts[-characters.SAMPLE:])
    scores = {}
    for a, b in combinations(range(len(texts)), 2):
        if len(terms[a] & terms[b]) < MIN_SHARED:
            continue
        word = cosine({t: weight[t] for t in terms[a]}, {t: weight[t] for t in terms[b]})
        (letters,) = characters.similarities(model, texts[a], [texts[b]])
        scores[(a + 1, b + 1)] = round(characters.combined(word, letters), 3)
    return scores


def test_every_pair_sharing_two_terms_scores_as_the_definition_says() -> None:
    texts = [*ROTA_IDEAS, REWORDED, *MORE]
    expected = one_pair_at_a_time(texts)

    found = duplicate_pairs(list(enumerate(texts, start=1)), VOCABULARY, threshold=0.0, limit=10_000)

    assert len(expected) >= 10  # enough pairs to mean something
    assert {(p.survivor, p.duplicate): p.score for p in found} == expected
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_pairs_across_blocks_are_found_once_older_idea_first_whatever_the_input_order() -> None:
    filler = [f"Topic {n} alone: {word}" for n, word in enumerate(["alpha", "beta", "gamma"] * (BLOCK // 3 + 1))]
    texts = ["Free parking for night staff", *filler, "Parking for night staff should be free"]
    numbered = list(enumerate(texts, start=1))[::-1]  # newest first: rows must still follow the numbers

    found = duplicate_pairs(numbered, VOCABULARY, threshold=0.3, limit=5)

    assert (found[0].survivor, found[0].duplicate) == (1, len(texts))
    assert len({(p.survivor, p.duplicate) for p in found}) == len(found)
    assert all(p.survivor < p.duplicate for p in found)


def test_no_ideas_or_no_shared_terms_give_no_pairs() -> None:
    assert duplicate_pairs([], VOCABULARY, threshold=0.0) == []
    assert duplicate_pairs([(1, "Free parking"), (2, "Quiet rooms")], VOCABULARY, threshold=0.0) == []
