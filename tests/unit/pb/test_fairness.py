"""Fairness measures of a result: reach, average satisfaction, Gini, shares by group."""

from __future__ import annotations

import numpy as np
import pytest

from obcms_core.domain.pb.election import Ballot, Election, Project, VoteType
from obcms_core.domain.pb.fairness import fairness, funding_by_group, gini
from tests.unit.pb.helpers import approval


def test_reach_and_average_satisfaction_are_computed_per_voter() -> None:
    election = approval(100, {"a": 60, "b": 40, "c": 30}, "a", "a,b", "c", "")
    report = fairness(election, ["a", "b"])
    assert report.voters == 4
    assert report.share_with_a_funded_project == pytest.approx(0.5)
    assert report.average_satisfaction == pytest.approx((60 + 100 + 0 + 0) / 4)
    assert report.average_satisfaction_share == pytest.approx(0.4)


def test_gini_is_zero_for_equal_satisfaction_and_high_when_one_voter_gets_everything() -> None:
    assert gini(np.array([5.0, 5.0, 5.0])) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 12.0])) == pytest.approx(0.75)
    # weights count like repeated voters
    assert gini(np.array([0.0, 12.0]), np.array([3.0, 1.0])) == pytest.approx(0.75)


def test_satisfaction_gini_of_a_result_reads_the_ballots() -> None:
    election = approval(100, {"a": 50}, "a", "", "", "")
    assert fairness(election, ["a"]).satisfaction_gini == pytest.approx(0.75)


def test_funding_shares_by_group_compare_with_voter_or_population_shares() -> None:
    projects = (Project("park", 90), Project("road", 30))
    ballots = (
        Ballot("1", ("park",), fields=(("district", "north"),)),
        Ballot("2", ("park", "road"), fields=(("district", "north"),)),
        Ballot("3", ("road",), fields=(("district", "south"),)),
        Ballot("4", (), fields=(("district", "south"),)),
    )
    election = Election(120, VoteType.APPROVAL, projects, ballots)
    rows = {r.group: r for r in funding_by_group(election, ["park", "road"], _district)}
    # park 90 split between voters 1 and 2, road 30 split between voters 2 and 3
    assert rows["north"].funding == pytest.approx(45 + 45 + 15)
    assert rows["south"].funding == pytest.approx(15)
    assert rows["north"].voter_share == pytest.approx(0.5)
    assert rows["north"].funding_share == pytest.approx(105 / 120)
    assert rows["south"].ratio == pytest.approx((15 / 120) / 0.5)
    census = {"north": 0.25, "south": 0.75}
    rows = {r.group: r for r in funding_by_group(election, ["park", "road"], _district, census)}
    assert rows["south"].population_share == 0.75
    assert rows["south"].ratio == pytest.approx((15 / 120) / 0.75)


def _district(ballot: Ballot) -> str | None:
    return ballot.field("district")
