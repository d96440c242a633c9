"""The executive overview: a fiscal year's budget and its execution, unfunded needs, policies.

Definitions (docs/dashboards.md says the same in words):

* **Budget** (allocation): the budget allocations of the fiscal year's PPAs, leaving out
  rejected PPAs (a rejected PPA gets no budget).
* **Allotments**, **obligations**, **disbursements**: the funding flows of those PPAs, by type.
  Adjustments (such as the reversion of an unobligated allotment, a negative amount) are added to
  the allotments. A flow counts in the fiscal year of its PPA, whatever its date.
* **Unfunded needs** and their cost: as the gap analysis counts them for that fiscal year
  (`obcms_core.services.dashboards.gaps`).
* **Policies off track**: policy recommendations, other than rejected or withdrawn ones, with at
  least one overdue milestone on the year's reference date — 31 December of the fiscal year, or
  today when that comes first. A milestone is overdue when its target date has passed and it was
  not completed by then (`obcms_core.domain.rules.milestone_is_overdue`); a cancelled milestone
  never is.
* **Changes** compare with the previous fiscal year, when that year has PPAs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Subquery, and_, case, distinct, func, or_, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    FundingFlow,
    Organization,
    PolicyMilestone,
    PolicyRecommendation,
)
from obcms_core.domain.enums import (
    ApprovalStatus,
    FlowType,
    MilestoneStatus,
    PolicyStatus,
    Priority,
)
from obcms_core.domain.money import format_php, safe_rate, to_money
from obcms_core.services.dashboards.filters import DashboardFilters
from obcms_core.services.dashboards.gaps import gap_summary
from obcms_core.services.figures import latest_fiscal_year

CLOSED_POLICIES = (PolicyStatus.REJECTED, PolicyStatus.WITHDRAWN)
AMOUNTS = ("allocation", "allotment", "obligation", "disbursement")
OFF_TRACK_COLUMNS = [
    "reference_number", "title", "status", "priority", "overdue_milestones", "oldest_target",
]


@dataclass(frozen=True)
class YearFigures:
    """One fiscal year's headline figures."""

    fiscal_year: int
    ppas: int
    allocation: Decimal
    allotment: Decimal
    obligation: Decimal
    disbursement: Decimal
    unfunded_needs: int
    unfunded_cost: Decimal
    policies_off_track: int

    @property
    def obligation_rate(self) -> Decimal | None:
        """Obligations ÷ allotments."""
        return safe_rate(self.obligation, self.allotment)

    @property
    def disbursement_rate(self) -> Decimal | None:
        """Disbursements ÷ obligations."""
        return safe_rate(self.disbursement, self.obligation)


@dataclass(frozen=True)
class ExecutiveOverview:
    """The chosen fiscal year and, when it has PPAs, the year before it."""

    current: YearFigures
    previous: YearFigures | None

    def change(self, figure: str) -> Any:
        """The figure this year minus the previous year's (None without a previous year)."""
        if figure not in {f.name for f in fields(YearFigures)}:
            raise KeyError(figure)
        if self.previous is None:
            return None
        return getattr(self.current, figure) - getattr(self.previous, figure)


def reference_date(fiscal_year: int, today: date) -> date:
    """The day a fiscal year is judged on: its last day, or today while it is not over."""
    return min(today, date(fiscal_year, 12, 31))


def _flows_per_ppa() -> Subquery:
    """Each PPA's allotments (with adjustments), obligations and disbursements."""

    def total(*kinds: FlowType) -> ColumnElement[Any]:
        amount = case((FundingFlow.flow_type.in_(kinds), FundingFlow.amount), else_=0)
        return func.coalesce(func.sum(amount), 0)

    return (
        select(
            FundingFlow.ppa_id.label("ppa_id"),
            total(FlowType.ALLOTMENT, FlowType.ADJUSTMENT).label("allotment"),
            total(FlowType.OBLIGATION).label("obligation"),
            total(FlowType.DISBURSEMENT).label("disbursement"),
        )
        .group_by(FundingFlow.ppa_id)
        .subquery()
    )


def _execution(*groups: Any) -> Any:
    """PPAs, allocation and flows of non-rejected PPAs, grouped by `groups`."""
    flows = _flows_per_ppa()

    def total(column: Any) -> ColumnElement[Any]:
        return func.coalesce(func.sum(func.coalesce(column, 0)), 0)

    return (
        select(
            *groups,
            func.count(PPA.id).label("ppas"),
            total(PPA.budget_allocation).label("allocation"),
            total(flows.c.allotment).label("allotment"),
            total(flows.c.obligation).label("obligation"),
            total(flows.c.disbursement).label("disbursement"),
        )
        .select_from(PPA)
        .outerjoin(flows, flows.c.ppa_id == PPA.id)
        .where(PPA.approval_status != ApprovalStatus.REJECTED)
    )


def _overdue_on(day: date) -> ColumnElement[bool]:
    """A milestone overdue on `day`: target passed, not completed by then, not cancelled."""
    return and_(
        PolicyMilestone.target_date < day,
        or_(PolicyMilestone.completed_on.is_(None), PolicyMilestone.completed_on > day),
        PolicyMilestone.status != MilestoneStatus.CANCELLED,
        PolicyRecommendation.status.not_in(CLOSED_POLICIES),
    )


