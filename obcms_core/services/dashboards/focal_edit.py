"""Changes to the MOA focal persons registry: appoint, correct, end; each one audited.

Rules (the guide, docs/dashboards-evidence.md, says the same in words):

* administrators edit any MOA's entries; a MOA focal person edits only their own MOA's;
  everyone else reads;
* a MOA has one primary focal person at a time: two primary appointments of one MOA may not
  overlap. Appointing a new primary while another is in office is refused, unless the editor
  asks to hand over, which ends the current primary's appointment the day before the new one
  starts (both changes in one transaction);
* every entry has a name and an e-mail address or a phone number, in a valid form, and an
  appointment never ends before it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import FocalPerson, Organization
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource, FocalRole, OrgType, Role
from obcms_core.domain.errors import NotFound, PermissionDenied, ValidationFailed
from obcms_core.services import audit
from obcms_core.services.dashboards.focal import moa_choices

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ()./-]*$")
PHONE_DIGITS = (7, 15)


@dataclass(frozen=True)
class FocalEntry:
    """What an editor types for one appointment."""

    full_name: str
    role: FocalRole | str
    appointed_on: date
    designation: str | None = None
    email: str | None = None
    phone: str | None = None
    ended_on: date | None = None


def may_edit(actor: Actor, organization_id: int) -> bool:
    """Administrators edit every MOA's entries; a MOA focal person only their own MOA's."""
    if actor.role is Role.ADMIN:
        return True
    return actor.role is Role.MOA_FOCAL and actor.organization_id == organization_id


def editable_moas(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """The MOAs whose entries `actor` may add to or change."""
    return [(i, label) for i, label in moa_choices(uow) if may_edit(actor, i)]


def _require_edit(actor: Actor, org: Organization) -> None:
    if may_edit(actor, org.id):
        return
    if actor.role is Role.MOA_FOCAL:
        raise PermissionDenied(
            f"You may change only your own MOA's focal persons, not those of "
            f"{org.acronym or org.name}."
        )
    raise PermissionDenied(
        "Only administrators and MOA focal persons change the focal persons registry."
    )


def _lock_moa(uow: UnitOfWork, organization_id: int) -> Organization:
    # Locking the MOA row makes edits of one MOA's appointments take turns (PostgreSQL).
    org = uow.session.get(Organization, organization_id, with_for_update=True)
    if org is None:
        raise NotFound(f"There is no organisation with id {organization_id}.")
    if org.org_type != OrgType.MOA:
        raise ValidationFailed(f"{org.name} is not a MOA; focal persons are kept for MOAs.")
    return org


def _optional(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def clean_entry(entry: FocalEntry) -> dict[str, Any]:
    """The entry's values, trimmed, or ValidationFailed saying what to correct."""
    name = entry.full_name.strip()
    if not 0 < len(name) <= 255:
        raise ValidationFailed("Type the focal person's full name (at most 255 characters).")
    try:
        role = FocalRole(entry.role)
    except ValueError as exc:
        raise ValidationFailed("The role is primary, alternate or technical.") from exc
    email, phone = _optional(entry.email), _optional(entry.phone)
    if email is None and phone is None:
        raise ValidationFailed("Give an e-mail address or a phone number, so OOBC can reach them.")
    if email is not None and (len(email) > 255 or not EMAIL_RE.match(email)):
        raise ValidationFailed(f"'{email}' is not an e-mail address (e.g. name@moh.gov.ph).")
    if phone is not None:
        digits = sum(ch.isdigit() for ch in phone)
        low, high = PHONE_DIGITS
        if not PHONE_RE.match(phone) or not low <= digits <= high:
            raise ValidationFailed(
                f"'{phone}' is not a phone number: use {low}–{high} digits, spaces, '-', "
                "'(', ')' and a leading '+' (e.g. +63 917 123 4567 or (062) 991-1234)."
            )
    if entry.ended_on is not None and entry.ended_on < entry.appointed_on:
        raise ValidationFailed(
            f"The appointment cannot end ({entry.ended_on:%Y-%m-%d}) before it starts "
            f"({entry.appointed_on:%Y-%m-%d})."
        )
    designation = _optional(entry.designation)
    if designation is not None and len(designation) > 255:
        raise ValidationFailed("A designation has at most 255 characters.")
    return {"full_name": name, "role": role, "designation": designation, "email": email,
            "phone": phone, "appointed_on": entry.appointed_on, "ended_on": entry.ended_on}


def _overlapping_primaries(
    uow: UnitOfWork, organization_id: int, start: date, end: date | None, exclude: int | None
) -> list[FocalPerson]:
    q = select(FocalPerson).where(
        FocalPerson.organization_id == organization_id,
        FocalPerson.role == FocalRole.PRIMARY,
        or_(FocalPerson.ended_on.is_(None), FocalPerson.ended_on >= start),
    )
    if end is not None:
        q = q.where(FocalPerson.appointed_on <= end)
    if exclude is not None:
        q = q.where(FocalPerson.id != exclude)
    return list(uow.session.scalars(q.order_by(FocalPerson.appointed_on)))


