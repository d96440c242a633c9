"""The problem and scenario refuse nonsense; the checker names every breach in words."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from obcms_core.domain.allocation import AllocationRules, check_allocation, encode, solve_milp
from obcms_core.domain.allocation.constraints import (
    constraint_rows,
    min_viable_amounts,
    moas_without_gad,
)
from obcms_core.domain.allocation.result import to_amounts, to_cents

from .instances import MILLION, make_problem


def test_a_problem_refuses_requests_of_zero_and_coverage_that_does_not_add_up():
    with pytest.raises(ValueError, match="requested amount must be above zero"):
        make_problem([MILLION, 0.0])
    with pytest.raises(ValueError, match="coverage shares must sum to 1"):
        make_problem([MILLION], coverage=[[0.5, 0.4]])
    with pytest.raises(ValueError, match="minimum viable fractions"):
        make_problem([MILLION], min_fraction=[0.0])


def test_a_scenario_refuses_a_negative_envelope_and_a_gad_share_of_one_hundred_percent():
    with pytest.raises(ValueError, match="envelope"):
        AllocationRules(envelope=-1.0)
    with pytest.raises(ValueError, match="GAD share"):
        AllocationRules(envelope=1.0, gad_share=1.0)


def test_a_ceiling_or_floor_for_an_unknown_group_is_refused():
    problem = make_problem([MILLION])
    with pytest.raises(ValueError, match="unknown sectors: roads"):
        constraint_rows(problem, AllocationRules(envelope=MILLION, sector_ceilings={"roads": 1}))
    with pytest.raises(ValueError, match="unknown regions: Region XIII"):
        constraint_rows(problem, AllocationRules(envelope=MILLION,
                                                 region_floor_shares={"Region XIII": 0.1}))


def test_labels_are_encoded_against_a_fixed_list_of_names():
    codes, names = encode(["social", "economic", "social"], ["economic", "social"])
    assert codes.tolist() == [1, 0, 1] and names == ("economic", "social")
    with pytest.raises(ValueError, match="unknown names: roads"):
        encode(["roads"], ["economic"])


def test_an_allocation_within_every_limit_has_no_breaches():
    problem = make_problem([3 * MILLION, 4 * MILLION], min_fraction=[1.0, 0.5])
    amounts = [Decimal("3000000.00"), Decimal("2000000.00")]
    assert check_allocation(problem, AllocationRules(envelope=5 * MILLION), amounts) == []


def test_the_checker_names_each_group_limit_that_is_broken():
    problem = make_problem(
        [3 * MILLION, 4 * MILLION, 2 * MILLION, MILLION], region=[0, 1, 1, 1],
        sector=[0, 0, 1, 1], source=[1, 0, 0, 0], moa=[0, 0, 1, 1],
        gad=[False, True, False, True], disbursement=[5 * MILLION, np.nan],
    )
    rules = AllocationRules(
        envelope=8 * MILLION, sector_ceilings={"economic": 6 * MILLION},
        source_ceilings={"sdf": 2 * MILLION}, capacity_multiple=1.2,
        region_floor_shares={"Region IX": 0.5}, gad_share=0.05,
    )
    amounts = [3 * MILLION, 4 * MILLION, 2 * MILLION, 0.0]
    assert check_allocation(problem, rules, amounts) == [
        "The envelope is ₱8,000,000.00 but the allocation totals ₱9,000,000.00 "
        "(₱1,000,000.00 over).",
        "The sdf ceiling is ₱2,000,000.00 but PPAs funded from it get ₱3,000,000.00 "
        "(₱1,000,000.00 over).",
        "The economic sector ceiling is ₱6,000,000.00 but its PPAs get ₱7,000,000.00 "
        "(₱1,000,000.00 over).",
        "MOA A can absorb ₱6,000,000.00 (1.2 × last year's disbursement) but gets "
        "₱7,000,000.00 (₱1,000,000.00 over).",
        "Region IX's floor is ₱4,000,000.00 but it receives ₱3,000,000.00 "
        "(₱1,000,000.00 short).",
        "MOA B's GAD-tagged PPAs get ₱0.00, 0.0% of its ₱2,000,000.00 allocation; "
        "the mandated share is 5%.",
    ]


def test_the_checker_names_each_ppa_limit_that_is_broken():
    problem = make_problem([MILLION, 2 * MILLION, MILLION, MILLION], min_fraction=[1, 0.5, 1, 1])
    rules = AllocationRules(envelope=10 * MILLION, must_fund=frozenset({"P3"}),
                            must_exclude=frozenset({"P4"}))
    amounts = ["1200000", "400000", "0", "1000000"]
    assert check_allocation(problem, rules, amounts) == [
        "P1 gets ₱1,200,000.00, outside 0 to its request ₱1,000,000.00.",
        "P2 gets ₱400,000.00, below its minimum viable amount ₱1,000,000.00.",
        "P3 must be funded in full (₱1,000,000.00) but gets ₱0.00.",
        "P4 must be left out but gets ₱1,000,000.00.",
    ]
    assert check_allocation(problem, rules, amounts[:2]) == [
        "The allocation has 2 amounts for 4 PPAs."
    ]


def test_a_ppa_covering_two_regions_counts_towards_each_floor_by_its_share():
    problem = make_problem([4 * MILLION], coverage=[[0.25, 0.75]])
    rules = AllocationRules(envelope=4 * MILLION, region_floor_per_capita={"Region XII": 1000})
    assert check_allocation(problem, rules, [4 * MILLION]) == []  # XII receives ₱3 M
    assert check_allocation(problem, rules, [0]) == [
        "Region XII's floor is ₱3,000,000.00 but it receives ₱0.00 (₱3,000,000.00 short)."
    ]


def test_minimum_viable_amounts_round_up_to_the_centavo():
    problem = make_problem([1_000_000.01], min_fraction=[0.5])
    assert min_viable_amounts(problem).tolist() == [500_000.01]


def test_rounding_keeps_the_envelope_whole_and_ignores_solver_noise():
    problem = make_problem([MILLION, MILLION, 3 * MILLION], min_fraction=[1.0, 1.0, 0.2])
    limits = [r for r in constraint_rows(problem, AllocationRules(envelope=2_500_000.00))
              if r.sense == "<="]
    # a binary at 0.9999997 is a full PPA, one at 3e-7 is out; the partial PPA absorbs the
    # centavos the envelope cannot hold
    cents = to_cents(problem, np.array([0.9999997, 3e-7, 0.5000001]),
                     min_viable_amounts(problem), limits)
    assert to_amounts(cents) == (Decimal("1000000.00"), Decimal("0.00"), Decimal("1500000.00"))


def test_an_moa_with_no_gad_tagged_ppa_is_reported_not_starved():
    problem = make_problem([MILLION, MILLION], moa=[0, 1], gad=[True, False])
    assert moas_without_gad(problem) == [problem.moa_names[1]]
    rules = AllocationRules(envelope=2 * MILLION, gad_share=0.05)
    assert check_allocation(problem, rules, [MILLION, MILLION]) == []
    result = solve_milp(problem, rules, explain=False)
    assert result.amounts_array()[1] == MILLION
