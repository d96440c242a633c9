"""Cycle rules: the voting window, what freezes when voting opens, ballot limits, tie-breaks."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.cycle import (
    BallotFormat,
    BallotSpec,
    CycleFrozen,
    Phase,
    TieBreak,
    check_unfrozen,
    check_weights,
    phase_at,
    tie_break_order,
)
from obcms_core.domain.pb.election import VoteType
from obcms_core.domain.pb.milestones import check_milestones, milestone_reached
from obcms_core.domain.pb.profile import Utility

OPENS = datetime(2026, 3, 1, 8, tzinfo=UTC)
CLOSES = datetime(2026, 3, 31, 17, tzinfo=UTC)


def test_a_cycle_is_upcoming_then_open_until_the_closing_moment_then_closed() -> None:
    moments = [datetime(2026, 2, 28, tzinfo=UTC), OPENS, CLOSES.replace(hour=16), CLOSES]
    assert [phase_at(OPENS, CLOSES, m) for m in moments] == [
        Phase.UPCOMING, Phase.OPEN, Phase.OPEN, Phase.CLOSED]


def test_before_voting_opens_every_setting_may_change() -> None:
    check_unfrozen("C", OPENS, CLOSES, datetime(2026, 2, 1, tzinfo=UTC),
                   ["ballot", "envelope", "projects", "counting_rule"])


def test_after_voting_opens_the_refusal_names_every_frozen_setting_in_one_sentence() -> None:
    with pytest.raises(CycleFrozen) as refused:
        check_unfrozen("PB 2026", OPENS, CLOSES, OPENS, ["projects", "envelope", "name"])
    assert str(refused.value) == (
        "Voting in 'PB 2026' opened on 01 Mar 2026, so its envelope and eligible projects can"
        " no longer be changed."
    )


def test_the_name_and_closing_date_stay_open_to_change_until_voting_closes() -> None:
    check_unfrozen("C", OPENS, CLOSES, OPENS, ["name", "description", "closes_at"])
    with pytest.raises(CycleFrozen, match="closed on 31 Mar 2026, so it cannot be reopened"):
        check_unfrozen("C", OPENS, CLOSES, CLOSES, ["closes_at"])


def test_knapsack_is_counted_as_approval_and_checks_the_envelope() -> None:
    spec = BallotSpec(BallotFormat.KNAPSACK, max_choices=3, min_envelope_share=Decimal("0.25"))
    rules = spec.rules(1_000_000)
    assert spec.format.vote_type is VoteType.APPROVAL
    assert (rules.envelope, rules.min_share, rules.max_count) == (1_000_000, Fraction(1, 4), 3)
    assert BallotSpec(BallotFormat.APPROVAL).rules(1_000_000).envelope is None


def test_points_and_scores_weigh_a_project_by_what_the_voter_gave_it() -> None:
    assert BallotFormat.CUMULATIVE.utility is Utility.COST_POINTS
    assert BallotFormat.SCORING.utility is Utility.COST_POINTS
    assert BallotFormat.ORDINAL.utility is Utility.COST
    assert BallotFormat.from_vote_type(VoteType.APPROVAL) is BallotFormat.APPROVAL
    assert BallotFormat.from_vote_type(VoteType.CHOOSE_ONE) is BallotFormat.CHOOSE_ONE


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (BallotSpec(min_choices=-1), "must be positive"),
        (BallotSpec(min_choices=4, max_choices=2), "cannot be below the fewest"),
        (BallotSpec(BallotFormat.KNAPSACK, min_envelope_share=Decimal("1.5")), "between 0"),
        (BallotSpec(BallotFormat.CUMULATIVE), "points to spread"),
        (BallotSpec(BallotFormat.SCORING, min_score=5, max_score=5), "lowest value"),
    ],
)
def test_ballot_limits_that_make_no_sense_are_named(spec: BallotSpec, problem: str) -> None:
    assert any(problem in p for p in spec.problems())


def test_sensible_ballot_limits_have_no_problems() -> None:
    assert BallotSpec(BallotFormat.CUMULATIVE, points=10, max_points_per_project=4).problems() == []
    assert BallotSpec(BallotFormat.SCORING).problems() == []


def test_ties_go_to_the_smaller_id_as_text_or_to_the_cheaper_project() -> None:
    projects = [("b", 300), ("a10", 100), ("a9", 100), ("c", Decimal("50.5"))]
    assert tie_break_order(projects, TieBreak.PROJECT_ID) == ["a10", "a9", "b", "c"]
    assert tie_break_order(projects, TieBreak.LOWEST_COST) == ["c", "a10", "a9", "b"]


def test_stakeholder_weights_are_positive_numbers_keyed_by_lower_case_type() -> None:
    assert check_weights({" Youth ": "1.5", "Elders": 2}) == {
        "youth": Decimal("1.5"), "elders": Decimal(2)}
    for bad in ({"youth": 0}, {"youth": "many"}, {"": 1}, {"youth": -1}):
        with pytest.raises(ValidationFailed, match="must be a number above 0"):
            check_weights(bad)


def test_milestones_are_distinct_positive_ballot_counts_each_reached_once() -> None:
    assert check_milestones(["1,000", 100, 500, 100]) == [100, 500, 1000]
    with pytest.raises(ValidationFailed, match="above zero"):
        check_milestones([0])
    assert [milestone_reached([100, 500], n) for n in (99, 100, 101, 500)] == [
        None, 100, None, 500]
