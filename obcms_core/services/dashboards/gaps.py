"""Gap analysis: validated or prioritized needs that no PPA funds yet, and what they would cost.

Definitions (docs/dashboards.md says the same in words):

* A need is **in scope** when its status is *validated* or *prioritized*: accepted, and waiting
  for money. Identified needs are not yet validated; planned, in-progress and completed needs
  are already in a budget; deferred and rejected needs are not waiting for one.
* An in-scope need is **funded** when at least one PPA is linked to it (the Need ↔ PPA link,
  whatever share of the need the link covers) and that PPA is not rejected — a rejected PPA gets
  no budget. Otherwise it is **unfunded**.
* With a **fiscal year** chosen, only PPAs of that year or an earlier one count as funding, and
  only needs recorded (submitted) on or before 31 December of that year are in scope. Statuses
  are today's. With no fiscal year, every PPA and every need counts.
* **Share funded** = funded ÷ in-scope needs. **Estimated cost** adds up the unfunded needs'
  estimated costs; a need without an estimate adds nothing and is counted apart.
* **Unfunded cost per OBC resident** of a city or municipality = its unfunded cost ÷ the estimated
  OBC population of all its communities (those with no needs too).
* **Votes** of a need: ballots that chose it in the fiscal year's participatory-budgeting cycles
  (gap_votes.py says which cycles count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import pandas as pd
from sqlalchemy import ColumnElement, Float, Select, and_, case, cast, func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    Organization,
    Province,
    Region,
)
from obcms_core.domain.enums import ApprovalStatus, NeedSector, NeedStatus, Urgency
from obcms_core.domain.money import safe_rate, to_money
from obcms_core.services.dashboards.filters import (
    DashboardFilters,
    filter_summary,
    need_conditions,
    with_need_places,
)
from obcms_core.services.dashboards.gap_votes import need_votes
from obcms_core.services.dashboards.gap_votes import (
    top_community_priorities as top_community_priorities,  # the page's list of voted needs
)
from obcms_core.services.dashboards.xlsx import Column, table_csv, table_workbook

IN_SCOPE = (NeedStatus.VALIDATED, NeedStatus.PRIORITIZED)
NEED_COLUMNS = [
    "need_id", "title", "community", "barangay", "municipality", "province", "region", "sector",
    "category", "urgency", "status", "affected_population", "estimated_cost", "priority_score",
    "votes", "forwarded_to", "forwarded_on",
]
EXPORT_COLUMNS = [
    Column("need_id", "Need ID", 9, "integer"),
    Column("title", "Need", 42),
    Column("community", "Community", 26),
    Column("barangay", "Barangay", 18),
    Column("municipality", "City / municipality", 20),
    Column("province", "Province", 18),
    Column("region", "Region", 8),
    Column("sector", "Sector", 18),
    Column("category", "Category", 22),
    Column("urgency", "Urgency", 12),
    Column("status", "Status", 12),
    Column("affected_population", "People affected", 11, "integer", total=True),
    Column("estimated_cost", "Estimated cost (₱)", 19, "peso", total=True),
    Column("priority_score", "Priority score", 10, "decimal"),
    Column("votes", "Votes", 8, "integer"),
    Column("forwarded_to", "Forwarded to", 13),
    Column("forwarded_on", "Forwarded on", 12, "date"),
]


@dataclass(frozen=True)
class GapSummary:
    """The headline figures of the gap analysis for one set of filters."""

    needs_in_scope: int
    funded_needs: int
    unfunded_needs: int
    affected_population: int  # people affected by the unfunded needs
    unfunded_cost: Decimal
    uncosted_needs: int  # unfunded needs without a cost estimate

    @property
    def funded_share(self) -> Decimal | None:
        """Funded ÷ in-scope needs (None when no need is in scope)."""
        return safe_rate(self.funded_needs, self.needs_in_scope)


def funded_condition(fiscal_year: int | None) -> ColumnElement[bool]:
    """A need has a funding PPA: a linked PPA that is not rejected, of the year or earlier."""
    funding = (
        select(NeedPPALink.need_id)
        .join(PPA, PPA.id == NeedPPALink.ppa_id)
        .where(NeedPPALink.need_id == Need.id, PPA.approval_status != ApprovalStatus.REJECTED)
    )
    if fiscal_year is not None:
        funding = funding.where(PPA.fiscal_year <= fiscal_year)
    return funding.exists()


def scope_conditions(filters: DashboardFilters) -> list[ColumnElement[bool]]:
    """Validated or prioritized needs that match the filters (recorded by the year's end)."""
    conditions = [Need.status.in_(IN_SCOPE), *need_conditions(filters)]
    if filters.fiscal_year is not None:
        conditions.append(Need.submitted_on <= date(filters.fiscal_year, 12, 31))
    return conditions


def _unfunded(*columns: Any, filters: DashboardFilters) -> Select:  # type: ignore[type-arg]
    """A query over the unfunded needs the filters select, joined to their places."""
    return with_need_places(select(*columns).select_from(Need)).where(
        *scope_conditions(filters), ~funded_condition(filters.fiscal_year)
    )


def gap_summary(uow: UnitOfWork, filters: DashboardFilters) -> GapSummary:
    """How many in-scope needs are unfunded, the people they affect, their cost, share funded."""
    flag = case((funded_condition(filters.fiscal_year), 1), else_=0).label("funded")
    needs = (
        with_need_places(
            select(Need.affected_population, Need.estimated_cost, flag).select_from(Need)
        )
        .where(*scope_conditions(filters))
        .subquery()
    )
    open_ = needs.c.funded == 0
    row = uow.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(needs.c.funded), 0),
            func.coalesce(func.sum(case((open_, needs.c.affected_population), else_=0)), 0),
            func.coalesce(func.sum(case((open_, needs.c.estimated_cost), else_=None)), 0),
            func.coalesce(
                func.sum(case((and_(open_, needs.c.estimated_cost.is_(None)), 1), else_=0)), 0
            ),
        ).select_from(needs)
    ).one()
    total, funded = int(row[0]), int(row[1])
    return GapSummary(
        needs_in_scope=total,
        funded_needs=funded,
        unfunded_needs=total - funded,
        affected_population=int(row[2]),
        unfunded_cost=to_money(row[3]),
        uncosted_needs=int(row[4]),
    )


