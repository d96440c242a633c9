"""Casting a ballot: one per voter per cycle, replaceable until voting closes, history kept.

The database holds one ballot per (cycle, voter). A submission is a single INSERT ... ON
CONFLICT DO UPDATE, so two submissions of the same voter at the same moment both succeed and
leave one ballot (the later one); on PostgreSQL the second waits for the first's row lock. A
voter's first ballot also moves the cycle's ballot counter under its row lock, which gives
every new ballot an exact number: the ballot numbered like a milestone queues its e-mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.clock import as_utc, utcnow
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.ballots import InvalidBallot, Problem, check_ballot
from obcms_core.domain.pb.cycle import Phase
from obcms_core.domain.pb.election import Ballot, VoteType
from obcms_core.domain.pb.milestones import milestone_reached
from obcms_core.services.pb.ballot_rows import (
    CycleFacts,
    FrozenBallotForm,
    ballot_form,
    cycle_facts,
)
from obcms_core.services.pb.ballot_write import BallotWrite, write_ballot
from obcms_core.services.pb.common import clean_type, cycle_row, phase_of
from obcms_core.services.pb.outbox import queue_milestone

MAX_COMMENT = 2000  # characters of a ballot comment
MAX_STAKEHOLDER_TYPE = 60  # characters of a stakeholder type


class VotingClosed(ValidationFailed):
    """A ballot outside the voting window."""


@dataclass(frozen=True)
class BallotChoice:
    """What a voter marks: project codes (best first for ranked ballots), points or scores."""

    projects: Sequence[str]
    points: Sequence[int] | None = None  # cumulative points or scores, one per project
    comment: str | None = None
    stakeholder_type: str | None = None


@dataclass(frozen=True)
class BallotReceipt:
    """The stored ballot after a submission."""

    ballot_id: int
    submission: int  # 1 for a first ballot, 2 after the first replacement, ...
    ballot_number: int | None  # the cycle's running count when this was a first ballot
    milestone: int | None  # the milestone this ballot reached (its e-mail is queued)

    @property
    def replaced(self) -> bool:
        """Whether this submission replaced an earlier ballot."""
        return self.submission > 1


def voter_key_for_user(user_id: int) -> str:
    """The voter key of a signed-in user (the same in every cycle)."""
    return f"user:{user_id}"


def _validated(
    form: FrozenBallotForm, voter_key: str, choice: BallotChoice
) -> tuple[list[tuple[int, Decimal | None]], str | None, str | None]:
    """(project id, points) per mark, the stakeholder type and the comment, once checked."""
    has_points = form.election.vote_type.has_points
    codes = tuple(str(c).strip() for c in choice.projects)
    points = tuple(choice.points) if has_points and choice.points is not None else None
    if has_points and points is None:
        scored = form.election.vote_type is VoteType.SCORING
        raise InvalidBallot([Problem("check.score_each" if scored else "check.points_each")])
    if points is not None and any(not isinstance(p, int | Decimal) for p in points):
        raise InvalidBallot([Problem("check.whole_numbers")])
    check_ballot(form.rules, form.election, Ballot(voter_key, codes, points))
    kind = clean_type(choice.stakeholder_type)
    allowed = form.stakeholder_types
    if kind is not None and allowed and kind not in allowed:
        raise ValidationFailed(
            f"'{choice.stakeholder_type}' is not a stakeholder type of this cycle; choose one of"
            f" {', '.join(sorted(allowed))}."
        )
    if kind is not None and len(kind) > MAX_STAKEHOLDER_TYPE:
        raise ValidationFailed(
            f"A stakeholder type has at most {MAX_STAKEHOLDER_TYPE} characters."
        )
    comment = (choice.comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidBallot([Problem("check.comment_length", limit=f"{MAX_COMMENT:,}")])
    ids = form.project_ids
    marks = [
        (ids[code], Decimal(points[i]) if points is not None else None)
        for i, code in enumerate(codes)
    ]
    return marks, kind, comment


def _check_open(cycle: CycleFacts, now: datetime) -> None:
    phase = phase_of(cycle, now)
    if phase is Phase.UPCOMING:
        raise VotingClosed(
            f"Voting in '{cycle.name}' opens on {as_utc(cycle.opens_at):%d %b %Y, %H:%M} UTC."
        )
    if phase is Phase.CLOSED:
        raise VotingClosed(
            f"Voting in '{cycle.name}' closed on {as_utc(cycle.closes_at):%d %b %Y, %H:%M} UTC;"
            " ballots can no longer be cast or changed."
        )


def submit_ballot(
    uow: UnitOfWork,
    cycle_id: int,
    voter_key: str,
    choice: BallotChoice,
    *,
    user_id: int | None = None,
    username: str | None = None,
    now: datetime | None = None,
    source: ChangeSource = ChangeSource.UI,
) -> BallotReceipt:
    """Store the voter's ballot, replacing their earlier one; the caller commits."""
    moment = as_utc(now or utcnow())
    voter_key = voter_key.strip()
    if not 0 < len(voter_key) <= 255:
        raise ValidationFailed("A ballot needs a voter.")
    session = uow.session
    conn = session.connection()
    facts = cycle_facts(conn, cycle_id)
    _check_open(facts, moment)
    marks, kind, comment = _validated(ballot_form(session, facts), voter_key, choice)
    written = write_ballot(conn, BallotWrite(
        cycle_id=cycle_id, voter_key=voter_key, user_id=user_id,
        username=username or voter_key, stakeholder_type=kind, comment=comment, marks=marks,
        snapshot={
            "projects": [str(c).strip() for c in choice.projects],
            "points": [int(p) for _, p in marks if p is not None] or None,
            "comment": comment,
            "stakeholder_type": kind,
        },
        at=moment, source=source,
    ))
    milestone = None
    if written.count is not None:
        milestone = milestone_reached(facts.milestones, written.count)
        if milestone is not None:
            queue_milestone(session, cycle_row(session, cycle_id), milestone, moment)
    return BallotReceipt(written.ballot_id, written.submission, written.count, milestone)
