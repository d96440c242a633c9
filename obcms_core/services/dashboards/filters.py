"""The filters the evidence dashboards share: place, sector, category, urgency, status, year, score.

`DashboardFilters` is what a page asks for; `need_conditions` turns its need filters into SQL
conditions over a query built with `with_need_places`; `filter_lines` says the same in words for
the head of a download; the `*_choices` functions fill the filter lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import ColumnElement, Select, select

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
from obcms_core.domain.enums import NeedSector, NeedStatus, Urgency
from obcms_core.domain.errors import ValidationFailed


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard shows; None means every value.

    `fiscal_year` is the budget year a dashboard looks at; what it does to the figures is said
    by each dashboard (the gap analysis, for example, counts PPAs up to that year).
    """

    region_code: str | None = None
    province_id: int | None = None
    municipality_id: int | None = None
    sector: str | None = None  # a NeedSector value
    category_id: int | None = None
    urgency: str | None = None  # an Urgency value
    status: str | None = None  # a NeedStatus value
    fiscal_year: int | None = None
    min_priority: Decimal | None = None

    def __post_init__(self) -> None:
        for value, enum, what in (
            (self.sector, NeedSector, "sector"),
            (self.urgency, Urgency, "urgency"),
            (self.status, NeedStatus, "status"),
        ):
            if value is not None and value not in enum._value2member_map_:
                raise ValidationFailed(f"'{value}' is not a need {what}.")
        if self.fiscal_year is not None and not 2000 <= self.fiscal_year <= 2100:
            raise ValidationFailed("The fiscal year must be between 2000 and 2100.")
        if self.min_priority is not None:
            try:
                score = Decimal(str(self.min_priority))
            except InvalidOperation as exc:
                raise ValidationFailed("The minimum priority score must be a number.") from exc
            if not score.is_finite() or score < 0:
                raise ValidationFailed("The minimum priority score cannot be below zero.")
            object.__setattr__(self, "min_priority", score)

    @property
    def narrows_needs(self) -> bool:
        """Whether any filter other than the fiscal year is set."""
        return any(
            v is not None
            for v in (self.region_code, self.province_id, self.municipality_id, self.sector,
                      self.category_id, self.urgency, self.status, self.min_priority)
        )


def with_need_places(query: Select) -> Select:  # type: ignore[type-arg]
    """Join a query over Need to its category, community and places (barangay up to region)."""
    return (
        query.join(NeedCategory, Need.category_id == NeedCategory.id)
        .join(Community, Need.community_id == Community.id)
        .join(Barangay, Community.barangay_id == Barangay.id)
        .join(Municipality, Barangay.municipality_id == Municipality.id)
        .join(Province, Municipality.province_id == Province.id)
        .join(Region, Province.region_id == Region.id)
    )


def need_conditions(filters: DashboardFilters) -> list[ColumnElement[bool]]:
    """The need filters (not the fiscal year) as SQL conditions for a `with_need_places` query."""
    f = filters
    conditions: list[ColumnElement[bool]] = []
    if f.region_code:
        conditions.append(Region.code == f.region_code)
    if f.province_id is not None:
        conditions.append(Province.id == f.province_id)
    if f.municipality_id is not None:
        conditions.append(Municipality.id == f.municipality_id)
    if f.sector:
        conditions.append(NeedCategory.sector == NeedSector(f.sector))
    if f.category_id is not None:
        conditions.append(NeedCategory.id == f.category_id)
    if f.urgency:
        conditions.append(Need.urgency == Urgency(f.urgency))
    if f.status:
        conditions.append(Need.status == NeedStatus(f.status))
    if f.min_priority is not None:
        conditions.append(Need.priority_score >= f.min_priority)
    return conditions


def filter_lines(uow: UnitOfWork, filters: DashboardFilters) -> list[str]:
    """The filters in words, for the head of a download: the fiscal year, then each filter set."""
    f, s = filters, uow.session
    lines = ["Fiscal year: " + (str(f.fiscal_year) if f.fiscal_year else "all years")]
    if f.region_code:
        name = s.scalar(select(Region.name).where(Region.code == f.region_code))
        lines.append("Region: " + (name or f.region_code))
    if f.province_id is not None:
        province = s.get(Province, f.province_id)
        lines.append("Province: " + (province.name if province else f"#{f.province_id}"))
    if f.municipality_id is not None:
        town = s.get(Municipality, f.municipality_id)
        lines.append("City / municipality: " + (town.name if town else f"#{f.municipality_id}"))
    if f.sector:
        lines.append("Sector: " + NeedSector(f.sector).label)
    if f.category_id is not None:
        category = s.get(NeedCategory, f.category_id)
        lines.append("Category: " + (category.name if category else f"#{f.category_id}"))
    if f.urgency:
        lines.append("Urgency: " + Urgency(f.urgency).label)
    if f.status:
        lines.append("Status: " + NeedStatus(f.status).label)
    if f.min_priority is not None:
        lines.append(f"Minimum priority score: {f.min_priority:g}")
    return lines


def filter_summary(uow: UnitOfWork, filters: DashboardFilters) -> str:
    """The filters on one line: "Fiscal year: 2025; Urgency: Immediate"."""
    lines = filter_lines(uow, filters)
    return "; ".join(lines) + ("" if len(lines) > 1 else "; no other filter")


def region_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(code, name) of every region, in the order they were loaded (IX, X, XI, XII)."""
    rows = uow.session.execute(select(Region.code, Region.name).order_by(Region.id)).all()
    return [(code, name) for code, name in rows]


def province_choices(uow: UnitOfWork, region_code: str | None) -> list[tuple[int, str]]:
    """(id, name) of the provinces of a region (of every region when None), by name."""
    q = select(Province.id, Province.name).join(Region, Province.region_id == Region.id)
    if region_code:
        q = q.where(Region.code == region_code)
    return [(pid, name) for pid, name in uow.session.execute(q.order_by(Province.name)).all()]


def municipality_choices(
    uow: UnitOfWork, region_code: str | None, province_id: int | None
) -> list[tuple[int, str]]:
    """(id, "City (Province)") of the cities and municipalities that have OBC communities."""
    q = (
        select(Municipality.id, Municipality.name, Province.name)
        .join(Province, Municipality.province_id == Province.id)
        .join(Region, Province.region_id == Region.id)
        .where(
            Municipality.id.in_(
                select(Barangay.municipality_id).join(
                    Community, Community.barangay_id == Barangay.id
                )
            )
        )
    )
    if region_code:
        q = q.where(Region.code == region_code)
    if province_id is not None:
        q = q.where(Province.id == province_id)
    rows = uow.session.execute(q.order_by(Municipality.name, Province.name)).all()
    return [(mid, f"{name} ({province})") for mid, name, province in rows]


def category_choices(uow: UnitOfWork, sector: str | None) -> list[tuple[int, str]]:
    """(id, name) of the need categories of a sector (of every sector when None), by name."""
    q = select(NeedCategory.id, NeedCategory.name)
    if sector:
        q = q.where(NeedCategory.sector == NeedSector(sector))
    return [(cid, name) for cid, name in uow.session.execute(q.order_by(NeedCategory.name))]


def sector_choices(uow: UnitOfWork) -> list[str]:
    """The sectors (NeedSector values) that have at least one need category."""
    rows = uow.session.scalars(select(NeedCategory.sector).distinct())
    present = {str(getattr(s, "value", s)) for s in rows}
    return [s.value for s in NeedSector if s.value in present]