def _period(person: FocalPerson) -> str:
    until = f"to {person.ended_on:%Y-%m-%d}" if person.ended_on else "with no end date"
    return f"{person.full_name}, appointed {person.appointed_on:%Y-%m-%d} {until}"


def _one_primary(org: Organization, clashes: list[FocalPerson]) -> None:
    if clashes:
        raise ValidationFailed(
            f"{org.acronym or org.name} has one primary focal person at a time, and this period "
            f"overlaps {_period(clashes[0])}. End that appointment first, or appoint the new "
            "person as of a later date."
        )


def snapshot(person: FocalPerson) -> dict[str, Any]:
    """An entry's values as the audit log keeps them."""
    return {
        "organization_id": person.organization_id, "full_name": person.full_name,
        "role": FocalRole(person.role).value, "designation": person.designation,
        "email": person.email, "phone": person.phone,
        "appointed_on": person.appointed_on.isoformat(),
        "ended_on": person.ended_on.isoformat() if person.ended_on else None,
    }


def _audit(uow: UnitOfWork, actor: Actor, source: ChangeSource, action: str,
           person: FocalPerson, before: dict[str, Any] | None) -> None:
    audit.record(uow, username=actor.username, source=source, action=action,
                 entity="focal_person", entity_id=person.id, before=before,
                 after=snapshot(person))


def _get(uow: UnitOfWork, focal_id: int) -> FocalPerson:
    person = uow.session.get(FocalPerson, focal_id)
    if person is None:
        raise NotFound(f"There is no focal person entry {focal_id}; it may have been removed.")
    return person


def appoint_focal_person(
    uow: UnitOfWork, actor: Actor, organization_id: int, entry: FocalEntry, *,
    hand_over: bool = False, source: ChangeSource = ChangeSource.UI,
) -> int:
    """Add an appointment to a MOA; with `hand_over`, a new primary replaces the one in office."""
    org = _lock_moa(uow, organization_id)
    _require_edit(actor, org)
    values = clean_entry(entry)
    if values["role"] is FocalRole.PRIMARY:
        start, end = values["appointed_on"], values["ended_on"]
        clashes = _overlapping_primaries(uow, org.id, start, end, None)
        if hand_over:
            for current in [c for c in clashes if c.appointed_on < start]:
                before = snapshot(current)
                current.ended_on = start - timedelta(days=1)
                _audit(uow, actor, source, "end", current, before)
            uow.session.flush()
            clashes = _overlapping_primaries(uow, org.id, start, end, None)
        _one_primary(org, clashes)
    person = FocalPerson(organization_id=org.id, **values)
    uow.session.add(person)
    uow.session.flush()
    _audit(uow, actor, source, "appoint", person, None)
    return person.id


def update_focal_person(
    uow: UnitOfWork, actor: Actor, focal_id: int, entry: FocalEntry, *,
    source: ChangeSource = ChangeSource.UI,
) -> bool:
    """Correct an entry's name, role, contacts or dates; False when nothing changed."""
    person = _get(uow, focal_id)
    org = _lock_moa(uow, person.organization_id)
    _require_edit(actor, org)
    values = clean_entry(entry)
    before = snapshot(person)
    if values["role"] is FocalRole.PRIMARY:
        _one_primary(org, _overlapping_primaries(
            uow, org.id, values["appointed_on"], values["ended_on"], person.id))
    for key, value in values.items():
        setattr(person, key, value)
    if snapshot(person) == before:
        return False
    uow.session.flush()
    _audit(uow, actor, source, "update", person, before)
    return True


def end_appointment(
    uow: UnitOfWork, actor: Actor, focal_id: int, ended_on: date, *,
    source: ChangeSource = ChangeSource.UI,
) -> None:
    """End an appointment on `ended_on` (the last day in office)."""
    person = _get(uow, focal_id)
    org = _lock_moa(uow, person.organization_id)
    _require_edit(actor, org)
    if person.ended_on is not None:
        raise ValidationFailed(
            f"{person.full_name}'s appointment already ended on {person.ended_on:%Y-%m-%d}. "
            "Correct the date in the entry itself if it is wrong."
        )
    if ended_on < person.appointed_on:
        raise ValidationFailed(
            f"The appointment cannot end ({ended_on:%Y-%m-%d}) before it started "
            f"({person.appointed_on:%Y-%m-%d})."
        )
    before = snapshot(person)
    person.ended_on = ended_on
    uow.session.flush()
    _audit(uow, actor, source, "end", person, before)


def focal_entry(uow: UnitOfWork, focal_id: int) -> tuple[int, FocalEntry]:
    """An entry's MOA and values, to fill the edit form."""
    person = _get(uow, focal_id)
    return person.organization_id, FocalEntry(
        full_name=person.full_name, role=FocalRole(person.role),
        appointed_on=person.appointed_on, designation=person.designation, email=person.email,
        phone=person.phone, ended_on=person.ended_on,
    )
