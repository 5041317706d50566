"""The pairing rules, as properties over any number of people and rounds (hypothesis)."""

from __future__ import annotations

from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.fika.pairing import EXACT_LIMIT, draw_round, group_sizes


def fewest_repeats(people: list[str], met: set[frozenset[str]]) -> int:
    """Brute force, independent of the module: the fewest repeated pairs any grouping of size 2 (one 3) has."""
    def best(left: tuple[str, ...]) -> int:
        if not left:
            return 0
        first, rest = left[0], left[1:]
        sizes = (2, 3) if len(left) % 2 else (2,)
        options = []
        for size in sizes:
            if len(left) - size == 1 or (size == 3 and len(left) != 3 and (len(left) - 3) % 2):
                continue
            for others in combinations(rest, size - 1):
                group = (first, *others)
                repeats = sum(1 for a, b in combinations(group, 2) if frozenset((a, b)) in met)
                options.append(repeats + best(tuple(p for p in rest if p not in others)))
        return min(options)
    return best(tuple(people))


def dirac_guarantees_no_repeat(people: list[str], partners: dict[str, set[str]]) -> bool:
    """True when everyone has not yet met at least half the others (+2): then a repeat-free round exists
    (Dirac's theorem gives a perfect matching of unmet pairs, Mantel a triangle for the odd group)."""
    present = set(people)
    return all(len(present - partners.get(p, set()) - {p}) >= len(present) / 2 + 2 for p in people)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(2, 500), rounds=st.integers(1, 30), seed=st.integers(0, 2**32), data=st.data())
def test_every_round_groups_everyone_once_in_twos_and_threes_without_avoidable_repeats(
        count: int, rounds: int, seed: int, data: st.DataObject) -> None:
    everyone = [f"slack:U{i:04d}" for i in range(count)]
    history: list[tuple[str, str, int]] = []
    met: set[frozenset[str]] = set()
    partners: dict[str, set[str]] = {}
    for number in range(1, rounds + 1):
        # Some people sit a round out now and then.
        skipping = data.draw(st.sets(st.sampled_from(everyone), max_size=max(0, count // 10)), label="skip")
        people = [p for p in everyone if p not in skipping]
        drawn = draw_round(people, seed=seed + number, group_size=2, history=history)
        members = [p for group in drawn.groups for p in group]
        if len(people) < 2:
            assert drawn.groups == ()
            continue
        assert sorted(members) == sorted(people)  # everyone opted in, exactly once
        assert all(len(group) in (2, 3) for group in drawn.groups)
        assert sum(len(group) == 3 for group in drawn.groups) == len(people) % 2
        pairs = [frozenset(pair) for group in drawn.groups for pair in combinations(group, 2)]
        repeats = sum(pair in met for pair in pairs)
        assert repeats == drawn.repeats
        if len(people) <= 9:
            assert repeats == fewest_repeats(people, met)
        elif dirac_guarantees_no_repeat(people, partners):
            assert repeats == 0
        for pair in pairs:
            a, b = tuple(pair)
            history.append((a, b, number))
            met.add(pair)
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)


def test_the_same_seed_draws_the_same_round_and_another_seed_another() -> None:
    people = [f"p{i}" for i in range(40)]
    assert draw_round(people, seed=7).groups == draw_round(list(reversed(people)), seed=7).groups
    assert draw_round(people, seed=7).groups != draw_round(people, seed=8).groups


def test_when_every_pairing_is_used_the_least_recent_pair_meets_again() -> None:
    people = ["a", "b", "c", "d"]
    history = [("a", "b", 1), ("c", "d", 1), ("a", "c", 2), ("b", "d", 2), ("a", "d", 3), ("b", "c", 3)]
    for seed in range(20):
        assert set(draw_round(people, seed=seed, history=history).groups) in (
            {("a", "b"), ("c", "d")}, {("b", "a"), ("c", "d")}, {("a", "b"), ("d", "c")}, {("b", "a"), ("d", "c")})


def test_mixing_pairs_across_teams_where_that_costs_no_repeat() -> None:
    teams = {f"p{i}": ("red" if i < 10 else "blue") for i in range(20)}
    for seed in range(10):
        drawn = draw_round(teams, seed=seed, attributes=teams)
        assert all(teams[a] != teams[b] for a, b in drawn.groups)
    # Mixing never buys a repeat: red-blue pairs that met before are avoided even if that means same-team pairs.
    small = {"r1": "red", "r2": "red", "b1": "blue", "b2": "blue"}
    history = [("r1", "b1", 1), ("r2", "b2", 1), ("r1", "b2", 2), ("r2", "b1", 2)]
    drawn = draw_round(small, seed=3, history=history, attributes=small)
    assert drawn.repeats == 0 and {frozenset(g) for g in drawn.groups} == {frozenset({"r1", "r2"}),
                                                                              frozenset({"b1", "b2"})}


def test_mixing_at_scale_uses_every_cross_team_pair_it_can() -> None:
    teams = {f"p{i}": f"team{i % 3 if i < 300 else 0}" for i in range(400)}  # team0 has 200 of 400
    drawn = draw_round(teams, seed=1, attributes=teams)
    mixed = sum(len({teams[p] for p in group}) > 1 for group in drawn.groups)
    assert mixed == len(drawn.groups)  # 200 of team0 can each pair with one of the other 200
    assert len(teams) > EXACT_LIMIT


def test_group_sizes_never_leave_anyone_alone() -> None:
    assert group_sizes(1, 2) == [] and group_sizes(2, 2) == [2] and group_sizes(3, 2) == [3]
    assert group_sizes(7, 2) == [3, 2, 2]
    assert group_sizes(15, 10) == [8, 7] and group_sizes(4, 3) == [4] and group_sizes(7, 4) == [4, 3]
    for size in range(2, 7):
        for count in range(2, 60):
            sizes = group_sizes(count, size)
            assert sum(sizes) == count and min(sizes) >= 2 and max(sizes) - min(sizes) <= 1
            assert count < size or all(abs(s - size) <= size // 2 for s in sizes)