def cost_by_region_sector(uow: UnitOfWork, filters: DashboardFilters) -> pd.DataFrame:
    """Unfunded needs and their cost per region and need sector (region, sector, needs, cost)."""
    q = _unfunded(
        Region.code, NeedCategory.sector, func.count(),
        func.coalesce(func.sum(Need.estimated_cost), 0), filters=filters,
    ).group_by(Region.id, Region.code, NeedCategory.sector).order_by(Region.id, NeedCategory.sector)
    rows = uow.session.execute(q).all()
    return pd.DataFrame(
        [(r, NeedSector(s).label, int(n), to_money(c)) for r, s, n, c in rows],
        columns=["region", "sector", "needs", "cost"],
    )


def urgency_mix(uow: UnitOfWork, filters: DashboardFilters) -> pd.DataFrame:
    """Unfunded needs and their cost per urgency, every urgency listed, most urgent first."""
    q = _unfunded(
        Need.urgency, func.count(), func.coalesce(func.sum(Need.estimated_cost), 0),
        filters=filters,
    ).group_by(Need.urgency)
    found = {Urgency(u): (int(n), to_money(c)) for u, n, c in uow.session.execute(q).all()}
    return pd.DataFrame(
        [(u.label, *found.get(u, (0, Decimal("0.00")))) for u in Urgency],
        columns=["urgency", "needs", "cost"],
    )


