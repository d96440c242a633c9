"""The public needs browser: what any visitor may see of community needs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Select, func, or_, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    Barangay,
    Community,
    Municipality,
    Need,
    NeedCategory,
    Province,
    Region,
)
from obcms_core.domain.enums import NeedStatus

# Rejected needs are not shown to the public.
PUBLIC_STATUSES = tuple(s for s in NeedStatus if s is not NeedStatus.REJECTED)


@dataclass(frozen=True)
class NeedFilters:
    region_code: str | None = None
    category: str | None = None
    status: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class NeedsPage:
    rows: pd.DataFrame
    total: int


def _query(filters: NeedFilters) -> Select:  # type: ignore[type-arg]
    q = (
        select(
            Need.id,
            Need.title,
            NeedCategory.name.label("category"),
            Need.status,
            Need.urgency,
            Need.affected_population,
            Need.estimated_cost,
            Need.priority_score,
            Barangay.name.label("barangay"),
            Municipality.name.label("municipality"),
            Province.name.label("province"),
            Region.code.label("region"),
        )
        .join(NeedCategory, Need.category_id == NeedCategory.id)
        .join(Community, Need.community_id == Community.id)
        .join(Barangay, Community.barangay_id == Barangay.id)
        .join(Municipality, Barangay.municipality_id == Municipality.id)
        .join(Province, Municipality.province_id == Province.id)
        .join(Region, Province.region_id == Region.id)
        .where(Need.status.in_(PUBLIC_STATUSES))
    )
    if filters.region_code:
        q = q.where(Region.code == filters.region_code)
    if filters.category:
        q = q.where(NeedCategory.name == filters.category)
    if filters.status:
        q = q.where(Need.status == NeedStatus(filters.status))
    if filters.search:
        term = f"%{filters.search.strip().lower()}%"
        q = q.where(
            or_(func.lower(Need.title).like(term), func.lower(Municipality.name).like(term))
        )
    return q


def browse_needs(
    uow: UnitOfWork, filters: NeedFilters, *, limit: int = 50, offset: int = 0
) -> NeedsPage:
    """One page of public needs, highest priority first, with the total that match."""
    q = _query(filters)
    total = uow.session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = uow.session.execute(
        q.order_by(Need.priority_score.desc(), Need.id).limit(limit).offset(offset)
    ).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=list(q.selected_columns.keys()))
    for col in ("status", "urgency"):
        frame[col] = frame[col].map(lambda v: getattr(v, "label", v))
    return NeedsPage(frame, int(total))


def need_categories(uow: UnitOfWork) -> list[str]:
    return list(uow.session.scalars(select(NeedCategory.name).order_by(NeedCategory.name)))


def region_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of the regions, for filter lists."""
    rows = uow.session.execute(select(Region.code, Region.name).order_by(Region.id)).all()
    return [(code, name) for code, name in rows]