def policies_off_track(uow: UnitOfWork, fiscal_year: int, today: date) -> int:
    """How many open policy recommendations had a milestone overdue on the year's reference day."""
    day = reference_date(fiscal_year, today)
    return int(
        uow.session.scalar(
            select(func.count(distinct(PolicyMilestone.policy_id)))
            .join(PolicyRecommendation, PolicyRecommendation.id == PolicyMilestone.policy_id)
            .where(_overdue_on(day))
        )
        or 0
    )


def off_track_policies(uow: UnitOfWork, fiscal_year: int, today: date) -> pd.DataFrame:
    """The policies off track on the year's reference date, oldest overdue milestone first."""
    day = reference_date(fiscal_year, today)
    oldest = func.min(PolicyMilestone.target_date)
    rows = uow.session.execute(
        select(
            PolicyRecommendation.reference_number, PolicyRecommendation.title,
            PolicyRecommendation.status, PolicyRecommendation.priority,
            func.count(PolicyMilestone.id), oldest,
        )
        .join(PolicyMilestone, PolicyMilestone.policy_id == PolicyRecommendation.id)
        .where(_overdue_on(day))
        .group_by(PolicyRecommendation.id, PolicyRecommendation.reference_number,
                  PolicyRecommendation.title, PolicyRecommendation.status,
                  PolicyRecommendation.priority)
        .order_by(oldest, PolicyRecommendation.reference_number)
    ).all()
    return pd.DataFrame(
        [(ref, title, PolicyStatus(st).label, Priority(pr).label, int(n), target)
         for ref, title, st, pr, n, target in rows],
        columns=OFF_TRACK_COLUMNS,
    )


def _amounts(row: Any) -> dict[str, Decimal]:
    return {name: to_money(getattr(row, name)) for name in AMOUNTS}


def year_figures(uow: UnitOfWork, fiscal_year: int, today: date) -> YearFigures:
    """The budget, its execution, unfunded needs and policies off track of one fiscal year."""
    budget = uow.session.execute(_execution().where(PPA.fiscal_year == fiscal_year)).one()
    gaps = gap_summary(uow, DashboardFilters(fiscal_year=fiscal_year))
    return YearFigures(
        fiscal_year=fiscal_year,
        ppas=int(budget.ppas),
        **_amounts(budget),
        unfunded_needs=gaps.unfunded_needs,
        unfunded_cost=gaps.unfunded_cost,
        policies_off_track=policies_off_track(uow, fiscal_year, today),
    )


def executive_overview(uow: UnitOfWork, fiscal_year: int, today: date) -> ExecutiveOverview:
    """The fiscal year's figures beside the previous year's (when that year has PPAs)."""
    before = fiscal_year - 1
    has_previous = uow.session.scalar(
        select(func.count()).select_from(PPA).where(PPA.fiscal_year == before)
    )
    return ExecutiveOverview(
        current=year_figures(uow, fiscal_year, today),
        previous=year_figures(uow, before, today) if has_previous else None,
    )


def execution_by_moa(uow: UnitOfWork, fiscal_year: int) -> pd.DataFrame:
    """Per implementing MOA: PPAs, allocation, allotments, obligations, disbursements and the
    obligation (÷ allotments) and disbursement (÷ obligations) rates; largest allocation first."""
    moa = func.coalesce(Organization.acronym, Organization.name, "No MOA").label("moa")
    q = (
        _execution(moa)
        .outerjoin(Organization, PPA.implementing_org_id == Organization.id)
        .where(PPA.fiscal_year == fiscal_year)
        .group_by(moa)
        .order_by(func.sum(func.coalesce(PPA.budget_allocation, 0)).desc(), moa)
    )
    rows = uow.session.execute(q).all()
    frame = pd.DataFrame(
        [{"moa": r.moa, "ppas": int(r.ppas), **_amounts(r)} for r in rows],
        columns=["moa", "ppas", *AMOUNTS],
    )
    frame["obligation_rate"] = [
        safe_rate(o, a) for o, a in zip(frame["obligation"], frame["allotment"], strict=True)]
    frame["disbursement_rate"] = [
        safe_rate(d, o) for d, o in zip(frame["disbursement"], frame["obligation"], strict=True)]
    return frame


def execution_by_year(uow: UnitOfWork) -> pd.DataFrame:
    """Per fiscal year: allocation, allotments, obligations and disbursements, oldest first."""
    q = _execution(PPA.fiscal_year).group_by(PPA.fiscal_year).order_by(PPA.fiscal_year)
    rows = uow.session.execute(q).all()
    return pd.DataFrame(
        [{"fiscal_year": int(r.fiscal_year), **_amounts(r)} for r in rows],
        columns=["fiscal_year", *AMOUNTS],
    )


def default_fiscal_year(uow: UnitOfWork) -> int | None:
    """The year the overview opens on: the newest with an enacted budget, else with allocations."""
    return latest_fiscal_year(uow)


def signed_php(amount: Decimal) -> str:
    """A change in pesos with its sign first: +₱1,000.00, -₱250.00 (an arrow follows the sign)."""
    value = to_money(amount)
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return sign + format_php(abs(value))
