"""Counts per entity and budget totals per fiscal year (the `stats` command)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    CoordinationMeeting,
    FocalPerson,
    FundingFlow,
    MOAQuarterlyReport,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    Organization,
    PolicyMilestone,
    PolicyRecommendation,
    PPAIndicator,
    Province,
    Region,
    ServiceApplication,
    ServiceOffering,
    User,
)

COUNTED = {
    "regions": Region,
    "provinces": Province,
    "municipalities": Municipality,
    "barangays": Barangay,
    "organizations": Organization,
    "focal_persons": FocalPerson,
    "communities": Community,
    "need_categories": NeedCategory,
    "needs": Need,
    "ppas": PPA,
    "ppa_indicators": PPAIndicator,
    "funding_flows": FundingFlow,
    "need_ppa_links": NeedPPALink,
    "policies": PolicyRecommendation,
    "policy_milestones": PolicyMilestone,
    "coordination_meetings": CoordinationMeeting,
    "moa_quarterly_reports": MOAQuarterlyReport,
    "service_offerings": ServiceOffering,
    "service_applications": ServiceApplication,
    "users": User,
}


def database_stats(uow: UnitOfWork) -> dict[str, Any]:
    """Row counts per entity and, per fiscal year, the PPA count and allocation in pesos."""
    s = uow.session
    counts = {
        name: s.scalar(select(func.count()).select_from(model)) for name, model in COUNTED.items()
    }
    budget = s.execute(
        select(
            PPA.fiscal_year,
            func.count(),
            func.coalesce(func.sum(PPA.budget_allocation), 0),
            func.coalesce(func.sum(PPA.obc_allocation), 0),
        )
        .group_by(PPA.fiscal_year)
        .order_by(PPA.fiscal_year)
    ).all()
    return {
        "counts": counts,
        "budget_by_fiscal_year": {
            str(fy): {"ppas": n, "allocation_php": f"{alloc:.2f}", "obc_share_php": f"{obc:.2f}"}
            for fy, n, alloc, obc in budget
        },
    }
