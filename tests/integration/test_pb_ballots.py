"""Ballots: one per voter per cycle, replaceable while voting is open, history kept."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from obcms_core.adapters.orm import (
    NotificationOutbox,
    PBBallot,
    PBBallotMark,
    PBBallotSubmission,
    PBCycle,
)
from obcms_core.domain.errors import NotFound, ValidationFailed
from obcms_core.domain.pb.ballots import InvalidBallot
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec
from obcms_core.i18n import text
from obcms_core.services.pb.ballots import (
    BallotChoice,
    VotingClosed,
    submit_ballot,
    voter_key_for_user,
)
from obcms_core.services.pb.voters import ballot_history, my_ballot, voted_cycles
from tests.integration.pb_world import (
    AFTER,
    BEFORE,
    DURING,
    build_world,
    open_cycle,
    vote,
)


@pytest.fixture
def world(db):
    build_world(db)
    return db


def _submit(db, cycle_id, voter, choice, at=DURING, **kw):
    with db.uow() as uow:
        receipt = submit_ballot(uow, cycle_id, voter, choice, now=at, **kw)
        uow.commit()
    return receipt


def _count(db, model, *where):
    with db.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_voter_replaces_their_ballot_and_sees_every_version_in_their_history(world):
    cycle_id = open_cycle(world)
    key = voter_key_for_user(2)
    first = _submit(world, cycle_id, key, BallotChoice(["N1", "N3"], comment="Water first"),
                    user_id=2)
    second = _submit(world, cycle_id, key, BallotChoice(["N2"], stakeholder_type=" Youth "),
                     at=DURING + timedelta(hours=5), user_id=2)
    assert (first.submission, first.replaced, first.ballot_number) == (1, False, 1)
    assert (second.submission, second.replaced, second.ballot_number) == (2, True, None)
    assert second.ballot_id == first.ballot_id
    with world.uow() as uow:
        mine = my_ballot(uow, cycle_id, key)
        history = ballot_history(uow, cycle_id, key)
        cycles = voted_cycles(uow, key)
    assert (mine.projects, mine.stakeholder_type, mine.comment, mine.submissions) == (
        ("N2",), "youth", None, 2)
    assert mine.first_submitted_at == DURING
    assert [(h.number, h.projects, h.comment) for h in history] == [
        (1, ("N1", "N3"), "Water first"), (2, ("N2",), None)]
    assert [(c.cycle_id, c.submissions) for c in cycles] == [(cycle_id, 2)]
    assert _count(world, PBBallot) == 1 and _count(world, PBBallotMark) == 1
    with world.uow() as uow:
        assert uow.session.get(PBCycle, cycle_id).ballot_count == 1


def test_a_voter_with_no_ballot_has_no_history(world):
    cycle_id = open_cycle(world)
    with world.uow() as uow:
        assert my_ballot(uow, cycle_id, "nobody") is None
        assert ballot_history(uow, cycle_id, "nobody") == []


def test_asking_for_a_ballot_in_a_cycle_that_does_not_exist_is_not_found(world):
    with world.uow() as uow:
        with pytest.raises(NotFound, match="no participatory budgeting cycle with id 999"):
            my_ballot(uow, 999, "nobody")
        with pytest.raises(NotFound, match="id 999"):
            ballot_history(uow, 999, "nobody")


@pytest.mark.parametrize(
    ("moment", "message"),
    [(BEFORE, "opens on 01 Mar 2026, 08:00 UTC"), (AFTER, "closed on 31 Mar 2026, 17:00 UTC")],
)
def test_ballots_outside_the_voting_window_are_refused(world, moment, message):
    cycle_id = open_cycle(world)
    with pytest.raises(VotingClosed, match=message):
        _submit(world, cycle_id, "v1", BallotChoice(["N1"]), at=moment)
    assert _count(world, PBBallot) == 0


def test_a_ballot_that_breaks_the_rules_lists_every_problem(world):
    cycle_id = open_cycle(world, ballot=BallotSpec(min_choices=1, max_choices=2))
    with pytest.raises(InvalidBallot) as refused:
        _submit(world, cycle_id, "v1", BallotChoice(["N1", "N2", "N9"]))
    assert refused.value.problems == [
        "These projects are not in this cycle: N9.",
        "Choose at most 2 projects; you have chosen 3."]
    with pytest.raises(InvalidBallot, match="Choose at least 1 project"):
        _submit(world, cycle_id, "v1", BallotChoice([]))


def test_a_knapsack_ballot_must_fit_the_envelope_and_use_the_minimum_share(world):
    spec = BallotSpec(BallotFormat.KNAPSACK, min_envelope_share=Decimal("0.5"))
    cycle_id = open_cycle(world, envelope=600_000, ballot=spec)
    with pytest.raises(InvalidBallot, match=r"cost ₱700,000.00, ₱100,000.00 more than"):
        _submit(world, cycle_id, "v1", BallotChoice(["N1", "N2"]))
    with pytest.raises(InvalidBallot, match=r"at least ₱300,000.00 \(50% of the envelope\)"):
        _submit(world, cycle_id, "v1", BallotChoice(["N4"]))
    assert _submit(world, cycle_id, "v1", BallotChoice(["N1", "N3"])).submission == 1


def test_cumulative_and_scoring_ballots_carry_valid_points(world):
    cumulative = open_cycle(world, name="Points", ballot=BallotSpec(
        BallotFormat.CUMULATIVE, points=5, max_points_per_project=3))
    scoring = open_cycle(world, name="Scores", ballot=BallotSpec(BallotFormat.SCORING))
    with pytest.raises(InvalidBallot, match="5 points in all"):
        _submit(world, cumulative, "v1", BallotChoice(["N1", "N2"], [3, 3]))
    with pytest.raises(InvalidBallot, match="Give points to every project"):
        _submit(world, cumulative, "v1", BallotChoice(["N1"]))
    with pytest.raises(InvalidBallot, match="Give a score to every project"):
        _submit(world, scoring, "v1", BallotChoice(["N1"]))
    with pytest.raises(InvalidBallot, match="must be whole numbers") as info:
        _submit(world, scoring, "v1", BallotChoice(["N1"], [4.5]))  # a float, as JSON may bring
    assert [p.key for p in info.value.problems] == ["check.whole_numbers"]
    with pytest.raises(InvalidBallot) as info:
        _submit(world, cumulative, "v1", BallotChoice(["N1"], [1], comment="x" * 2001))
    (too_long,) = info.value.problems  # worded from the catalogue, so in Filipino too
    assert too_long == "A comment has at most 2,000 characters."
    assert text(too_long.key, "fil", **too_long.values) == (
        "Hanggang 2,000 na titik lamang ang isang komento."
    )
    with pytest.raises(InvalidBallot, match="whole numbers from 1 to 5"):
        _submit(world, scoring, "v1", BallotChoice(["N1"], [6]))
    _submit(world, cumulative, "v1", BallotChoice(["N1", "N2"], [3, 2]))
    _submit(world, scoring, "v1", BallotChoice(["N1", "N4"], [5, 1]))
    with world.uow() as uow:
        assert my_ballot(uow, cumulative, "v1").points == (3, 2)
        assert my_ballot(uow, scoring, "v1").points == (5, 1)


def test_with_stakeholder_weights_only_the_cycles_types_are_accepted(world):
    cycle_id = open_cycle(world, weights={"resident": 1, "youth": "1.5"})
    with pytest.raises(ValidationFailed, match="choose one of resident, youth"):
        _submit(world, cycle_id, "v1", BallotChoice(["N1"], stakeholder_type="tourist"))
    assert _submit(world, cycle_id, "v1", BallotChoice(["N1"])).submission == 1


def test_the_database_itself_refuses_a_second_ballot_for_the_same_voter(world):
    cycle_id = open_cycle(world)
    vote(world, cycle_id, "v1", ["N1"])
    with world.engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(insert(PBBallot).values(
            cycle_id=cycle_id, voter_key="v1", weight=1, submissions=1, pabulib_fields=[],
            first_submitted_at=DURING, submitted_at=DURING))


def test_a_milestone_is_queued_once_by_the_ballot_that_reaches_it(world):
    cycle_id = open_cycle(world, milestones=[2, 3], notify=["pb-team@example.org"])
    receipts = [_submit(world, cycle_id, v, BallotChoice(["N1"])) for v in ("a", "b", "b", "c")]
    assert [(r.ballot_number, r.milestone) for r in receipts] == [
        (1, None), (2, 2), (None, None), (3, 3)]
    with world.uow() as uow:
        rows = uow.session.execute(
            select(NotificationOutbox.milestone, NotificationOutbox.recipients,
                   NotificationOutbox.subject).order_by(NotificationOutbox.milestone)).all()
    assert [(m, r) for m, r, _ in rows] == [(2, ["pb-team@example.org"]),
                                            (3, ["pb-team@example.org"])]
    assert rows[0][2] == "Community priorities FY2026 (FY2026) has reached 2 ballots"


def test_a_milestone_mail_goes_to_the_cycle_creator_when_no_address_is_set(world):
    cycle_id = open_cycle(world, milestones=[1])
    _submit(world, cycle_id, "a", BallotChoice(["N1"]))
    with world.uow() as uow:
        assert uow.session.scalar(select(NotificationOutbox.recipients)) == [
            "planner@example.org"]


def test_a_rolled_back_ballot_leaves_no_ballot_history_counter_or_notification(world):
    cycle_id = open_cycle(world, milestones=[1])
    with world.uow() as uow:
        submit_ballot(uow, cycle_id, "a", BallotChoice(["N1"]), now=DURING)
    for model in (PBBallot, PBBallotSubmission, NotificationOutbox):
        assert _count(world, model) == 0
    with world.uow() as uow:
        assert uow.session.get(PBCycle, cycle_id).ballot_count == 0


def test_fifty_simultaneous_submissions_by_one_voter_leave_exactly_one_ballot(world):
    cycle_id = open_cycle(world, milestones=[1])
    start = threading.Barrier(50)
    errors: list[BaseException] = []
    choices = [["N1"], ["N2"], ["N1", "N3"], ["N4"], ["N2", "N4"]]

    def cast(i: int) -> None:
        try:
            start.wait(timeout=30)
            _submit(world, cycle_id, "same-voter", BallotChoice(choices[i % 5]))
        except BaseException as exc:  # every error counts as one the voter would see
            errors.append(exc)

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert _count(world, PBBallot) == 1
    assert _count(world, PBBallotSubmission) == 50
    assert _count(world, NotificationOutbox) == 1
    with world.uow() as uow:
        ballot = uow.session.scalar(select(PBBallot))
        assert ballot.submissions == 50
        assert uow.session.get(PBCycle, cycle_id).ballot_count == 1
        # the stored marks are exactly one of the submitted ballots, not a mixture
        stored = list(my_ballot(uow, cycle_id, "same-voter").projects)
    assert stored in choices
    assert _count(world, PBBallotMark) == len(stored)
