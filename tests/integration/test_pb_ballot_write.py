"""What a submission writes, row by row, on each backend (PostgreSQL takes two statements,
SQLite one per table): the ballot, its marks, the history, the audit entry and the counter."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from obcms_core.adapters.orm import (
    AuditLog,
    PBBallot,
    PBBallotMark,
    PBBallotSubmission,
    PBCycle,
    PBProject,
)
from obcms_core.domain.clock import as_utc
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec
from obcms_core.services.pb.ballot_write import THE_REST
from obcms_core.services.pb.ballots import BallotChoice, submit_ballot
from tests.integration.pb_world import DURING, build_world, open_cycle


def _cast(db, cycle_id, voter, projects, points, minutes, source=ChangeSource.API):
    with db.uow() as uow:
        receipt = submit_ballot(
            uow, cycle_id, voter, BallotChoice(projects, points, f"note {minutes}", None),
            username=f"name-of-{voter}", now=DURING + timedelta(minutes=minutes), source=source,
        )
        uow.commit()
    return receipt


def _marks(db, cycle_id, voter):
    with db.uow() as uow:
        rows = uow.session.execute(
            select(PBBallotMark.position, PBBallotMark.project_id, PBBallotMark.points)
            .join(PBBallot, PBBallot.id == PBBallotMark.ballot_id)
            .where(PBBallot.cycle_id == cycle_id, PBBallot.voter_key == voter)
            .order_by(PBBallotMark.position)
        ).all()
    return [(pos, pid, pts) for pos, pid, pts in rows]


def test_replacements_that_grow_and_shrink_leave_exactly_the_last_ballots_rows(db):
    build_world(db)
    cycle_id = open_cycle(db, milestones=[2], ballot=BallotSpec(
        BallotFormat.CUMULATIVE, points=6, max_points_per_project=3))
    with db.uow() as uow:
        ids = dict(uow.session.execute(
            select(PBCycle.id, PBCycle.settings_version).where(PBCycle.id == cycle_id)).all())
        codes = dict(uow.session.execute(
            select(PBProject.code, PBProject.id).where(PBProject.cycle_id == cycle_id)).all())
    steps = [
        (["N1", "N2", "N3"], [1, 2, 3]),  # first ballot, three marks
        (["N4"], [3]),  # shrinks to one: positions 1 and 2 go
        (["N2", "N1"], [3, 3]),  # grows to two, position 0 changes project
        (["N3", "N4", "N1", "N2"], [1, 1, 1, 3]),  # grows to four
    ]
    receipts = [_cast(db, cycle_id, "v1", p, pts, m) for m, (p, pts) in enumerate(steps)]
    other = _cast(db, cycle_id, "v2", ["N2"], [2], 10, source=ChangeSource.UI)

    assert [(r.submission, r.ballot_number, r.milestone) for r in receipts] == [
        (1, 1, None), (2, None, None), (3, None, None), (4, None, None)]
    assert (other.submission, other.ballot_number, other.milestone) == (1, 2, 2)
    assert len({r.ballot_id for r in receipts}) == 1 and other.ballot_id != receipts[0].ballot_id
    assert _marks(db, cycle_id, "v1") == [
        (0, codes["N3"], Decimal(1)), (1, codes["N4"], Decimal(1)),
        (2, codes["N1"], Decimal(1)), (3, codes["N2"], Decimal(3))]
    assert _marks(db, cycle_id, "v2") == [(0, codes["N2"], Decimal(2))]
    with db.uow() as uow:
        s = uow.session
        ballot = s.scalar(select(PBBallot).where(PBBallot.voter_key == "v1"))
        assert (ballot.submissions, ballot.comment, ballot.weight) == (4, "note 3", Decimal(1))
        assert as_utc(ballot.first_submitted_at) == DURING  # SQLite gives naive UTC
        assert as_utc(ballot.submitted_at) == DURING + timedelta(minutes=3)
        cycle = s.get(PBCycle, cycle_id)
        # the counter moved twice, and counting did not change the cycle's settings version
        assert (cycle.ballot_count, cycle.settings_version) == (2, ids[cycle_id])
        history = s.execute(
            select(PBBallotSubmission.voter_key, PBBallotSubmission.source,
                   PBBallotSubmission.snapshot).order_by(PBBallotSubmission.id)).all()
        audit = s.execute(
            select(AuditLog.username, AuditLog.source, AuditLog.entity, AuditLog.entity_id,
                   AuditLog.before, AuditLog.after)
            .where(AuditLog.action == "pb_ballot_submitted").order_by(AuditLog.id)).all()
    assert [(v, src, snap["projects"], snap["points"], snap["comment"])
            for v, src, snap in history] == [
        ("v1", ChangeSource.API, p, pts, f"note {m}") for m, (p, pts) in enumerate(steps)
    ] + [("v2", ChangeSource.UI, ["N2"], [2], "note 10")]
    assert [tuple(row) for row in audit] == [
        ("name-of-v1", ChangeSource.API, "pb_cycle", str(cycle_id), None,
         {"voter": "v1", "submission": n}) for n in (1, 2, 3, 4)
    ] + [("name-of-v2", ChangeSource.UI, "pb_cycle", str(cycle_id), None,
          {"voter": "v2", "submission": 1})]


def test_the_one_statement_moves_only_the_counter_of_the_cycle():
    """An UPDATE in a CTE takes any execution parameter named like a column of its table as
    an extra SET; the statement's parameters are all named so that none is."""
    def set_columns(extra: list[str]) -> list[str]:
        keys = [*THE_REST.statement.compile().params, *extra]
        sql = str(THE_REST.statement.compile(dialect=postgresql.dialect(), column_keys=keys))
        sets = sql.split("UPDATE pb_cycle SET ")[1].split(" WHERE ")[0]
        return sorted(part.split("=")[0].strip() for part in sets.split(", "))

    assert set_columns([]) == ["ballot_count", "settings_version", "updated_at"]
    # the trap itself: a parameter named like a cycle column would be written to the cycle
    assert "points" in set_columns(["points"])
