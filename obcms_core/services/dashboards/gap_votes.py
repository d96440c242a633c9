"""Community votes in the gap analysis: what participatory budgeting says people want most.

A **vote** for a need is a ballot that chose a project made from that need, in a
participatory-budgeting cycle of the fiscal year looked at (of any year when none is chosen)
whose voting has opened. A need offered in two such cycles adds up the votes of both. These are
the same votes `obcms_core.services.pb.priorities` counts; here they are narrowed by the
dashboard's place, sector and category filters, in SQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import ColumnElement, Subquery, func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    Community,
    Municipality,
    Need,
    PBBallot,
    PBBallotMark,
    PBCycle,
    PBProject,
)
from obcms_core.services.dashboards.filters import (
    DashboardFilters,
    need_conditions,
    with_need_places,
)

PRIORITY_COLUMNS = ["need_id", "title", "community", "municipality", "votes"]


def _utc(moment: datetime | None) -> datetime:
    """`moment` (default: now) with a time zone; naive times are UTC, as the PB tables keep them."""
    moment = moment or datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _counted_cycles(fiscal_year: int | None, now: datetime | None) -> list[ColumnElement[bool]]:
    """The cycles whose votes count: of the fiscal year (any when None), voting opened."""
    conditions = [PBCycle.opens_at <= _utc(now)]
    if fiscal_year is not None:
        conditions.append(PBCycle.fiscal_year == fiscal_year)
    return conditions


def need_votes(fiscal_year: int | None, now: datetime | None = None) -> Subquery:
    """(need_id, votes) of every need on a counted cycle's ballot; 0 votes when nobody chose it.

    Needs on no counted ballot have no row, so an outer join leaves their votes empty.
    """
    return (
        select(PBProject.need_id.label("need_id"),
               func.count(PBBallotMark.ballot_id).label("votes"))
        .join(PBCycle, PBProject.cycle_id == PBCycle.id)
        .outerjoin(PBBallotMark, PBBallotMark.project_id == PBProject.id)
        .where(PBProject.need_id.is_not(None), *_counted_cycles(fiscal_year, now))
        .group_by(PBProject.need_id)
        .subquery("need_votes")
    )


def place_and_category(filters: DashboardFilters) -> DashboardFilters:
    """The filters that apply to votes: place, sector and category (not urgency, status, score).

    Urgency, status and priority score are the office's triage of a need; what communities
    voted for stands whatever the office thinks of it, so those filters are left out.
    """
    return replace(filters, urgency=None, status=None, min_priority=None)


def ballots_cast(uow: UnitOfWork, fiscal_year: int | None, *, now: datetime | None = None
                 ) -> int:
    """How many ballots the counted cycles of the fiscal year (of every year when None) hold."""
    return int(uow.session.scalar(
        select(func.count(PBBallot.id))
        .join(PBCycle, PBBallot.cycle_id == PBCycle.id)
        .where(*_counted_cycles(fiscal_year, now))
    ) or 0)


def top_community_priorities(
    uow: UnitOfWork, filters: DashboardFilters, limit: int = 10, *, now: datetime | None = None
) -> pd.DataFrame:
    """The needs community members voted for most, in the places and categories the filters select.

    One row per need that got at least one vote (need_id, title, community, municipality, votes),
    most votes first (ties: the older need first), at most `limit` rows. Votes come from the
    cycles of the filters' fiscal year (every year when none); the urgency, status and minimum
    priority filters do not apply (see `place_and_category`). Without votes the table has these
    columns and no rows.
    """
    votes = func.count(PBBallotMark.ballot_id)
    q = (
        with_need_places(
            select(Need.id, Need.title, Community.name, Municipality.name, votes).select_from(Need)
        )
        .join(PBProject, PBProject.need_id == Need.id)
        .join(PBCycle, PBProject.cycle_id == PBCycle.id)
        .join(PBBallotMark, PBBallotMark.project_id == PBProject.id)
        .where(*_counted_cycles(filters.fiscal_year, now),
               *need_conditions(place_and_category(filters)))
        .group_by(Need.id, Need.title, Community.name, Municipality.name)
        .order_by(votes.desc(), Need.id)
        .limit(limit)
    )
    rows = [(int(i), t, c, m, int(v)) for i, t, c, m, v in uow.session.execute(q).all()]
    frame = pd.DataFrame(rows, columns=PRIORITY_COLUMNS)
    return frame.astype({"need_id": "int64", "votes": "int64"})
