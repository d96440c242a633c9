"""Key figures for the home page, each aggregated in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import exists, func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PPA, Need, NeedPPALink, Organization
from obcms_core.domain.enums import ApprovalStatus, NeedStatus

UNFUNDED_STATUSES = (NeedStatus.VALIDATED, NeedStatus.PRIORITIZED)


@dataclass(frozen=True)
class HomeFigures:
    fiscal_year: int | None
    total_needs: int
    unfunded_needs: int
    unfunded_cost: Decimal
    fy_budget: Decimal
    needs_by_status: pd.DataFrame  # status, needs
    budget_by_moa: pd.DataFrame  # moa, budget
    ppas_by_approval: pd.DataFrame  # approval_status, ppas


def unfunded_need_filter():  # type: ignore[no-untyped-def]
    """Validated or prioritized needs that no PPA funds yet (a rejected PPA funds nothing)."""
    funded = exists().where(
        NeedPPALink.need_id == Need.id,
        NeedPPALink.ppa_id == PPA.id,
        PPA.approval_status != ApprovalStatus.REJECTED,
    )
    return Need.status.in_(UNFUNDED_STATUSES) & ~funded


def latest_fiscal_year(uow: UnitOfWork) -> int | None:
    """The newest fiscal year with an enacted budget (else the newest with any allocation)."""
    enacted = uow.session.scalar(
        select(func.max(PPA.fiscal_year)).where(PPA.approval_status == ApprovalStatus.ENACTED)
    )
    if enacted is not None:
        return enacted
    return uow.session.scalar(
        select(func.max(PPA.fiscal_year)).where(PPA.budget_allocation.is_not(None))
    )


def home_figures(uow: UnitOfWork, fiscal_year: int | None = None) -> HomeFigures:
    """Needs by status, unfunded needs and cost, the FY budget by MOA, PPAs by approval status."""
    s = uow.session
    fy = fiscal_year or latest_fiscal_year(uow)
    by_status = s.execute(
        select(Need.status, func.count()).group_by(Need.status).order_by(func.count().desc())
    ).all()
    unfunded = s.execute(
        select(func.count(), func.coalesce(func.sum(Need.estimated_cost), 0)).where(
            unfunded_need_filter()
        )
    ).one()
    moa_name = func.coalesce(Organization.acronym, Organization.name, "Unassigned")
    by_moa = s.execute(
        select(moa_name, func.sum(PPA.budget_allocation))
        .select_from(PPA)
        .outerjoin(Organization, PPA.implementing_org_id == Organization.id)
        .where(
            PPA.fiscal_year == fy,
            PPA.budget_allocation.is_not(None),
            PPA.approval_status != ApprovalStatus.REJECTED,  # a rejected PPA gets no budget
        )
        .group_by(moa_name)
        .order_by(func.sum(PPA.budget_allocation).desc())
    ).all()
    by_approval = s.execute(
        select(PPA.approval_status, func.count())
        .where(PPA.fiscal_year == fy)
        .group_by(PPA.approval_status)
        .order_by(PPA.approval_status)
    ).all()
    needs_df = pd.DataFrame(
        [(str(getattr(st, "value", st)), n) for st, n in by_status], columns=["status", "needs"]
    )
    moa_df = pd.DataFrame([(m, Decimal(b or 0)) for m, b in by_moa], columns=["moa", "budget"])
    return HomeFigures(
        fiscal_year=fy,
        total_needs=int(needs_df["needs"].sum()) if len(needs_df) else 0,
        unfunded_needs=int(unfunded[0]),
        unfunded_cost=Decimal(unfunded[1] or 0),
        fy_budget=sum(moa_df["budget"], Decimal(0)),
        needs_by_status=needs_df,
        budget_by_moa=moa_df,
        ppas_by_approval=pd.DataFrame(
            [(str(getattr(a, "value", a)), n) for a, n in by_approval],
            columns=["approval_status", "ppas"],
        ),
    )
