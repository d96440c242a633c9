"""What the votes tell the rest of the workbench: the most voted needs of a fiscal year.

Only cycles whose voting has opened count (open and closed ones); a vote for a need is a ballot
that marked a project made from that need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import Community, Need, PBBallot, PBBallotMark, PBCycle, PBProject
from obcms_core.domain.clock import as_utc, utcnow


@dataclass(frozen=True)
class NeedVotes:
    """A need and the ballots that voted for it in the year's cycles."""

    need_id: int
    title: str
    community: str
    votes: int


def _opened(fiscal_year: int, now: datetime | None) -> list[ColumnElement[bool]]:
    return [PBCycle.fiscal_year == fiscal_year, PBCycle.opens_at <= as_utc(now or utcnow())]


def top_voted_needs(
    uow: UnitOfWork, fiscal_year: int, *, limit: int = 10, now: datetime | None = None
) -> list[NeedVotes]:
    """The needs with the most votes across the fiscal year's open and closed cycles."""
    votes = func.count(PBBallotMark.ballot_id)
    rows = uow.session.execute(
        select(Need.id, Need.title, Community.name, votes)
        .join(PBProject, PBProject.need_id == Need.id)
        .join(PBCycle, PBProject.cycle_id == PBCycle.id)
        .join(PBBallotMark, PBBallotMark.project_id == PBProject.id)
        .join(Community, Need.community_id == Community.id)
        .where(*_opened(fiscal_year, now))
        .group_by(Need.id, Need.title, Community.name)
        .order_by(votes.desc(), Need.id)
        .limit(limit)
    ).all()
    return [NeedVotes(i, t, c, int(v)) for i, t, c, v in rows]


def need_vote_scores(
    uow: UnitOfWork, fiscal_year: int, *, now: datetime | None = None
) -> dict[int, float]:
    """need id -> vote score 0..1 for the scenario builder.

    A need's support is its votes divided by the ballots cast in the cycles that offered it;
    scores divide each support by the highest, so the most supported need scores 1. Needs on
    a ballot that nobody chose score 0; needs on no ballot of the year are left out.
    """
    where = _opened(fiscal_year, now)
    votes: dict[int | None, int] = dict(
        uow.session.execute(
            select(PBProject.need_id, func.count(PBBallotMark.ballot_id))
            .join(PBCycle, PBProject.cycle_id == PBCycle.id)
            .outerjoin(PBBallotMark, PBBallotMark.project_id == PBProject.id)
            .where(PBProject.need_id.is_not(None), *where)
            .group_by(PBProject.need_id)
        ).all()
    )
    cast_per_cycle = (
        select(PBBallot.cycle_id, func.count().label("n"))
        .group_by(PBBallot.cycle_id)
        .subquery()
    )
    electorate: dict[int | None, int] = dict(
        uow.session.execute(
            select(PBProject.need_id, func.sum(func.coalesce(cast_per_cycle.c.n, 0)))
            .join(PBCycle, PBProject.cycle_id == PBCycle.id)
            .outerjoin(cast_per_cycle, cast_per_cycle.c.cycle_id == PBCycle.id)
            .where(PBProject.need_id.is_not(None), *where)
            .group_by(PBProject.need_id)
        ).all()
    )
    support = {
        int(need): (int(votes.get(need, 0)) / int(total) if total else 0.0)
        for need, total in electorate.items()
        if need is not None
    }
    best = max(support.values(), default=0.0)
    return {need: (s / best if best else 0.0) for need, s in support.items()}
