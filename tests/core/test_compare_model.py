"""Pair choice covers every idea and surfaces new ones; Bradley-Terry scores are stable and put a clear winner
first (pure functions, no database)."""

from __future__ import annotations

import random

from bot.compare.pairs import choose_pair, pair_key
from bot.compare.score import fit_preferences


def answer_rounds(counts: dict[int, int], seen: set[tuple[int, int]], rng: random.Random, rounds: int
                  ) -> list[tuple[int, int]]:
    shown = []
    for _ in range(rounds):
        pair = choose_pair(counts, seen, rng)
        assert pair is not None
        shown.append(pair)
        seen.add(pair_key(*pair))
        for idea in pair:
            counts[idea] += 1
    return shown


def test_every_idea_is_compared_within_half_as_many_rounds_as_ideas() -> None:
    counts = dict.fromkeys(range(1, 22), 0)
    shown = answer_rounds(counts, set(), random.Random(1), rounds=11)
    assert {idea for pair in shown for idea in pair} == set(counts)


def test_many_people_spread_answers_evenly() -> None:
    counts = dict.fromkeys(range(1, 31), 0)
    for person in range(40):
        answer_rounds(counts, set(), random.Random(person), rounds=15)
    assert max(counts.values()) - min(counts.values()) <= 2


def test_a_new_idea_is_shown_next_not_buried() -> None:
    counts = dict.fromkeys(range(1, 11), 0)
    answer_rounds(counts, set(), random.Random(2), rounds=30)
    counts[11] = 0  # just posted
    assert 11 in choose_pair(counts, set(), random.Random(5))  # type: ignore[operator]


def test_no_pair_twice_until_all_seen_then_none() -> None:
    counts = dict.fromkeys(range(1, 7), 0)
    seen: set[tuple[int, int]] = set()
    shown = answer_rounds(counts, seen, random.Random(4), rounds=15)
    assert len({pair_key(*pair) for pair in shown}) == 15
    assert choose_pair(counts, seen, random.Random(4)) is None


def test_the_same_seed_gives_the_same_pairs_and_sides_vary() -> None:
    def run(seed: int) -> list[tuple[int, int]]:
        return answer_rounds(dict.fromkeys(range(1, 9), 0), set(), random.Random(seed), rounds=20)

    assert run(9) == run(9)
    assert run(9) != run(10)
    assert any(a > b for a, b in run(9)) and any(a < b for a, b in run(9))  # either idea may be shown as A


def test_scores_are_stable_and_a_clear_winner_ranks_first() -> None:
    rng = random.Random(0)
    strength = {idea: idea * 0.6 for idea in range(1, 9)}
    strength[5] = 10.0  # everyone prefers #5
    answers = []
    for _ in range(1500):
        a, b = rng.sample(sorted(strength), 2)
        p_a = 1 / (1 + 2.718281828 ** (strength[b] - strength[a]))
        answers.append((min(a, b), max(a, b), "a" if (rng.random() < p_a) == (a < b) else "b"))
    first, second = fit_preferences(answers), fit_preferences(answers)
    assert first == second
    order = sorted(first, key=lambda idea: -first[idea].score)
    assert order[0] == 5 and first[5].score > 90
    assert order[1:] == [8, 7, 6, 4, 3, 2, 1]  # the true order of the others, recovered
    assert sum(p.comparisons for p in first.values()) == 3000


def test_one_lucky_answer_does_not_beat_a_steady_record() -> None:
    answers = [(1, 2, "a")] + [(3, 4, "a")] * 40 + [(3, 4, "b")] * 10 + [(3, 5, "a")] * 30
    scores = fit_preferences(answers)
    assert scores[3].score > scores[1].score > 50 > scores[2].score


def test_cant_decide_is_even() -> None:
    scores = fit_preferences([(1, 2, "tie")] * 6)
    assert abs(scores[1].score - 50) < 1e-6 and abs(scores[2].score - 50) < 1e-6
    assert fit_preferences([(1, 2, "a")])[1].score > 50