def top_municipalities_per_resident(
    uow: UnitOfWork, filters: DashboardFilters, limit: int = 10
) -> pd.DataFrame:
    """Cities/municipalities with the highest unfunded cost per OBC resident, highest first."""
    gaps = (
        _unfunded(
            Municipality.id.label("municipality_id"),
            func.count().label("needs"),
            func.coalesce(func.sum(Need.estimated_cost), 0).label("cost"),
            filters=filters,
        )
        .group_by(Municipality.id)
        .subquery()
    )
    people = (
        select(
            Barangay.municipality_id.label("municipality_id"),
            func.sum(Community.estimated_obc_population).label("obc_population"),
        )
        .join(Community, Community.barangay_id == Barangay.id)
        .group_by(Barangay.municipality_id)
        .subquery()
    )
    per_resident = cast(gaps.c.cost, Float) / people.c.obc_population
    q = (
        select(
            Municipality.name, Province.name, Region.code,
            gaps.c.needs, gaps.c.cost, people.c.obc_population,
        )
        .join(gaps, gaps.c.municipality_id == Municipality.id)
        .join(people, people.c.municipality_id == Municipality.id)
        .join(Province, Municipality.province_id == Province.id)
        .join(Region, Province.region_id == Region.id)
        .where(people.c.obc_population > 0, gaps.c.cost > 0)
        .order_by(per_resident.desc(), Municipality.name)
        .limit(limit)
    )
    frame = pd.DataFrame(
        [(m, p, r, int(n), to_money(c), int(pop)) for m, p, r, n, c, pop
         in uow.session.execute(q).all()],
        columns=["municipality", "province", "region", "needs", "cost", "obc_population"],
    )
    frame["cost_per_resident"] = [
        to_money(c / pop) for c, pop in zip(frame["cost"], frame["obc_population"], strict=True)
    ]
    return frame


def unfunded_needs(
    uow: UnitOfWork, filters: DashboardFilters, *, limit: int | None = None, offset: int = 0
) -> pd.DataFrame:
    """The unfunded needs, highest priority score first, with their place, cost and votes.

    `votes` counts the ballots that chose the need in the fiscal year's participatory-budgeting
    cycles (see gap_votes); it is empty for a need that was on no such ballot.
    """
    votes = need_votes(filters.fiscal_year)
    q = (
        _unfunded(
            Need.id.label("need_id"), Need.title, Community.name.label("community"),
            Barangay.name.label("barangay"), Municipality.name.label("municipality"),
            Province.name.label("province"), Region.code.label("region"), NeedCategory.sector,
            NeedCategory.name.label("category"), Need.urgency, Need.status,
            Need.affected_population, Need.estimated_cost, Need.priority_score, votes.c.votes,
            func.coalesce(Organization.acronym, Organization.name).label("forwarded_to"),
            Need.forwarded_on, filters=filters,
        )
        .outerjoin(Organization, Need.forwarded_to_id == Organization.id)
        .outerjoin(votes, votes.c.need_id == Need.id)
        .order_by(Need.priority_score.desc(), Need.id)
        .offset(offset)
    )
    if limit is not None:
        q = q.limit(limit)
    result = uow.session.execute(q)
    frame = pd.DataFrame(result.all(), columns=NEED_COLUMNS)
    for col, enum in (("sector", NeedSector), ("urgency", Urgency), ("status", NeedStatus)):
        frame[col] = frame[col].map(lambda v, e=enum: e(v).label)  # type: ignore[misc]
    frame["estimated_cost"] = frame["estimated_cost"].map(
        lambda v: None if v is None else to_money(v)
    )
    frame["votes"] = frame["votes"].astype("Int64")  # empty: on no ballot of the year
    return frame


def unfunded_export(
    uow: UnitOfWork, filters: DashboardFilters, fmt: Literal["xlsx", "csv"]
) -> bytes:
    """Every unfunded need the filters select, as a readable Excel sheet or as CSV."""
    rows = unfunded_needs(uow, filters)
    if fmt == "csv":
        return table_csv(rows, EXPORT_COLUMNS)
    year = f"FY {filters.fiscal_year}" if filters.fiscal_year else "all fiscal years"
    lines = [
        "Filters applied: " + filter_summary(uow, filters),
        "Unfunded: validated or prioritized needs that no PPA (other than a rejected one) of "
        + (f"FY {filters.fiscal_year} or earlier" if filters.fiscal_year else "any year")
        + " is linked to. Highest priority score first.",
        "Votes: ballots that chose the need in participatory budgeting ("
        + (f"FY {filters.fiscal_year} cycles" if filters.fiscal_year else "cycles of any year")
        + "); empty when the need was on no ballot.",
    ]
    return table_workbook(
        f"Unfunded community needs — {year}", lines, rows, EXPORT_COLUMNS,
        sheet="Unfunded needs", empty_note="No unfunded need matches these filters.",
    )
