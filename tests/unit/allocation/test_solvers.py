"""The MILP and the greedy estimate: constraints always hold, optimality, clear infeasibility."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from obcms_core.domain.allocation import (
    AllocationRules,
    ObjectiveWeights,
    SolveStatus,
    check_allocation,
    solve_greedy,
    solve_milp,
    solve_relaxation,
)
from obcms_core.domain.allocation.synthetic import synthetic_instance

from .instances import MILLION, brute_force, make_problem, scenarios

SETTINGS = settings(derandomize=True, deadline=None, max_examples=250,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_every_milp_allocation_honours_every_constraint(scenario):
    problem, rules, weights = scenario
    result = solve_milp(problem, rules, weights, gap=0.0)
    if result.has_allocation:
        assert check_allocation(problem, rules, result.amounts) == []
        assert sum(result.amounts) <= Decimal(str(rules.envelope))
        assert all(a == a.quantize(Decimal("0.01")) for a in result.amounts)
    else:
        assert result.status is SolveStatus.INFEASIBLE
        assert result.messages[0].startswith("No allocation meets every setting")
        assert len(result.messages) > 1


@settings(derandomize=True, deadline=None, max_examples=150,
          suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_ppas=5))
def test_the_milp_scores_as_well_as_trying_every_choice_of_funded_ppas(scenario):
    problem, rules, weights = scenario
    best = brute_force(problem, rules, weights)
    result = solve_milp(problem, rules, weights, gap=0.0)
    if best is None:
        assert result.status is SolveStatus.INFEASIBLE
    else:
        assert result.status is SolveStatus.OPTIMAL
        assert result.objective == pytest.approx(best, rel=1e-6, abs=1e-6)


@SETTINGS
@given(scenarios())
def test_the_greedy_estimate_honours_every_constraint_and_never_beats_the_milp(scenario):
    problem, rules, weights = scenario
    greedy = solve_greedy(problem, rules, weights)
    if not greedy.has_allocation:
        assert greedy.messages and greedy.amounts == ()
        return
    assert check_allocation(problem, rules, greedy.amounts) == []
    exact = solve_milp(problem, rules, weights, gap=0.0)
    assert exact.status is SolveStatus.OPTIMAL
    assert greedy.objective <= exact.objective + 1e-6 * max(1.0, abs(exact.objective))


@settings(derandomize=True, deadline=None, max_examples=60,
          suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_ppas=5))
def test_cbc_and_highs_reach_the_same_best_score(scenario):
    problem, rules, weights = scenario
    highs = solve_milp(problem, rules, weights, gap=0.0, explain=False)
    cbc = solve_milp(problem, rules, weights, solver="cbc", gap=0.0, explain=False)
    assert cbc.status is highs.status
    assert cbc.solver == "cbc" and highs.solver == "highs"
    if highs.has_allocation:
        assert cbc.objective == pytest.approx(highs.objective, rel=1e-6, abs=1e-6)


def test_regional_floors_above_the_envelope_are_explained_in_pesos():
    problem = make_problem([10 * MILLION, 10 * MILLION], region=[0, 1])
    rules = AllocationRules(envelope=5 * MILLION,
                            region_floor_shares={"Region IX": 0.6, "Region XII": 0.6})
    for result in (solve_milp(problem, rules), solve_greedy(problem, rules)):
        assert result.status is SolveStatus.INFEASIBLE
        assert ("The regional floors need ₱6,000,000.00 but the envelope is ₱5,000,000.00."
                in result.messages)


def test_must_fund_ppas_beyond_the_envelope_or_also_excluded_are_explained():
    problem = make_problem([4 * MILLION, 3 * MILLION])
    rules = AllocationRules(envelope=5 * MILLION, must_fund=frozenset({"P1", "P2"}),
                            must_exclude=frozenset({"P2"}))
    messages = solve_milp(problem, rules).messages
    assert "P2 is both must-fund and must-exclude." in messages
    assert "The must-fund PPAs need ₱7,000,000.00 but the envelope is ₱5,000,000.00." in messages


def test_an_moa_that_must_fund_untagged_ppas_and_excludes_its_gad_ppas_is_explained():
    problem = make_problem([2 * MILLION, 1 * MILLION], moa=[0, 0], gad=[False, True])
    rules = AllocationRules(envelope=5 * MILLION, must_fund=frozenset({"P1"}),
                            must_exclude=frozenset({"P2"}))
    messages = solve_milp(problem, rules).messages
    assert any(m.startswith("MOA A must fund ₱2,000,000.00 of PPAs without a GAD tag")
               and "request only ₱0.00" in m for m in messages)


def test_an_moa_whose_capacity_leaves_no_room_for_its_gad_share_is_explained():
    problem = make_problem([2 * MILLION, MILLION], gad=[False, True],
                           disbursement=[2 * MILLION, np.nan])
    rules = AllocationRules(envelope=5 * MILLION, capacity_multiple=1.0,
                            must_fund=frozenset({"P1"}))
    assert solve_milp(problem, rules).messages[1] == (
        "MOA A must fund ₱2,000,000.00 of PPAs without a GAD tag, which needs ₱105,263.16 of "
        "GAD-tagged PPAs to reach 5%, ₱2,105,263.16 in all, but it can absorb only "
        "₱2,000,000.00.")


def test_a_floor_only_a_lumpy_ppa_can_meet_reports_the_smallest_loosening():
    # the floor needs ₱4 M in Region XII; its only PPA is all-or-nothing at ₱10 M
    problem = make_problem([10 * MILLION, 3 * MILLION], region=[1, 0])
    rules = AllocationRules(envelope=8 * MILLION,
                            region_floor_per_capita={"Region XII": 4 * MILLION / 3000})
    result = solve_milp(problem, rules)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.messages[0].startswith("No allocation meets every setting.")
    assert "the envelope would have to grow by ₱2,000,000.00;" in result.messages


def test_the_allocation_rounds_to_the_centavo_and_funds_full_ppas_exactly():
    problem = make_problem([1_000_000.01, 2_345_678.99, 3_000_000.00],
                           needs=[5, 4, 1], min_fraction=[1.0, 1.0, 0.2])
    rules = AllocationRules(envelope=4_000_000.50)
    result = solve_milp(problem, rules)
    assert result.amounts[:2] == (Decimal("1000000.01"), Decimal("2345678.99"))
    assert result.amounts[2] == Decimal("654321.50")
    assert sum(result.amounts) == Decimal("4000000.50")


def test_a_result_reports_its_bound_and_a_gap_within_the_one_asked_for():
    instance = synthetic_instance(300, 3000, seed=3)
    result = solve_milp(instance.problem, instance.rules, instance.weights, time_limit=20,
                        gap=0.005)
    assert result.status is SolveStatus.OPTIMAL
    assert result.bound >= result.objective
    assert result.gap == pytest.approx((result.bound - result.objective) / result.bound)
    assert result.gap <= 0.005
    relaxation = solve_relaxation(instance.problem, instance.rules, instance.weights)
    assert result.bound <= relaxation.objective + 1e-9


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_when_time_runs_out_before_any_allocation_the_quick_estimate_stands_in(solver):
    instance = synthetic_instance(300, 3000, seed=3)
    problem, rules, weights = instance.problem, instance.rules, instance.weights
    result = solve_milp(problem, rules, weights, solver=solver, time_limit=0.0)
    assert result.status is SolveStatus.FEASIBLE and result.solver == f"{solver}+greedy"
    assert result.messages[0].startswith("The time limit ran out before the solver found")
    assert check_allocation(problem, rules, result.amounts) == []
    assert result.gap == pytest.approx((result.bound - result.objective) / result.bound)


def test_the_greedy_estimate_reports_its_distance_to_the_lp_bound():
    instance = synthetic_instance(300, 3000, seed=3)
    problem, rules, weights = instance.problem, instance.rules, instance.weights
    bound = solve_relaxation(problem, rules, weights).objective
    greedy = solve_greedy(problem, rules, weights, bound=bound)
    assert greedy.status is SolveStatus.FEASIBLE
    assert greedy.gap == pytest.approx((bound - greedy.objective) / bound)
    assert 0 <= greedy.gap < 0.1


def test_an_unknown_solver_is_refused():
    problem = make_problem([MILLION])
    with pytest.raises(ValueError, match="solver must be one of"):
        solve_milp(problem, AllocationRules(envelope=MILLION), ObjectiveWeights(), solver="x")
