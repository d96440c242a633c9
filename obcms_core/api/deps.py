"""Dependencies shared by routes: settings, one unit of work per request, the signed-in user."""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from obcms_core.adapters.db import UnitOfWork
from obcms_core.api.security import username_from_token
from obcms_core.config import Settings
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import AuthenticationFailed, PermissionDenied
from obcms_core.services.users import UserInfo, get_user

TOKEN_URL = "/auth/token"
# auto_error=False: a missing token gets the same one-sentence 401 as a bad one.
bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    """One transaction per request, rolled back unless the route commits."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with UnitOfWork(factory) as uow:
        yield uow


SettingsDep = Annotated[Settings, Depends(get_settings)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def get_session(uow: UowDep) -> Session:
    return uow.session


SessionDep = Annotated[Session, Depends(get_session)]
BearerToken = Annotated[str | None, Depends(bearer)]


def get_current_user(token: BearerToken, uow: UowDep, settings: SettingsDep) -> UserInfo:
    """The active user a valid bearer token names; a disabled account loses access at once."""
    if not token:
        raise AuthenticationFailed("Sign in first: send 'Authorization: Bearer <token>'.")
    user = get_user(uow, username_from_token(token, settings))
    if user is None:
        raise AuthenticationFailed("This account no longer exists or has been disabled.")
    return user


CurrentUser = Annotated[UserInfo, Depends(get_current_user)]


def require_roles(*roles: Role) -> Callable[[UserInfo], UserInfo]:
    """A dependency that lets only the named roles through (403 for everyone else)."""
    allowed = frozenset(roles)
    names = ", ".join(sorted(role.label for role in allowed))

    def check_role(user: CurrentUser) -> UserInfo:
        if user.role not in allowed:
            raise PermissionDenied(
                f"Only these roles may do this: {names}. You are signed in as {user.role.label}."
            )
        return user

    return check_role
