"""The policy–budget matrix: every policy recommendation against the PPAs that fund it.

Definitions (the guide, docs/dashboards-evidence.md, says the same in words):

* **Implementing PPAs** are the PPAs linked to the policy, leaving out rejected PPAs (a
  rejected PPA gets no budget). Every fiscal year counts.
* **Allocation** is the sum of their budget allocations; **OBC share** the sum of the parts of
  those allocations set aside for OBCs (a PPA without an OBC share adds nothing to it).
* A recommendation is carried out for OBCs only by the OBC share, so its **funding status** is
  measured on the OBC share:
  - *Unfunded*: the OBC share is zero (no implementing PPA with an OBC share);
  - *Partly funded*: the policy has an estimated cost and the OBC share is below it;
  - *Funded*: the OBC share covers the estimated cost, or the policy has no estimated cost
    (none, or zero) and at least one implementing PPA has an OBC share.
* **Milestone progress** is completed milestones ÷ milestones, leaving out cancelled ones. A
  milestone is **overdue** when its target date has passed and it has no completion date
  (`obcms_core.domain.rules.milestone_is_overdue`); cancelled milestones are never overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, distinct, func, select, true

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    PolicyMilestone,
    PolicyPPALink,
    PolicyRecommendation,
    Region,
)
from obcms_core.domain.enums import (
    ApprovalStatus,
    MilestoneStatus,
    PolicyCategory,
    PolicyStatus,
    PPASector,
)
from obcms_core.domain.money import to_money
from obcms_core.services.dashboards.xlsx import Column, table_csv, table_workbook

FUNDED, PARTLY_FUNDED, UNFUNDED = "funded", "partly_funded", "unfunded"
FUNDING_LABELS = {FUNDED: "Funded", PARTLY_FUNDED: "Partly funded", UNFUNDED: "Unfunded"}
MONEY = ("estimated_cost", "allocation", "obc_share")
EXPORT_COLUMNS = [
    Column("reference_number", "Reference", 19),
    Column("title", "Policy recommendation", 50),
    Column("category", "Category", 22),
    Column("status", "Status", 17),
    Column("region", "Region", 8),
    Column("estimated_cost", "Estimated cost", 19, "peso", total=True),
    Column("ppas", "Implementing PPAs", 12, "integer", total=True),
    Column("funded_ppas", "PPAs with an OBC share", 12, "integer", total=True),
    Column("allocation", "Allocation", 20, "peso", total=True),
    Column("obc_share", "OBC share", 20, "peso", total=True),
    Column("funding", "Funding", 14),
    Column("milestones_done", "Milestones done", 11, "integer", total=True),
    Column("milestones_total", "Milestones", 11, "integer", total=True),
    Column("overdue", "Overdue milestones", 11, "integer", total=True),
]
DEFINITION = (
    "Funding is measured on the OBC share of the implementing PPAs (rejected PPAs left out): "
    "funded when it covers the estimated cost (or, without a cost, when any PPA has an OBC "
    "share), partly funded when below the cost, unfunded when zero."
)


@dataclass(frozen=True)
class PolicyFilters:
    """Which recommendations the matrix shows; None means every value."""

    category: str | None = None
    status: str | None = None
    region_code: str | None = None

    def lines(self) -> list[str]:
        """The filters in words, for the head of a download."""
        return [
            "Category: " + (PolicyCategory(self.category).label if self.category else "all"),
            "Status: " + (PolicyStatus(self.status).label if self.status else "all"),
            "Region: " + (self.region_code or "all (national policies included)"),
        ]


def _where(filters: PolicyFilters) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.category:
        conditions.append(PolicyRecommendation.category == PolicyCategory(filters.category))
    if filters.status:
        conditions.append(PolicyRecommendation.status == PolicyStatus(filters.status))
    if filters.region_code:
        conditions.append(Region.code == filters.region_code)
    return and_(*conditions)


def _counted_ppa() -> ColumnElement[bool]:
    return PPA.approval_status != ApprovalStatus.REJECTED


def _funding():  # type: ignore[no-untyped-def]
    """Per policy: implementing PPAs, those with an OBC share, allocation and OBC share."""
    return (
        select(
            PolicyPPALink.policy_id,
            func.count(PPA.id).label("ppas"),
            func.sum(case((PPA.obc_allocation > 0, 1), else_=0)).label("funded_ppas"),
            func.coalesce(func.sum(PPA.budget_allocation), 0).label("allocation"),
            func.coalesce(func.sum(PPA.obc_allocation), 0).label("obc_share"),
        )
        .join(PPA, PPA.id == PolicyPPALink.ppa_id)
        .where(_counted_ppa())
        .group_by(PolicyPPALink.policy_id)
        .subquery()
    )


def _overdue(today: date) -> ColumnElement[bool]:
    # The SQL form of domain.rules.milestone_is_overdue, cancelled milestones left out.
    return and_(
        PolicyMilestone.target_date.is_not(None),
        PolicyMilestone.target_date < today,
        PolicyMilestone.completed_on.is_(None),
        PolicyMilestone.status != MilestoneStatus.CANCELLED,
    )


def _milestones(today: date):  # type: ignore[no-untyped-def]
    live = PolicyMilestone.status != MilestoneStatus.CANCELLED
    done = and_(live, PolicyMilestone.completed_on.is_not(None))
    return (
        select(
            PolicyMilestone.policy_id,
            func.sum(case((live, 1), else_=0)).label("total"),
            func.sum(case((done, 1), else_=0)).label("done"),
            func.sum(case((_overdue(today), 1), else_=0)).label("overdue"),
        )
        .group_by(PolicyMilestone.policy_id)
        .subquery()
    )


def policy_matrix(uow: UnitOfWork, filters: PolicyFilters, today: date) -> pd.DataFrame:
    """Each matching recommendation with its PPAs, allocation, OBC share, funding and milestones."""
    money = _funding()
    steps = _milestones(today)
    p = PolicyRecommendation
    obc = func.coalesce(money.c.obc_share, 0)
    funding = case(
        (obc <= 0, UNFUNDED),
        (and_(p.estimated_cost > 0, obc < p.estimated_cost), PARTLY_FUNDED),
        else_=FUNDED,
    )
    q = (
        select(
            p.id, p.reference_number, p.title, p.category, p.status,
            Region.code.label("region"), p.estimated_cost,
            func.coalesce(money.c.ppas, 0).label("ppas"),
            func.coalesce(money.c.funded_ppas, 0).label("funded_ppas"),
            func.coalesce(money.c.allocation, 0).label("allocation"),
            obc.label("obc_share"),
            funding.label("funding"),
            func.coalesce(steps.c.done, 0).label("milestones_done"),
            func.coalesce(steps.c.total, 0).label("milestones_total"),
            func.coalesce(steps.c.overdue, 0).label("overdue"),
        )
        .outerjoin(Region, p.region_id == Region.id)
        .outerjoin(money, money.c.policy_id == p.id)
        .outerjoin(steps, steps.c.policy_id == p.id)
        .where(_where(filters))
        .order_by(p.reference_number)
    )
    rows = uow.session.execute(q).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=list(q.selected_columns.keys()))
    for col in MONEY:
        frame[col] = frame[col].map(lambda v: None if v is None else to_money(v))
    for col in ("ppas", "funded_ppas", "milestones_done", "milestones_total", "overdue"):
        frame[col] = frame[col].astype(int)
    frame["category"] = frame["category"].map(lambda v: PolicyCategory(v).label)
    frame["status"] = frame["status"].map(lambda v: PolicyStatus(v).label)
    frame["funding"] = frame["funding"].map(FUNDING_LABELS.__getitem__)
    frame["has_overdue"] = frame["overdue"] > 0
    return frame


@dataclass(frozen=True)
class MatrixSummary:
    """The figures above the matrix."""

    policies: int
    funded: int
    partly_funded: int
    unfunded: int
    with_overdue: int
    allocation: Decimal
    obc_share: Decimal


def matrix_summary(matrix: pd.DataFrame) -> MatrixSummary:
    """How many of the listed recommendations are funded, partly funded, unfunded, late."""
    counts = matrix["funding"].value_counts() if len(matrix) else pd.Series(dtype=int)
    return MatrixSummary(
        policies=len(matrix),
        funded=int(counts.get(FUNDING_LABELS[FUNDED], 0)),
        partly_funded=int(counts.get(FUNDING_LABELS[PARTLY_FUNDED], 0)),
        unfunded=int(counts.get(FUNDING_LABELS[UNFUNDED], 0)),
        with_overdue=int(matrix["has_overdue"].sum()) if len(matrix) else 0,
        allocation=sum(matrix["allocation"], Decimal(0)) if len(matrix) else Decimal(0),
        obc_share=sum(matrix["obc_share"], Decimal(0)) if len(matrix) else Decimal(0),
    )


def category_sector_heatmap(uow: UnitOfWork, filters: PolicyFilters) -> pd.DataFrame:
    """Implementing PPAs by policy category × PPA sector: count, allocation, OBC share.

    A PPA that implements two policies of one category counts once in that category.
    """
    p = PolicyRecommendation
    pairs = (
        select(p.category.label("category"), PolicyPPALink.ppa_id.label("ppa_id"))
        .join(PolicyPPALink, PolicyPPALink.policy_id == p.id)
        .outerjoin(Region, p.region_id == Region.id)
        .where(_where(filters))
        .distinct()
        .subquery()
    )
    q = (
        select(
            pairs.c.category,
            PPA.sector,
            func.count(distinct(PPA.id)).label("ppas"),
            func.coalesce(func.sum(PPA.budget_allocation), 0).label("allocation"),
            func.coalesce(func.sum(PPA.obc_allocation), 0).label("obc_share"),
        )
        .join(PPA, PPA.id == pairs.c.ppa_id)
        .where(_counted_ppa())
        .group_by(pairs.c.category, PPA.sector)
        .order_by(pairs.c.category, PPA.sector)
    )
    rows = uow.session.execute(q).all()
    frame = pd.DataFrame(rows, columns=["category", "sector", "ppas", "allocation", "obc_share"])
    frame["category"] = frame["category"].map(lambda v: PolicyCategory(v).label)
    frame["sector"] = frame["sector"].map(lambda v: PPASector(v).label)
    frame["ppas"] = frame["ppas"].astype(int)
    for col in ("allocation", "obc_share"):
        frame[col] = frame[col].map(to_money)
    return frame


def overdue_milestones(uow: UnitOfWork, filters: PolicyFilters, today: date) -> pd.DataFrame:
    """The matching recommendations' overdue milestones, longest overdue first."""
    p, m = PolicyRecommendation, PolicyMilestone
    q = (
        select(
            p.reference_number, p.title.label("policy"), m.sequence, m.title.label("milestone"),
            m.target_date, m.status, m.progress, m.responsible_party,
        )
        .join(m, m.policy_id == p.id)
        .outerjoin(Region, p.region_id == Region.id)
        .where(_where(filters), _overdue(today))
        .order_by(m.target_date, p.reference_number, m.sequence)
    )
    rows = uow.session.execute(q).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=list(q.selected_columns.keys()))
    frame["status"] = frame["status"].map(lambda v: MilestoneStatus(v).label)
    frame["days_overdue"] = [(today - d).days for d in frame["target_date"]]
    return frame


def matrix_xlsx(matrix: pd.DataFrame, filters: PolicyFilters, today: date) -> bytes:
    """The matrix as a readable Excel sheet, with the filters and the funding rule on top."""
    return table_workbook(
        "Policy–budget matrix", [*filters.lines(), f"Milestones overdue as of {today:%Y-%m-%d}",
                                  DEFINITION],
        matrix, EXPORT_COLUMNS, sheet="Policy matrix",
        empty_note="No policy recommendation matches these filters.",
    )


def matrix_csv(matrix: pd.DataFrame) -> bytes:
    """The matrix as CSV, with the same headers as the Excel sheet."""
    return table_csv(matrix, EXPORT_COLUMNS)


def category_choices() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in PolicyCategory]


def status_choices() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in PolicyStatus]
