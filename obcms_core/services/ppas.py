"""The PPA register: filtered lists, totals, one PPA's card and approval history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PPA, Organization, PPAStatusChange
from obcms_core.domain.access import Actor
from obcms_core.domain.clock import as_utc
from obcms_core.domain.enums import ApprovalStatus, ChangeSource, Role
from obcms_core.domain.errors import NotFound
from obcms_core.domain.workflow import TRANSITIONS, allowed_next
from obcms_core.services.ppa_workflow import transition_ppa


@dataclass(frozen=True)
class PPAFilters:
    fiscal_year: int | None = None
    organization_id: int | None = None
    approval_status: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class RegisterTotals:
    ppas: int
    ceiling: Decimal
    allocation: Decimal
    obc_share: Decimal


@dataclass(frozen=True)
class RegisterPage:
    rows: pd.DataFrame
    totals: RegisterTotals


@dataclass(frozen=True)
class PPACard:
    id: int
    code: str
    title: str
    moa: str
    fiscal_year: int
    approval_status: ApprovalStatus
    allocation: Decimal | None
    organization_id: int | None


@dataclass(frozen=True)
class StepOption:
    target: ApprovalStatus
    permitted: bool
    roles: tuple[Role, ...]


MOA_LABEL = func.coalesce(Organization.acronym, Organization.name, "Unassigned")


def _where(filters: PPAFilters) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.fiscal_year is not None:
        conditions.append(PPA.fiscal_year == filters.fiscal_year)
    if filters.organization_id is not None:
        conditions.append(PPA.implementing_org_id == filters.organization_id)
    if filters.approval_status:
        conditions.append(PPA.approval_status == ApprovalStatus(filters.approval_status))
    if filters.search and filters.search.strip():
        term = f"%{filters.search.strip().lower()}%"
        conditions.append(or_(func.lower(PPA.title).like(term), func.lower(PPA.code).like(term)))
    return and_(*conditions)


def _rows_query(filters: PPAFilters) -> Select:  # type: ignore[type-arg]
    return (
        select(
            PPA.id,
            PPA.code,
            PPA.title,
            MOA_LABEL.label("moa"),
            PPA.fiscal_year,
            PPA.approval_status,
            PPA.appropriation_class,
            PPA.budget_ceiling,
            PPA.budget_allocation,
            PPA.obc_allocation,
        )
        .outerjoin(Organization, PPA.implementing_org_id == Organization.id)
        .where(_where(filters))
    )


def ppa_register(
    uow: UnitOfWork, filters: PPAFilters, *, limit: int = 50, offset: int = 0
) -> RegisterPage:
    """One page of PPAs (largest allocation first) and the totals of every PPA that matches."""
    s = uow.session
    count, ceiling, allocation, obc = s.execute(
        select(
            func.count(),
            func.coalesce(func.sum(PPA.budget_ceiling), 0),
            func.coalesce(func.sum(PPA.budget_allocation), 0),
            func.coalesce(func.sum(PPA.obc_allocation), 0),
        ).where(_where(filters))
    ).one()
    q = _rows_query(filters)
    rows = s.execute(
        q.order_by(func.coalesce(PPA.budget_allocation, 0).desc(), PPA.code)
        .limit(limit)
        .offset(offset)
    ).all()
    frame = pd.DataFrame([r._asdict() for r in rows], columns=list(q.selected_columns.keys()))
    for col in ("approval_status", "appropriation_class"):
        frame[col] = frame[col].map(lambda v: getattr(v, "label", v))
    totals = RegisterTotals(
        int(count), Decimal(str(ceiling)), Decimal(str(allocation)), Decimal(str(obc))
    )
    return RegisterPage(frame, totals)


def fiscal_years(uow: UnitOfWork) -> list[int]:
    """Fiscal years that have PPAs, newest first."""
    return list(
        uow.session.scalars(
            select(PPA.fiscal_year).distinct().order_by(PPA.fiscal_year.desc())
        )
    )


def implementing_moas(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, label) of every organisation that implements at least one PPA."""
    label = func.coalesce(Organization.acronym, Organization.name)
    rows = uow.session.execute(
        select(Organization.id, label, Organization.name)
        .where(Organization.id.in_(select(PPA.implementing_org_id)))
        .order_by(label)
    ).all()
    return [(oid, short if short == name else f"{short} — {name}") for oid, short, name in rows]


def workflow_choices(uow: UnitOfWork, filters: PPAFilters, *, limit: int = 300) -> list[PPACard]:
    """PPAs to pick from on the workflow page (by code), at most `limit`."""
    q = _rows_query(filters).add_columns(PPA.implementing_org_id).order_by(PPA.code).limit(limit)
    return [_card(r) for r in uow.session.execute(q).all()]


def _card(r: object) -> PPACard:
    m = r._mapping  # type: ignore[attr-defined]
    return PPACard(
        id=m["id"], code=m["code"], title=m["title"], moa=m["moa"],
        fiscal_year=m["fiscal_year"], approval_status=ApprovalStatus(m["approval_status"]),
        allocation=m["budget_allocation"], organization_id=m["implementing_org_id"],
    )


def ppa_card(uow: UnitOfWork, ppa_id: int) -> PPACard:
    """The facts a reviewer needs before moving a PPA."""
    q = _rows_query(PPAFilters()).add_columns(PPA.implementing_org_id).where(PPA.id == ppa_id)
    row = uow.session.execute(q).one_or_none()
    if row is None:
        raise NotFound(f"There is no PPA with id {ppa_id}.")
    return _card(row)


def ppa_history(uow: UnitOfWork, ppa_id: int) -> pd.DataFrame:
    """Every approval step the PPA has taken, newest first."""
    rows = uow.session.execute(
        select(
            PPAStatusChange.changed_at,
            PPAStatusChange.from_status,
            PPAStatusChange.to_status,
            PPAStatusChange.changed_by,
            PPAStatusChange.note,
        )
        .where(PPAStatusChange.ppa_id == ppa_id)
        .order_by(PPAStatusChange.changed_at.desc(), PPAStatusChange.id.desc())
    ).all()
    frame = pd.DataFrame(
        [
            (as_utc(at), ApprovalStatus(f).label, ApprovalStatus(t).label, by, note or "")
            for at, f, t, by, note in rows
        ],
        columns=["changed_at", "from_status", "to_status", "changed_by", "note"],
    )
    return frame


def step_options(current: ApprovalStatus | str, role: Role | str) -> list[StepOption]:
    """The next statuses of a PPA, and whether `role` may take each (admins may take any)."""
    who = Role(role)
    options = []
    for target in allowed_next(current):
        roles = TRANSITIONS[(ApprovalStatus(current), target)]
        permitted = who is Role.ADMIN or who in roles
        options.append(StepOption(target, permitted, tuple(sorted(roles, key=lambda r: r.label))))
    return options


def move_ppa(
    uow: UnitOfWork,
    ppa_id: int,
    seen: ApprovalStatus | str,
    target: ApprovalStatus | str,
    actor: Actor,
    *,
    note: str | None = None,
    source: ChangeSource = ChangeSource.UI,
) -> ApprovalStatus:
    """Take a step only from the status the reviewer was looking at, never from a newer one."""
    return transition_ppa(
        uow, ppa_id, target, actor, note=note, source=source, expected_from=seen
    )
