"""Evidence flags beside the optimiser: costly PPAs, overlapping PPAs, sectors' track records."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Float, Subquery, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    FundingFlow,
    Municipality,
    Need,
    NeedPPALink,
    Organization,
    Province,
)
from obcms_core.domain.enums import FlowType
from obcms_core.domain.errors import ValidationFailed

INEFFICIENT = ["code", "title", "sector", "cost_per_beneficiary", "sector_median", "ratio"]


def _people_per_ppa() -> Subquery:
    """Each PPA's beneficiaries: the affected population of its needs times the share it covers."""
    return (
        select(
            NeedPPALink.ppa_id.label("ppa_id"),
            func.sum(cast(NeedPPALink.share, Float) * Need.affected_population).label("people"),
        )
        .join(Need, Need.id == NeedPPALink.need_id)
        .group_by(NeedPPALink.ppa_id)
        .subquery()
    )


def _value(v: object) -> object:
    return getattr(v, "value", v)


def inefficient_allocations(uow: UnitOfWork, fiscal_year: int, factor: float = 3.0) -> pd.DataFrame:
    """PPAs whose request per person served is over `factor` × their sector's median that year."""
    if factor <= 0:
        raise ValidationFailed("The factor must be above zero.")
    people = _people_per_ppa()
    request = func.coalesce(PPA.budget_ceiling, PPA.budget_allocation)
    query = (
        select(
            PPA.code,
            PPA.title,
            PPA.sector,
            (cast(request, Float) / people.c.people).label("cost_per_beneficiary"),
        )
        .join(people, people.c.ppa_id == PPA.id)
        .where(PPA.fiscal_year == fiscal_year, request > 0, people.c.people > 0)
    )
    frame = pd.DataFrame(uow.session.execute(query).all(), columns=INEFFICIENT[:4])
    if frame.empty:
        return pd.DataFrame(columns=INEFFICIENT)
    frame["sector"] = frame["sector"].map(_value)
    frame["cost_per_beneficiary"] = frame["cost_per_beneficiary"].astype(float)
    # A PPA without linked needs has no figure and so stays out of its sector's median.
    frame["sector_median"] = frame.groupby("sector")["cost_per_beneficiary"].transform("median")
    frame["ratio"] = frame["cost_per_beneficiary"] / frame["sector_median"]
    flagged = frame[frame["ratio"] > factor].sort_values(["ratio", "code"], ascending=[False, True])
    return flagged.reset_index(drop=True)[INEFFICIENT]


def consolidation_opportunities(uow: UnitOfWork, fiscal_year: int) -> pd.DataFrame:
    """Pairs of PPAs of different MOAs funding the same needs in one municipality that year."""
    link_a, link_b = aliased(NeedPPALink), aliased(NeedPPALink)
    ppa_a, ppa_b = aliased(PPA), aliased(PPA)
    moa_a, moa_b = aliased(Organization), aliased(Organization)
    query = (
        select(
            ppa_a.code.label("ppa_a"),
            func.coalesce(moa_a.acronym, moa_a.name).label("moa_a"),
            ppa_b.code.label("ppa_b"),
            func.coalesce(moa_b.acronym, moa_b.name).label("moa_b"),
            func.count(func.distinct(link_a.need_id)).label("shared_needs"),
            Municipality.name.label("municipality"),
            Province.name.label("province"),
        )
        .select_from(link_a)
        .join(link_b, link_b.need_id == link_a.need_id)
        .join(ppa_a, ppa_a.id == link_a.ppa_id)
        .join(ppa_b, ppa_b.id == link_b.ppa_id)
        .join(moa_a, moa_a.id == ppa_a.implementing_org_id)
        .join(moa_b, moa_b.id == ppa_b.implementing_org_id)
        .join(Need, Need.id == link_a.need_id)
        .join(Community, Community.id == Need.community_id)
        .join(Barangay, Barangay.id == Community.barangay_id)
        .join(Municipality, Municipality.id == Barangay.municipality_id)
        .join(Province, Province.id == Municipality.province_id)
        .where(
            ppa_a.fiscal_year == fiscal_year,
            ppa_b.fiscal_year == fiscal_year,
            ppa_a.code < ppa_b.code,  # each pair once
            moa_a.id != moa_b.id,
        )
        .group_by(
            ppa_a.code,
            moa_a.acronym,
            moa_a.name,
            ppa_b.code,
            moa_b.acronym,
            moa_b.name,
            Municipality.id,
            Municipality.name,
            Province.name,
        )
        .order_by(func.count(func.distinct(link_a.need_id)).desc(), ppa_a.code, ppa_b.code)
    )
    columns = list(query.selected_columns.keys())
    frame = pd.DataFrame(uow.session.execute(query).all(), columns=columns)
    frame["shared_needs"] = frame["shared_needs"].astype(int)
    return frame


def _flow_total(kind: FlowType, label: str) -> ColumnElement[Any]:
    amount = case((FundingFlow.flow_type == kind, FundingFlow.amount), else_=literal(0))
    return func.coalesce(func.sum(amount), 0).label(label)


def _rate(numerator: ColumnElement[Any], denominator: ColumnElement[Any]) -> ColumnElement[Any]:
    return cast(numerator, Float) / func.nullif(cast(denominator, Float), 0.0)


def historical_efficiency(uow: UnitOfWork, up_to_year: int) -> pd.DataFrame:
    """Per sector, over fiscal years before `up_to_year`: allotted, obligated, paid, served."""
    flows = (
        select(
            FundingFlow.ppa_id.label("ppa_id"),
            _flow_total(FlowType.ALLOTMENT, "allotments"),
            _flow_total(FlowType.OBLIGATION, "obligations"),
            _flow_total(FlowType.DISBURSEMENT, "disbursements"),
        )
        .group_by(FundingFlow.ppa_id)
        .subquery()
    )
    people = _people_per_ppa()
    # Only PPAs that paid out count their beneficiaries as served.
    served = case((flows.c.disbursements > 0, func.coalesce(people.c.people, 0.0)), else_=0.0)
    allotted, obligated = func.sum(flows.c.allotments), func.sum(flows.c.obligations)
    paid = func.sum(flows.c.disbursements)
    query = (
        select(
            PPA.sector,
            func.count(func.distinct(PPA.fiscal_year)).label("years"),
            allotted.label("allotments"),
            obligated.label("obligations"),
            paid.label("disbursements"),
            _rate(obligated, allotted).label("obligation_rate"),
            _rate(paid, obligated).label("disbursement_rate"),
            (cast(func.sum(served), Float) / func.nullif(cast(paid, Float) / 1e6, 0.0)).label(
                "people_per_million"
            ),
        )
        .join(flows, flows.c.ppa_id == PPA.id)
        .outerjoin(people, people.c.ppa_id == PPA.id)
        .where(PPA.fiscal_year < up_to_year)
        .group_by(PPA.sector)
        .order_by(PPA.sector)
    )
    columns = list(query.selected_columns.keys())
    frame = pd.DataFrame(uow.session.execute(query).all(), columns=columns)
    frame["sector"] = frame["sector"].map(_value)
    for col in ("obligation_rate", "disbursement_rate", "people_per_million"):
        frame[col] = frame[col].astype(float)
    return frame


__all__ = ["consolidation_opportunities", "historical_efficiency", "inefficient_allocations"]
