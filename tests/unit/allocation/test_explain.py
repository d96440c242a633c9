"""Explanations: binding constraints, what ₱1 M more buys, what a left-out PPA would need."""

from __future__ import annotations

import numpy as np
import pytest

from obcms_core.domain.allocation import (
    AllocationRules,
    ObjectiveWeights,
    left_out_reasons,
    marginal_values,
    solve_milp,
    why_left_out,
)

from .instances import MILLION, make_problem

WEIGHTS = ObjectiveWeights()  # priority-weighted needs only


def three_ppas(needs_of_p3: float = 1.0, cost_of_p3: float = 5 * MILLION):
    """P1 (Region IX) is the best buy, P2 (Region XII) is partly funded, P3 (IX) is left out."""
    problem = make_problem(
        [10 * MILLION, 4 * MILLION, cost_of_p3], needs=[12, 4, needs_of_p3],
        min_fraction=[1.0, 0.25, 0.2], region=[0, 1, 0], sector=[0, 1, 1],
        population=[3000, 8000, 1000],
    )
    return problem, AllocationRules(envelope=12 * MILLION)


def test_the_envelope_binds_with_the_score_of_the_ppa_funded_at_the_margin():
    problem, rules = three_ppas()
    result = solve_milp(problem, rules, WEIGHTS)
    assert [float(a) for a in result.amounts] == [10 * MILLION, 2 * MILLION, 0.0]
    binding = {b.key: b for b in result.binding}
    assert list(binding) == ["envelope"]
    # P2 scores 4 needs per ₱4 M, needs scaled by their mean of 17/3
    assert binding["envelope"].dual == pytest.approx(1 / (17 / 3))
    assert binding["envelope"].slack == 0


def test_a_floor_that_pulls_money_to_a_weaker_region_has_a_negative_shadow_price():
    problem = make_problem([4 * MILLION, 4 * MILLION], needs=[10, 1], min_fraction=[0.25, 0.25],
                           region=[0, 1])
    rules = AllocationRules(envelope=4 * MILLION,
                            region_floor_per_capita={"Region XII": MILLION / 3000})
    result = solve_milp(problem, rules, WEIGHTS)
    assert [float(a) for a in result.amounts] == [3 * MILLION, MILLION]
    assert {b.key for b in result.binding} == {"envelope", "floor:Region XII"}
    # each ₱1 M the floor moves from P1 to P2 trades 10 needs per ₱4 M for 1 (mean 5.5)
    assert result.duals["floor:Region XII"] == pytest.approx((1 - 10) / 5.5 / 4)


def test_one_million_more_for_a_region_goes_to_its_best_partly_funded_ppa():
    problem, rules = three_ppas()
    result = solve_milp(problem, rules, WEIGHTS)
    values = {(m.kind, m.group): m for m in marginal_values(problem, rules, WEIGHTS,
                                                            result.relaxation)}
    xii = values["region", "Region XII"]
    assert xii.via == ("P2",)
    assert xii.people == pytest.approx(2000)
    assert xii.sentence == ("₱1 M more for Region XII reaches about 2,000 more people and "
                            "1.00 more priority-weighted needs (through P2).")
    assert values["region", "Region IX"].via == ("P3",)
    assert values["region", "Region IX"].score < xii.score


def test_one_million_more_for_a_group_whose_ppas_are_all_funded_adds_nothing():
    problem, rules = three_ppas()
    result = solve_milp(problem, rules, WEIGHTS)
    values = {(m.kind, m.group): m for m in marginal_values(problem, rules, WEIGHTS,
                                                            result.relaxation)}
    economic = values["sector", "economic"]
    assert economic.score == 0 and economic.via == ()
    assert economic.sentence.startswith("₱1 M more for the economic sector adds nothing")


def test_a_ppa_left_out_for_its_score_is_told_how_much_better_it_would_have_to_score():
    problem, rules = three_ppas()
    result = solve_milp(problem, rules, WEIGHTS)
    reason = why_left_out(problem, rules, WEIGHTS, result, "P3")
    assert "room it would take in the envelope" in reason
    assert "if its score rose by about 400%" in reason
    assert "if its request fell to about ₱1,000,000.00" in reason
    # and the advice holds: a little above either threshold and P3 is funded
    for better in (three_ppas(needs_of_p3=5.05), three_ppas(cost_of_p3=0.99 * MILLION)):
        assert float(solve_milp(*better, WEIGHTS).amounts[2]) > 0


def test_reasons_are_listed_for_every_ppa_the_allocation_leaves_out():
    problem, rules = three_ppas()
    result = solve_milp(problem, rules, WEIGHTS)
    reasons = left_out_reasons(problem, rules, WEIGHTS, result)
    assert list(reasons) == ["P3"]
    assert reasons["P3"] == why_left_out(problem, rules, WEIGHTS, result, "P3")


def test_a_ppa_too_lumpy_for_the_room_left_is_told_what_would_make_it_fit():
    problem = make_problem([10 * MILLION, 5 * MILLION], needs=[12, 4])
    rules = AllocationRules(envelope=12 * MILLION)
    result = solve_milp(problem, rules, WEIGHTS)
    assert why_left_out(problem, rules, WEIGHTS, result, "P2") == (
        "P2 is worth funding, but its minimum viable amount ₱5,000,000.00 does not fit: only "
        "₱2,000,000.00 is left under the envelope. It would be funded if its minimum viable "
        "amount fell to ₱2,000,000.00, if the envelope rose by ₱3,000,000.00, or if a PPA "
        "that scores less gave way.")


def test_a_ppa_blocked_by_a_full_capacity_is_told_which_limit_is_used_up():
    problem = make_problem([2 * MILLION, 2 * MILLION, MILLION], needs=[12, 10, 4.9],
                           min_fraction=[1.0, 1.0, 0.5], disbursement=[3 * MILLION, np.nan])
    rules = AllocationRules(envelope=10 * MILLION, capacity_multiple=1.0)
    result = solve_milp(problem, rules, WEIGHTS)
    assert [float(a) for a in result.amounts] == [2 * MILLION, 0.0, MILLION]
    assert why_left_out(problem, rules, WEIGHTS, result, "P2") == (
        "P2 is worth funding, but MOA A's absorptive capacity is fully used. It would be "
        "funded if MOA A's absorptive capacity rose by ₱2,000,000.00, or if a PPA that scores "
        "less gave way.")


def test_excluded_funded_and_worthless_ppas_get_plain_answers():
    problem, _ = three_ppas(needs_of_p3=0.0)
    rules = AllocationRules(envelope=12 * MILLION, must_exclude=frozenset({"P2"}))
    result = solve_milp(problem, rules, WEIGHTS)
    assert why_left_out(problem, rules, WEIGHTS, result, "P1") == (
        "P1 is funded (₱10,000,000.00).")
    assert why_left_out(problem, rules, WEIGHTS, result, "P2").startswith(
        "P2 is on the must-exclude list")
    assert why_left_out(problem, rules, WEIGHTS, result, "P3").startswith(
        "P3 scores nothing under the current weights")
