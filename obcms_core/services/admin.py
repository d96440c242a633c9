"""Administration views: who has an account, and the audit log of changes."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import AuditLog, Organization, User
from obcms_core.domain.clock import as_utc
from obcms_core.domain.enums import ChangeSource, OrgType, Role

# How each source of change reads in the log.
SOURCE_NAMES = {
    ChangeSource.UI: "Workbench",
    ChangeSource.API: "API",
    ChangeSource.CLI: "Command line",
    ChangeSource.PIPELINE: "Import",
}


@dataclass(frozen=True)
class AuditFilters:
    entity: str | None = None
    username: str | None = None


def list_users(uow: UnitOfWork) -> pd.DataFrame:
    """Every account with its role and organisation (never the password hash)."""
    org = func.coalesce(Organization.acronym, Organization.name, "")
    rows = uow.session.execute(
        select(
            User.username, User.full_name, User.email, User.role, org.label("organization"),
            User.is_active, User.is_demo, User.created_at,
        )
        .outerjoin(Organization, User.organization_id == Organization.id)
        .order_by(User.username)
    ).all()
    return pd.DataFrame(
        [
            (u, name, email, Role(role).label, o, active, demo, as_utc(created))
            for u, name, email, role, o, active, demo, created in rows
        ],
        columns=[
            "username", "full_name", "email", "role", "organization", "active", "demo",
            "created_at",
        ],
    )


def any_users(uow: UnitOfWork) -> bool:
    """Whether anyone can sign in yet (an empty database has no accounts)."""
    return uow.session.scalar(select(User.id).limit(1)) is not None


def organization_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(acronym, name) of organisations a user can belong to, MOAs first."""
    rows = uow.session.execute(
        select(Organization.acronym, Organization.name)
        .where(Organization.acronym.is_not(None), Organization.is_active.is_(True))
        .order_by((Organization.org_type != OrgType.MOA), Organization.acronym)
    ).all()
    return [(str(acronym), name) for acronym, name in rows]


def audit_entries(uow: UnitOfWork, filters: AuditFilters, *, limit: int = 200) -> pd.DataFrame:
    """The latest changes, newest first, optionally for one kind of record or one person."""
    q = select(
        AuditLog.at, AuditLog.username, AuditLog.source, AuditLog.action, AuditLog.entity,
        AuditLog.entity_id, AuditLog.before, AuditLog.after,
    )
    if filters.entity:
        q = q.where(AuditLog.entity == filters.entity)
    if filters.username:
        q = q.where(AuditLog.username == filters.username)
    rows = uow.session.execute(q.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit))
    return pd.DataFrame(
        [
            (as_utc(at), who, SOURCE_NAMES[ChangeSource(src)], act, ent, eid, _text(b), _text(a))
            for at, who, src, act, ent, eid, b, a in rows
        ],
        columns=["at", "username", "source", "action", "entity", "entity_id", "before", "after"],
    )


def audit_filter_options(uow: UnitOfWork) -> tuple[list[str], list[str]]:
    """The kinds of record and the people that appear in the audit log."""
    s = uow.session
    entities = list(s.scalars(select(AuditLog.entity).distinct().order_by(AuditLog.entity)))
    people = list(s.scalars(select(AuditLog.username).distinct().order_by(AuditLog.username)))
    return entities, people


def _text(values: object) -> str:
    if not values:
        return ""
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
