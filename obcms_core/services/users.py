"""User accounts: bcrypt-hashed passwords, roles, login checks, authenticator credentials."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import bcrypt
from sqlalchemy import bindparam, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.driver_sql import DriverStatement
from obcms_core.adapters.orm import Organization, User
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource, Role
from obcms_core.domain.errors import AuthenticationFailed, NotFound, ValidationFailed
from obcms_core.services import audit

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD = 10
# Checked when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(rounds=12)).decode()


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    email: str
    role: Role
    organization_id: int | None

    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.organization_id)


def hash_password(password: str, rounds: int = 12) -> str:
    """A bcrypt hash of the password (bcrypt reads at most 72 bytes)."""
    return bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(rounds=rounds)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode()[:72], password_hash.encode())


def _info(user: Any) -> UserInfo:
    """A user's public facts, from anything with the user's columns as attributes: the mapped
    row, or a plain query's row (a named tuple from the driver on PostgreSQL)."""
    return UserInfo(
        user.id, user.username, user.full_name, user.email, Role(user.role), user.organization_id
    )


def create_user(
    uow: UnitOfWork,
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    role: Role | str,
    organization_acronym: str | None = None,
    actor: str = "system",
    source: ChangeSource = ChangeSource.CLI,
    is_demo: bool = False,
    bcrypt_rounds: int = 12,
) -> UserInfo:
    """Add a user; usernames are unique and lower-case, passwords at least 10 characters."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationFailed(
            "A username has 3–40 characters: lower-case letters, digits, '.', '_' or '-'."
        )
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"A password needs at least {MIN_PASSWORD} characters.")
    if not 0 < len(full_name.strip()) <= 255:
        raise ValidationFailed("A full name has 1–255 characters.")
    if "@" not in email or len(email) > 255:
        raise ValidationFailed(f"'{email}' is not an e-mail address.")
    try:
        role = Role(role)
    except ValueError as exc:
        names = ", ".join(r.value for r in Role)
        raise ValidationFailed(f"Unknown role '{role}'. Roles: {names}.") from exc
    session = uow.session
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationFailed(f"The username '{username}' is already taken.")
    org_id = None
    if organization_acronym:
        org_id = session.scalar(
            select(Organization.id).where(Organization.acronym == organization_acronym.upper())
        )
        if org_id is None:
            raise ValidationFailed(f"No organisation has the acronym '{organization_acronym}'.")
    if role is Role.MOA_FOCAL and org_id is None:
        raise ValidationFailed("A MOA focal person must belong to a MOA (give its acronym).")
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password, bcrypt_rounds),
        role=role,
        organization_id=org_id,
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    audit.record(
        uow,
        username=actor,
        source=source,
        action="create",
        entity="user",
        entity_id=user.id,
        after={"username": username, "role": role.value, "organization_id": org_id},
    )
    return _info(user)


def authenticate(uow: UnitOfWork, username: str, password: str) -> UserInfo:
    """The active user with this name and password, or AuthenticationFailed."""
    user = uow.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.is_active:
        verify_password(password, _DUMMY_HASH)
        raise AuthenticationFailed("Unknown username or wrong password.")
    if not verify_password(password, user.password_hash):
        raise AuthenticationFailed("Unknown username or wrong password.")
    return _info(user)


_ACTIVE_USER = DriverStatement(select(
    User.id, User.username, User.full_name, User.email, User.role, User.organization_id
).where(User.username == bindparam("username"), User.is_active.is_(True)))


def get_user(uow: UnitOfWork, username: str) -> UserInfo | None:
    """The active user with this name (one plain query: every API request asks it)."""
    rows = _ACTIVE_USER.rows(uow.session.connection(), {"username": username})
    return _info(rows[0]) if rows else None


def authenticator_credentials(uow: UnitOfWork) -> dict[str, Any]:
    """Active users in the shape streamlit-authenticator expects (hashes, never passwords)."""
    users = uow.session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id))
    return {
        "usernames": {
            u.username: {
                "email": u.email,
                "first_name": u.full_name.split(" ")[0],
                "last_name": " ".join(u.full_name.split(" ")[1:]),
                "password": u.password_hash,
                "roles": [Role(u.role).value],
                "failed_login_attempts": 0,
                "logged_in": False,
            }
            for u in users
        }
    }


def deactivate_user(
    uow: UnitOfWork, username: str, actor: str, source: ChangeSource = ChangeSource.UI
) -> None:
    """Disable an account: it can no longer sign in, and its API tokens stop working."""
    user = uow.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"There is no user '{username}'.")
    if user.is_active:
        user.is_active = False
        audit.record(
            uow,
            username=actor,
            source=source,
            action="deactivate",
            entity="user",
            entity_id=user.id,
            before={"is_active": True},
            after={"is_active": False},
        )
