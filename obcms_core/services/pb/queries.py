"""Reading cycles for pages and API routes: one cycle with its projects, or a list of cycles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    Community,
    Municipality,
    PBCycle,
    PBProject,
    Region,
)
from obcms_core.domain.clock import as_utc, utcnow
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule, Phase, TieBreak
from obcms_core.services.pb.common import ballot_spec, cycle_row, phase_of, stakeholder_weights


@dataclass(frozen=True)
class ProjectView:
    """A project on a cycle's ballot, with where it is (for lists and maps)."""

    id: int
    code: str
    title: str
    description: str
    category: str | None
    cost: Decimal
    need_id: int | None
    community_id: int | None
    community: str | None
    municipality_id: int | None
    municipality: str | None
    region_code: str | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class CycleView:
    """Everything about one cycle a page shows."""

    id: int
    name: str
    description: str
    fiscal_year: int
    envelope: Decimal
    opens_at: datetime
    closes_at: datetime
    phase: Phase
    ballot: BallotSpec
    counting_rule: CountingRule
    tie_break: TieBreak
    stakeholder_weights: dict[str, Decimal]
    milestones: list[int]
    notify_emails: list[str]
    ballots: int
    source: str
    is_demo: bool
    created_by: str
    projects: tuple[ProjectView, ...]

    @property
    def frozen(self) -> bool:
        """Voting has opened: the ballot, rule, envelope and projects no longer change."""
        return self.phase is not Phase.UPCOMING


@dataclass(frozen=True)
class CycleSummary:
    """One line of the cycle list."""

    id: int
    name: str
    fiscal_year: int
    envelope: Decimal
    opens_at: datetime
    closes_at: datetime
    phase: Phase
    ballot_format: BallotFormat
    counting_rule: CountingRule
    projects: int
    ballots: int
    is_demo: bool


def _projects_of(uow: UnitOfWork, cycle_ids: list[int]) -> dict[int, tuple[ProjectView, ...]]:
    """Each cycle's projects in ballot order, with community, town and region names (one query)."""
    rows = uow.session.execute(
        select(
            PBProject, Community.name, Community.latitude, Community.longitude,
            Municipality.name, Municipality.latitude, Municipality.longitude, Region.code,
        )
        .outerjoin(Community, PBProject.community_id == Community.id)
        .outerjoin(Municipality, PBProject.municipality_id == Municipality.id)
        .outerjoin(Region, PBProject.region_id == Region.id)
        .where(PBProject.cycle_id.in_(cycle_ids))
        .order_by(PBProject.cycle_id, PBProject.position, PBProject.id)
    ).all()
    found: dict[int, list[ProjectView]] = {cycle_id: [] for cycle_id in cycle_ids}
    for p, c_name, c_lat, c_lon, m_name, m_lat, m_lon, region in rows:
        found[p.cycle_id].append(ProjectView(
            id=p.id, code=p.code, title=p.title, description=p.description, category=p.category,
            cost=p.cost, need_id=p.need_id, community_id=p.community_id, community=c_name,
            municipality_id=p.municipality_id, municipality=m_name, region_code=region,
            latitude=c_lat if c_lat is not None else m_lat,
            longitude=c_lon if c_lon is not None else m_lon,
        ))
    return {cycle_id: tuple(views) for cycle_id, views in found.items()}


def cycle_projects(uow: UnitOfWork, cycle_id: int) -> tuple[ProjectView, ...]:
    """The cycle's projects in ballot order, with community, town and region names."""
    return _projects_of(uow, [cycle_id])[cycle_id]


def _view(c: PBCycle, projects: tuple[ProjectView, ...], now: datetime | None) -> CycleView:
    return CycleView(
        id=c.id, name=c.name, description=c.description, fiscal_year=c.fiscal_year,
        envelope=c.envelope, opens_at=as_utc(c.opens_at), closes_at=as_utc(c.closes_at),
        phase=phase_of(c, now), ballot=ballot_spec(c), counting_rule=c.counting_rule,
        tie_break=c.tie_break, stakeholder_weights=stakeholder_weights(c),
        milestones=list(c.milestones or []), notify_emails=list(c.notify_emails or []),
        ballots=c.ballot_count, source=c.source, is_demo=c.is_demo, created_by=c.created_by,
        projects=projects,
    )


def get_cycle(uow: UnitOfWork, cycle_id: int, *, now: datetime | None = None) -> CycleView:
    """One cycle with its settings, phase, ballot count and projects; NotFound when missing."""
    c = cycle_row(uow.session, cycle_id)
    return _view(c, cycle_projects(uow, c.id), now)


NEWEST_FIRST = (PBCycle.fiscal_year.desc(), PBCycle.opens_at.desc(), PBCycle.id.desc())


def get_cycles(
    uow: UnitOfWork,
    *,
    phase: Phase | None = None,
    fiscal_year: int | None = None,
    now: datetime | None = None,
) -> list[CycleView]:
    """Cycles in one phase (all when None) with their projects, newest first, in two queries."""
    query = select(PBCycle)
    if fiscal_year is not None:
        query = query.where(PBCycle.fiscal_year == fiscal_year)
    moment = as_utc(now or utcnow())  # one moment for the filter and the views
    cycles = [
        c for c in uow.session.scalars(query.order_by(*NEWEST_FIRST))
        if phase is None or phase_of(c, moment) is phase
    ]
    projects = _projects_of(uow, [c.id for c in cycles]) if cycles else {}
    return [_view(c, projects[c.id], moment) for c in cycles]


def list_cycles(
    uow: UnitOfWork, *, fiscal_year: int | None = None, now: datetime | None = None
) -> list[CycleSummary]:
    """Cycles, newest fiscal year and latest opening first, with project and ballot counts."""
    projects = (
        select(PBProject.cycle_id, func.count().label("n"))
        .group_by(PBProject.cycle_id)
        .subquery()
    )
    query = select(PBCycle, func.coalesce(projects.c.n, 0)).outerjoin(
        projects, projects.c.cycle_id == PBCycle.id
    )
    if fiscal_year is not None:
        query = query.where(PBCycle.fiscal_year == fiscal_year)
    rows = uow.session.execute(query.order_by(*NEWEST_FIRST)).all()
    return [
        CycleSummary(
            id=c.id, name=c.name, fiscal_year=c.fiscal_year, envelope=c.envelope,
            opens_at=as_utc(c.opens_at), closes_at=as_utc(c.closes_at), phase=phase_of(c, now),
            ballot_format=c.ballot_format, counting_rule=c.counting_rule, projects=int(n),
            ballots=c.ballot_count, is_demo=c.is_demo,
        )
        for c, n in rows
    ]
