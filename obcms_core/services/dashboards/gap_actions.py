"""What planners, budget officers and administrators do from the gap analysis.

Two actions, each one audited transaction: forward an unfunded need to a MOA, and link it to an
existing PPA of the fiscal year being looked at. Both act only on validated or prioritized needs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import case, exists, func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    Municipality,
    Need,
    NeedPPALink,
    Organization,
    PPACoverage,
    Province,
)
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ApprovalStatus, ChangeSource, NeedStatus, OrgType, Role
from obcms_core.domain.errors import NotFound, PermissionDenied, ValidationFailed
from obcms_core.services import audit
from obcms_core.services.dashboards.gaps import IN_SCOPE

ACTING_ROLES = frozenset({Role.ADMIN, Role.BUDGET_OFFICER, Role.PLANNER})
NOT_ALLOWED = "Only planners, budget officers and administrators forward or link needs."


def can_act(role: Role | str | None) -> bool:
    """Whether a role may forward needs to MOAs and link them to PPAs."""
    return role is not None and Role(role) in ACTING_ROLES


def _open_need(uow: UnitOfWork, need_id: int, actor: Actor) -> Need:
    if not can_act(actor.role):
        raise PermissionDenied(NOT_ALLOWED)
    need = uow.session.get(Need, need_id, with_for_update=True)
    if need is None:
        raise NotFound(f"There is no need #{need_id}.")
    if need.status not in IN_SCOPE:
        raise ValidationFailed(
            f"Need #{need_id} is {NeedStatus(need.status).label.lower()}: only validated or "
            "prioritized needs are forwarded or linked from the gap analysis."
        )
    return need


def _org_label(org: Organization | None) -> str:
    return "an organisation" if org is None else org.acronym or org.name


def forward_need(
    uow: UnitOfWork,
    need_id: int,
    organization_id: int,
    actor: Actor,
    *,
    today: date | None = None,
    source: ChangeSource = ChangeSource.UI,
) -> str:
    """Send a need to a MOA for action, once; returns the MOA's short name."""
    need = _open_need(uow, need_id, actor)
    if need.forwarded_to_id is not None:
        earlier = uow.session.get(Organization, need.forwarded_to_id)
        raise ValidationFailed(
            f"Need #{need_id} was already forwarded to {_org_label(earlier)}"
            + (f" on {need.forwarded_on:%Y-%m-%d}" if need.forwarded_on else "")
            + (f" by {need.forwarded_by}" if need.forwarded_by else "")
            + ". A need is forwarded to one MOA only."
        )
    org = uow.session.get(Organization, organization_id)
    if org is None:
        raise NotFound(f"There is no organisation #{organization_id}.")
    if org.org_type != OrgType.MOA:
        raise ValidationFailed(f"{_org_label(org)} is not a MOA: forward needs to a MOA.")
    if not org.is_active:
        raise ValidationFailed(f"{_org_label(org)} is no longer active: choose another MOA.")
    need.forwarded_to_id = org.id
    need.forwarded_on = today or date.today()
    need.forwarded_by = actor.username
    audit.record(
        uow, username=actor.username, source=source, action="forward", entity="need",
        entity_id=need.id,
        before={"forwarded_to_id": None, "forwarded_on": None, "forwarded_by": None},
        after={"forwarded_to_id": org.id, "forwarded_to": _org_label(org),
               "forwarded_on": need.forwarded_on, "forwarded_by": actor.username},
    )
    return _org_label(org)


def _share(value: Decimal | float | str) -> Decimal:
    try:
        share = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationFailed("The share must be a number between 0 and 1.") from exc
    if not share.is_finite() or not Decimal(0) < share <= Decimal(1):
        raise ValidationFailed("The share of the need must be above 0 % and at most 100 %.")
    return share.quantize(Decimal("0.0001"))


