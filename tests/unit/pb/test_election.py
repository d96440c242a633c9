"""The election model refuses inconsistent elections and answers simple questions exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.election import (
    Ballot,
    Election,
    ElectionError,
    Project,
    VoteType,
    parse_number,
)


def _election(*ballots: Ballot) -> Election:
    projects = (Project("a", 10), Project("b", Decimal("2.50"), (("category", "roads, water"),)))
    return Election(20, VoteType.APPROVAL, projects, ballots)


def test_a_ballot_naming_an_unknown_project_is_refused() -> None:
    with pytest.raises(ElectionError, match="unknown project 'c'"):
        _election(Ballot("v1", ("a", "c")))


def test_a_ballot_marking_a_project_twice_is_refused() -> None:
    # the counting rules count each mark as one supporter, so an election never holds such a ballot
    with pytest.raises(ElectionError, match="ballot v2: project 'a' is marked twice"):
        _election(Ballot("v1", ("a", "b")), Ballot("v2", ("b", "a", "a")))


def test_the_first_faulty_ballot_is_named_and_a_repeat_is_reported_before_an_unknown_id() -> None:
    with pytest.raises(ElectionError, match="ballot v2: project 'zz' is marked twice"):
        _election(Ballot("v1", ("a",)), Ballot("v2", ("zz", "zz")), Ballot("v3", ("q",)))
    with pytest.raises(ElectionError, match="ballot v1: unknown project 'q'"):
        _election(Ballot("v1", ("q",)), Ballot("v2", ("a", "a")))


def test_duplicate_project_ids_are_refused() -> None:
    with pytest.raises(ElectionError, match="appears twice"):
        Election(10, VoteType.APPROVAL, (Project("a", 1), Project("a", 2)), ())


def test_negative_costs_and_envelopes_are_refused() -> None:
    with pytest.raises(ElectionError, match="negative cost"):
        Election(10, VoteType.APPROVAL, (Project("a", -1),), ())
    with pytest.raises(ElectionError, match="envelope"):
        Election(-1, VoteType.APPROVAL, (), ())


def test_points_must_line_up_with_the_projects_marked() -> None:
    with pytest.raises(ElectionError, match="differ in length"):
        Ballot("v1", ("a", "b"), (1,))


def test_election_errors_are_validation_failures_a_page_can_show() -> None:
    assert issubclass(ElectionError, ValidationFailed)


def test_total_cost_is_exact_for_decimal_costs() -> None:
    election = _election(Ballot("v1", ("a",)))
    assert election.total_cost(["a", "b"]) == Fraction(25, 2)


def test_categories_come_from_the_published_category_column() -> None:
    election = _election()
    assert election.project("b").categories == ("roads", "water")
    assert election.project("a").categories == ()


def test_points_of_a_project_not_on_the_ballot_is_zero() -> None:
    ballot = Ballot("v1", ("a", "b"), (3, 2))
    assert (ballot.points_of("b"), ballot.points_of("z")) == (2, 0)
    assert Ballot("v2", ("a",)).points_of("a") == 1


def test_numbers_keep_their_written_form_and_accept_a_decimal_comma() -> None:
    assert parse_number("1000") == 1000
    assert str(parse_number("2917710.16")) == "2917710.16"
    assert parse_number("12,5") == Decimal("12.5")
    with pytest.raises(ElectionError, match="not a number"):
        parse_number("abc")
