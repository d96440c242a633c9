"""What a voter sees of their own voting: the current ballot, its history, the cycles voted in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PBBallot, PBBallotMark, PBBallotSubmission, PBCycle, PBProject
from obcms_core.domain.clock import as_utc
from obcms_core.services.pb.common import cycle_row


@dataclass(frozen=True)
class StoredBallot:
    """A voter's current ballot in one cycle."""

    cycle_id: int
    projects: tuple[str, ...]  # project codes in ballot order
    points: tuple[int, ...] | None
    comment: str | None
    stakeholder_type: str | None
    submissions: int
    first_submitted_at: datetime
    submitted_at: datetime


@dataclass(frozen=True)
class BallotSnapshot:
    """One submission as the voter made it."""

    number: int  # 1 = first ballot
    submitted_at: datetime
    projects: tuple[str, ...]
    points: tuple[int, ...] | None
    comment: str | None
    stakeholder_type: str | None


@dataclass(frozen=True)
class VotedCycle:
    """A cycle the voter has a ballot in."""

    cycle_id: int
    name: str
    fiscal_year: int
    submitted_at: datetime
    submissions: int


def my_ballot(uow: UnitOfWork, cycle_id: int, voter_key: str) -> StoredBallot | None:
    """The voter's current ballot in the cycle, or None when they have not voted (NotFound for
    a cycle that does not exist)."""
    ballot = uow.session.scalar(
        select(PBBallot).where(PBBallot.cycle_id == cycle_id, PBBallot.voter_key == voter_key)
    )
    if ballot is None:
        cycle_row(uow.session, cycle_id)
        return None
    marks = uow.session.execute(
        select(PBProject.code, PBBallotMark.points)
        .join(PBProject, PBBallotMark.project_id == PBProject.id)
        .where(PBBallotMark.ballot_id == ballot.id)
        .order_by(PBBallotMark.position)
    ).all()
    points = tuple(int(p) for _, p in marks if p is not None)
    return StoredBallot(
        cycle_id=cycle_id,
        projects=tuple(code for code, _ in marks),
        points=points if points and len(points) == len(marks) else None,
        comment=ballot.comment,
        stakeholder_type=ballot.stakeholder_type,
        submissions=ballot.submissions,
        first_submitted_at=as_utc(ballot.first_submitted_at),
        submitted_at=as_utc(ballot.submitted_at),
    )


def ballot_history(uow: UnitOfWork, cycle_id: int, voter_key: str) -> list[BallotSnapshot]:
    """Every ballot the voter submitted in the cycle, oldest first (NotFound for a cycle that
    does not exist)."""
    rows = uow.session.execute(
        select(PBBallotSubmission.submitted_at, PBBallotSubmission.snapshot)
        .where(PBBallotSubmission.cycle_id == cycle_id, PBBallotSubmission.voter_key == voter_key)
        .order_by(PBBallotSubmission.id)
    ).all()
    if not rows:
        cycle_row(uow.session, cycle_id)
    return [
        BallotSnapshot(
            number=i,
            submitted_at=as_utc(at),
            projects=tuple(snap.get("projects") or ()),
            points=tuple(snap["points"]) if snap.get("points") else None,
            comment=snap.get("comment"),
            stakeholder_type=snap.get("stakeholder_type"),
        )
        for i, (at, snap) in enumerate(rows, start=1)
    ]


def voted_cycles(uow: UnitOfWork, voter_key: str) -> list[VotedCycle]:
    """The cycles the voter has a ballot in, latest vote first."""
    rows = uow.session.execute(
        select(PBCycle.id, PBCycle.name, PBCycle.fiscal_year, PBBallot.submitted_at,
               PBBallot.submissions)
        .join(PBBallot, PBBallot.cycle_id == PBCycle.id)
        .where(PBBallot.voter_key == voter_key)
        .order_by(PBBallot.submitted_at.desc(), PBCycle.id.desc())
    ).all()
    return [VotedCycle(i, n, fy, as_utc(at), s) for i, n, fy, at, s in rows]