def link_need_to_ppa(
    uow: UnitOfWork,
    need_id: int,
    ppa_id: int,
    actor: Actor,
    *,
    fiscal_year: int | None,
    share: Decimal | float | str = Decimal(1),
    source: ChangeSource = ChangeSource.UI,
) -> str:
    """Record that a PPA of the fiscal year funds (a share of) a need; returns the PPA's code."""
    need = _open_need(uow, need_id, actor)
    part = _share(share)
    ppa = uow.session.get(PPA, ppa_id)
    if ppa is None:
        raise NotFound(f"There is no PPA #{ppa_id}.")
    if ppa.approval_status == ApprovalStatus.REJECTED:
        raise ValidationFailed(f"{ppa.code} was rejected, so it funds nothing. Choose another PPA.")
    if fiscal_year is not None and ppa.fiscal_year != fiscal_year:
        raise ValidationFailed(
            f"{ppa.code} is a PPA of FY {ppa.fiscal_year}, and you are looking at FY "
            f"{fiscal_year}. Choose a PPA of FY {fiscal_year}, or change the fiscal year."
        )
    links = uow.session.execute(
        select(NeedPPALink.ppa_id, PPA.code, NeedPPALink.share, PPA.approval_status)
        .join(PPA, PPA.id == NeedPPALink.ppa_id)
        .where(NeedPPALink.need_id == need.id)
    ).all()
    if any(pid == ppa.id for pid, *_ in links):
        raise ValidationFailed(f"Need #{need_id} is already linked to {ppa.code}.")
    covered = sum(
        (Decimal(str(s)) for _p, _c, s, st in links if st != ApprovalStatus.REJECTED), Decimal(0)
    )
    if covered + part > 1:
        left = max(Decimal(0), 1 - covered)
        raise ValidationFailed(
            f"Other PPAs already cover {covered:.0%} of need #{need_id}, so at most {left:.0%} "
            "is left to link."
        )
    uow.session.add(
        NeedPPALink(need_id=need.id, ppa_id=ppa.id, share=part, linked_by=actor.username)
    )
    audit.record(
        uow, username=actor.username, source=source, action="link_ppa", entity="need",
        entity_id=need.id,
        before={"ppas": ", ".join(code for _p, code, *_ in links) or None},
        after={"ppa_id": ppa.id, "ppa": ppa.code, "share": part, "fiscal_year": ppa.fiscal_year},
    )
    return ppa.code


def moa_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, "ACRONYM — Name") of the active MOAs, by acronym."""
    short = func.coalesce(Organization.acronym, Organization.name)
    rows = uow.session.execute(
        select(Organization.id, short, Organization.name)
        .where(Organization.org_type == OrgType.MOA, Organization.is_active.is_(True))
        .order_by(short)
    ).all()
    return [(oid, s if s == name else f"{s} — {name}") for oid, s, name in rows]


def ppa_choices(uow: UnitOfWork, fiscal_year: int, need_id: int | None) -> list[tuple[int, str]]:
    """(id, label) of the PPAs of a fiscal year a need may be linked to (not rejected).

    PPAs that cover the need's region come first, then the rest, each by code.
    """
    region = None
    if need_id is not None:
        region = uow.session.scalar(
            select(Province.region_id)
            .join(Municipality, Municipality.province_id == Province.id)
            .join(Barangay, Barangay.municipality_id == Municipality.id)
            .join(Community, Community.barangay_id == Barangay.id)
            .join(Need, Need.community_id == Community.id)
            .where(Need.id == need_id)
        )
    covers = exists().where(PPACoverage.ppa_id == PPA.id, PPACoverage.region_id == region)
    moa = func.coalesce(Organization.acronym, Organization.name, "no MOA")
    rows = uow.session.execute(
        select(PPA.id, PPA.code, PPA.title, moa)
        .outerjoin(Organization, PPA.implementing_org_id == Organization.id)
        .where(PPA.fiscal_year == fiscal_year, PPA.approval_status != ApprovalStatus.REJECTED)
        .order_by(case((covers, 0), else_=1), PPA.code)
    ).all()
    return [(pid, f"{code} — {title} ({org})") for pid, code, title, org in rows]
