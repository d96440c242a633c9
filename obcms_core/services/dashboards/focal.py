"""The MOA focal persons registry: who speaks for each MOA on OBC matters, and the gaps.

An appointment is **active** (in office) on a day when it started on or before that day and has
not ended before it. A MOA has a **gap** when none of its appointments as primary focal person
is active. Changes to the registry are in `focal_edit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, true
from sqlalchemy.orm import aliased

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import FocalPerson, Organization
from obcms_core.domain.enums import FocalRole, OrgType
from obcms_core.services.dashboards.xlsx import Column, table_csv, table_workbook

ROLE_ORDER = {FocalRole.PRIMARY: 0, FocalRole.ALTERNATE: 1, FocalRole.TECHNICAL: 2}
EXPORT_COLUMNS = [
    Column("moa", "MOA", 12), Column("moa_name", "MOA name", 40), Column("role", "Role", 11),
    Column("full_name", "Name", 26), Column("designation", "Designation", 26),
    Column("email", "E-mail", 30), Column("phone", "Phone", 18),
    Column("appointed_on", "Appointed", 12, "date"), Column("ended_on", "Ended", 12, "date"),
    Column("active", "In office", 9),
]
MOA_LABEL = func.coalesce(Organization.acronym, Organization.name)


@dataclass(frozen=True)
class FocalFilters:
    """Which entries the directory lists; None means every value."""

    search: str | None = None
    organization_id: int | None = None
    role: str | None = None
    active_only: bool = False


def active_on(today: date) -> ColumnElement[bool]:
    """Appointments in office on `today`."""
    return and_(
        FocalPerson.appointed_on <= today,
        or_(FocalPerson.ended_on.is_(None), FocalPerson.ended_on >= today),
    )


def _where(filters: FocalFilters, today: date) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.organization_id is not None:
        conditions.append(FocalPerson.organization_id == filters.organization_id)
    if filters.role:
        conditions.append(FocalPerson.role == FocalRole(filters.role))
    if filters.active_only:
        conditions.append(active_on(today))
    if filters.search and filters.search.strip():
        term = f"%{filters.search.strip().lower()}%"
        conditions.append(or_(*(
            func.lower(func.coalesce(col, "")).like(term)
            for col in (FocalPerson.full_name, FocalPerson.designation, FocalPerson.email,
                        FocalPerson.phone, Organization.acronym, Organization.name)
        )))
    return and_(*conditions)


def focal_directory(uow: UnitOfWork, filters: FocalFilters, today: date) -> pd.DataFrame:
    """Focal persons by MOA: primary, alternate, technical; those in office first."""
    is_active = case((active_on(today), True), else_=False)
    role_rank = case({r.value: n for r, n in ROLE_ORDER.items()}, value=FocalPerson.role)
    q = (
        select(
            FocalPerson.id, FocalPerson.organization_id, MOA_LABEL.label("moa"),
            Organization.name.label("moa_name"), FocalPerson.role, FocalPerson.full_name,
            FocalPerson.designation, FocalPerson.email, FocalPerson.phone,
            FocalPerson.appointed_on, FocalPerson.ended_on, is_active.label("active"),
        )
        .join(Organization, FocalPerson.organization_id == Organization.id)
        .where(_where(filters, today))
        .order_by(MOA_LABEL, role_rank, is_active.desc(), FocalPerson.appointed_on.desc(),
                  FocalPerson.id)
    )
    rows = uow.session.execute(q).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=list(q.selected_columns.keys()))
    frame["role"] = frame["role"].map(lambda v: FocalRole(v).label)
    frame["active"] = frame["active"].astype(bool)
    return frame


def focal_gaps(uow: UnitOfWork, today: date) -> pd.DataFrame:
    """Active MOAs without a primary focal person in office, with their last primary."""
    fp = aliased(FocalPerson)
    has_primary = exists().where(
        FocalPerson.organization_id == Organization.id,
        FocalPerson.role == FocalRole.PRIMARY,
        active_on(today),
    )
    last_end = (
        select(func.max(fp.ended_on))
        .where(fp.organization_id == Organization.id, fp.role == FocalRole.PRIMARY,
               fp.ended_on < today)
        .scalar_subquery()
    )
    others = (
        select(func.count(fp.id))
        .where(fp.organization_id == Organization.id, fp.role != FocalRole.PRIMARY,
               fp.appointed_on <= today, or_(fp.ended_on.is_(None), fp.ended_on >= today))
        .scalar_subquery()
    )
    q = (
        select(
            Organization.id.label("organization_id"), MOA_LABEL.label("moa"),
            Organization.name.label("moa_name"), last_end.label("last_primary_ended"),
            others.label("other_active"),
        )
        .where(Organization.org_type == OrgType.MOA, Organization.is_active.is_(True),
               ~has_primary)
        .order_by(MOA_LABEL)
    )
    rows = uow.session.execute(q).all()
    return pd.DataFrame([r._asdict() for r in rows], columns=list(q.selected_columns.keys()))


def moa_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, "ACRONYM — name") of the active MOAs, for filter and edit lists."""
    rows = uow.session.execute(
        select(Organization.id, MOA_LABEL, Organization.name)
        .where(Organization.org_type == OrgType.MOA, Organization.is_active.is_(True))
        .order_by(MOA_LABEL)
    ).all()
    return [(i, label if label == name else f"{label} — {name}") for i, label, name in rows]


def _readable(directory: pd.DataFrame) -> pd.DataFrame:
    return directory.assign(active=directory["active"].map({True: "Yes", False: "No"}))


def directory_xlsx(directory: pd.DataFrame, lines: list[str]) -> bytes:
    """The directory as a readable Excel sheet under the filters in words."""
    return table_workbook("MOA focal persons", lines, _readable(directory), EXPORT_COLUMNS,
                          sheet="Focal persons", empty_note="No focal person matches.")


def directory_csv(directory: pd.DataFrame) -> bytes:
    """The directory as CSV, with the same headers as the Excel sheet."""
    return table_csv(_readable(directory), EXPORT_COLUMNS)
