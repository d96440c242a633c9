"""Ballot checks per format, with messages that say what to change."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from obcms_core.adapters.pabulib import read_pb
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.ballots import (
    BallotRules,
    InvalidBallot,
    ballot_problems,
    check_ballot,
    rules_from_meta,
)
from obcms_core.domain.pb.election import Ballot, Election, Project, VoteType
from obcms_core.i18n import text

PROJECTS = (Project("a", 600_000), Project("b", 300_000), Project("c", 150_000))


def _election(kind: VoteType = VoteType.APPROVAL) -> Election:
    return Election(1_000_000, kind, PROJECTS, ())


def test_approval_ballots_respect_the_minimum_and_maximum_count() -> None:
    rules = BallotRules(min_count=1, max_count=2)
    assert ballot_problems(rules, _election(), Ballot("v", ())) == [
        "Choose at least 1 project; you have chosen 0."
    ]
    assert ballot_problems(rules, _election(), Ballot("v", ("a", "b", "c"))) == [
        "Choose at most 2 projects; you have chosen 3."
    ]
    assert ballot_problems(rules, _election(), Ballot("v", ("a", "b"))) == []


def test_unknown_and_repeated_projects_are_named() -> None:
    problems = ballot_problems(BallotRules(), _election(), Ballot("v", ("a", "a", "zz")))
    assert "These projects are not in this cycle: zz." in problems
    assert "A project is marked more than once." in problems


def test_choose_one_ballots_mark_exactly_one_project() -> None:
    rules = BallotRules(vote_type=VoteType.CHOOSE_ONE)
    election = _election(VoteType.CHOOSE_ONE)
    assert ballot_problems(rules, election, Ballot("v", ("a", "b"))) == [
        "Choose exactly one project (you have chosen 2)."
    ]


def test_a_knapsack_ballot_must_fit_within_the_envelope() -> None:
    rules = BallotRules(envelope=1_000_000)
    assert ballot_problems(rules, _election(), Ballot("v", ("a", "b", "c"))) == [
        "The projects you chose cost ₱1,050,000.00, ₱50,000.00 more than the ₱1,000,000.00"
        " envelope. Untick a project so that your choice fits the budget."
    ]


def test_a_knapsack_ballot_may_have_to_use_a_minimum_share_of_the_envelope() -> None:
    rules = BallotRules(envelope=1_000_000, min_share=Fraction(1, 2))
    assert ballot_problems(rules, _election(), Ballot("v", ("b",))) == [
        "The projects you chose cost ₱300,000.00; choose projects worth at least ₱500,000.00"
        " (50% of the envelope)."
    ]
    assert ballot_problems(rules, _election(), Ballot("v", ("a",))) == []


def test_cumulative_ballots_distribute_at_most_the_points_available() -> None:
    election = _election(VoteType.CUMULATIVE)
    rules = BallotRules(vote_type=VoteType.CUMULATIVE, points=5, max_points_per_project=3)
    assert ballot_problems(rules, election, Ballot("v", ("a", "b"), (4, 2))) == [
        "You may give 5 points in all; your ballot gives 6.",
        "No project may get more than 3 points.",
    ]
    spend_all = BallotRules(vote_type=VoteType.CUMULATIVE, points=5, spend_all_points=True)
    assert ballot_problems(spend_all, election, Ballot("v", ("a",), (3,))) == [
        "Give all 5 points; your ballot gives 3."
    ]
    assert ballot_problems(rules, election, Ballot("v", ("a", "b"), (0, 2))) == [
        "Points must be whole numbers above zero."
    ]


def test_score_ballots_use_whole_scores_from_one_to_five() -> None:
    election = _election(VoteType.SCORING)
    rules = BallotRules(vote_type=VoteType.SCORING)
    assert ballot_problems(rules, election, Ballot("v", ("a", "b", "c"), (5, 0, 6))) == [
        "Scores are whole numbers from 1 to 5; check b, c."
    ]
    assert ballot_problems(rules, election, Ballot("v", ("a", "b"), (1, 5))) == []


def test_every_problem_reads_in_filipino_too() -> None:
    rules = BallotRules(envelope=1_000_000, max_count=2)
    found = ballot_problems(rules, _election(), Ballot("v", ("a", "b", "c")))
    assert [text(p.key, "fil", **p.values) for p in found] == [
        "Pumili ng hindi hihigit sa 2 proyekto; nakapili ka ng 3.",
        "Ang kabuuang halaga ng mga pinili mong proyekto ay ₱1,050,000.00, lampas nang"
        " ₱50,000.00 sa badyet na ₱1,000,000.00. Alisin ang tsek sa isang proyekto para"
        " magkasya sa badyet ang iyong pinili.",
    ]
    assert [p.key for p in found] == ["check.too_many.many", "check.over_envelope"]


def test_check_ballot_raises_one_validation_error_listing_every_problem() -> None:
    rules = BallotRules(min_count=1, max_count=1)
    with pytest.raises(InvalidBallot) as info:
        check_ballot(rules, _election(), Ballot("v", ("a", "zz")))
    assert isinstance(info.value, ValidationFailed)
    assert info.value.problems == [
        "These projects are not in this cycle: zz.",
        "Choose at most 1 project; you have chosen 2.",
    ]


FILES = sorted(
    Path(
        os.environ.get("OBCMS_PABULIB_DIR")
        or Path(__file__).resolve().parents[3].parent / "shared" / "pabulib"
    ).glob("*.pb")
)


@pytest.mark.skipif(not FILES, reason="pabulib files not available")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_published_ballot_passes_the_rules_its_file_declares(path: Path) -> None:
    election = read_pb(path)
    rules = rules_from_meta(election)
    bad = [b.voter_id for b in election.ballots if ballot_problems(rules, election, b)]
    assert bad == []


def test_rules_are_read_from_the_file_meta() -> None:
    election = Election(
        100,
        VoteType.CUMULATIVE,
        PROJECTS,
        (),
        (("min_length", "1"), ("max_length", "3"), ("max_sum_points", "5"), ("max_points", "3")),
    )
    rules = rules_from_meta(election)
    assert (rules.min_count, rules.max_count, rules.points, rules.max_points_per_project) == (
        1,
        3,
        5,
        3,
    )
