"""The synthetic benchmark instance: reproducible, complete, and solvable by both methods."""

from __future__ import annotations

import numpy as np

from obcms_core.domain.allocation import (
    ObjectiveWeights,
    SolveStatus,
    check_allocation,
    solve_greedy,
    solve_milp,
)
from obcms_core.domain.allocation.constraints import constraint_rows
from obcms_core.domain.allocation.feasibility import conflicts
from obcms_core.domain.allocation.model import baseline_amounts, needs_addressed
from obcms_core.domain.allocation.synthetic import synthetic_instance


def test_the_same_seed_gives_the_same_instance_and_another_seed_a_different_one():
    first, again, other = (synthetic_instance(200, 2000, seed) for seed in (7, 7, 8))
    for name in ("cost", "min_fraction", "needs_value", "coverage", "moa", "gad"):
        assert np.array_equal(getattr(first.problem, name), getattr(again.problem, name))
    assert first.rules.must_fund == again.rules.must_fund
    assert not np.array_equal(first.problem.cost, other.problem.cost)


def test_the_instance_uses_every_constraint_kind_without_contradicting_itself():
    instance = synthetic_instance(400, 4000, seed=1)
    problem, rules = instance.problem, instance.rules
    kinds = {row.kind for row in constraint_rows(problem, rules)}
    assert kinds == {"envelope", "source", "sector", "capacity", "floor", "gad"}
    assert rules.must_fund and rules.must_exclude and rules.region_floor_per_capita
    assert conflicts(problem, rules) == []
    assert all(problem.gad[problem.moa == k].any() for k in range(len(problem.moa_names)))


def test_more_linked_needs_raise_the_needs_value_of_the_ppas():
    few = synthetic_instance(200, 1000, seed=2).problem.needs_value.sum()
    many = synthetic_instance(200, 10000, seed=2).problem.needs_value.sum()
    assert many > 5 * few


def test_the_optimised_allocation_addresses_more_needs_than_last_years_shares():
    instance = synthetic_instance(400, 4000, seed=4)
    problem, rules = instance.problem, instance.rules
    weights = ObjectiveWeights(needs=1.0)
    exact = solve_milp(problem, rules, weights)
    greedy = solve_greedy(problem, rules, weights)
    assert exact.status is SolveStatus.OPTIMAL and greedy.status is SolveStatus.FEASIBLE
    for result in (exact, greedy):
        assert check_allocation(problem, rules, result.amounts) == []
    assert greedy.objective <= exact.objective
    baseline = needs_addressed(problem, baseline_amounts(problem, rules.envelope))
    assert needs_addressed(problem, exact.amounts_array()) > 1.2 * baseline
