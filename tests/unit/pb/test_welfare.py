"""Maximum total welfare equals brute force, ties broken towards smaller project ids."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings

from obcms_core.domain.pb.election import Election
from obcms_core.domain.pb.welfare import max_welfare
from tests.unit.pb.helpers import approval
from tests.unit.pb.strategies import SETTINGS, elections


def _brute_force(election: Election) -> list[str]:
    """Best welfare; among equals, fund each project in id order whenever a best set allows."""
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    votes = {p: sum(p in b.projects for b in election.ballots) for p in cost}
    ids = sorted(p for p in cost if votes[p] > 0)
    sets = [
        set(s)
        for r in range(len(ids) + 1)
        for s in combinations(ids, r)
        if sum(cost[p] for p in s) <= election.budget
    ]
    best = max(sum(cost[p] * votes[p] for p in s) for s in sets)
    sets = [s for s in sets if sum(cost[p] * votes[p] for p in s) == best]
    for p in ids:  # lexicographic: keep the sets that fund p if any does
        if any(p in s for s in sets):
            sets = [s for s in sets if p in s]
        else:
            sets = [s for s in sets if p not in s]
    return sorted(sets[0])


@settings(**{**SETTINGS, "max_examples": 150})
@given(elections())
def test_max_welfare_equals_brute_force_on_small_elections(election: Election) -> None:
    assert sorted(max_welfare(election)) == _brute_force(election)


def test_the_knapsack_beats_greedy_when_a_popular_project_blocks_two_others() -> None:
    # a: 3 voters x 60 = 180; b + c: 2 x 50 + 2 x 50 = 200 and both fit in 100
    election = approval(100, {"a": 60, "b": 50, "c": 50}, "a,b", "a,c", "a,b,c")
    assert sorted(max_welfare(election)) == ["b", "c"]


def test_equally_good_sets_go_to_the_one_with_the_smaller_id() -> None:
    election = approval(10, {"x": 10, "y": 10}, "x", "y")
    assert max_welfare(election) == ("x",)


def test_projects_nobody_supports_are_never_funded() -> None:
    election = approval(100, {"a": 10, "lonely": 10}, "a")
    assert max_welfare(election) == ("a",)
