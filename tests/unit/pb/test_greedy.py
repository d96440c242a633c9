"""Greedy counting funds the most-voted projects that still fit, ties by project id."""

from __future__ import annotations

from obcms_core.domain.pb.election import Ballot, Election, Project, VoteType
from obcms_core.domain.pb.greedy import greedy
from obcms_core.domain.pb.profile import Utility
from tests.unit.pb.helpers import approval


def test_a_project_that_no_longer_fits_is_skipped_and_a_cheaper_one_is_funded() -> None:
    election = approval(100, {"a": 60, "b": 50, "c": 40}, "a,b,c", "a,b", "a,b", "b")
    # votes: b 4, a 3, c 1 -> b (50), a does not fit (110), c fits (90)
    assert greedy(election) == ("b", "c")


def test_equal_votes_go_to_the_smaller_project_id_as_a_string() -> None:
    election = approval(10, {"9": 10, "10": 10}, "9,10")
    assert greedy(election) == ("10",)


def test_unsupported_projects_are_funded_last_when_money_is_left() -> None:
    election = approval(100, {"a": 30, "z": 20}, "a")
    assert greedy(election) == ("a", "z")


def test_cumulative_ballots_count_every_listed_project_once_by_default() -> None:
    projects = (Project("a", 50), Project("b", 50))
    ballots = (Ballot("1", ("a",), (5,)), Ballot("2", ("b",), (1,)), Ballot("3", ("b",), (1,)))
    election = Election(50, VoteType.CUMULATIVE, projects, ballots)
    assert greedy(election) == ("b",)  # two supporters beat one
    assert greedy(election, Utility.COST_POINTS) == ("a",)  # five points beat two


def test_voter_weights_count_like_several_identical_ballots() -> None:
    projects = (Project("a", 10), Project("b", 10))
    ballots = (Ballot("1", ("a",), weight=3), Ballot("2", ("b",)), Ballot("3", ("b",)))
    assert greedy(Election(10, VoteType.APPROVAL, projects, ballots)) == ("a",)
