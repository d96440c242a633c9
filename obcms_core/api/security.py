"""Signed access tokens (JWT, HS256) for users of the workbench's own users table."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from obcms_core.config import Settings
from obcms_core.domain.errors import AuthenticationFailed
from obcms_core.services.users import UserInfo

ALGORITHM = "HS256"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int


def issue_access_token(
    user: UserInfo, settings: Settings, *, now: datetime | None = None
) -> IssuedToken:
    """A token naming the user and role, valid for OBCMS_JWT_TTL_MINUTES from now."""
    issued = now or datetime.now(UTC)
    ttl = timedelta(minutes=settings.jwt_ttl_minutes)
    claims = {"sub": user.username, "role": user.role.value, "iat": issued, "exp": issued + ttl}
    token = jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)
    return IssuedToken(token, int(ttl.total_seconds()))


def username_from_token(token: str, settings: Settings) -> str:
    """The username a valid, unexpired token was issued to; AuthenticationFailed otherwise."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed("The access token has expired; sign in again.") from None
    except jwt.InvalidTokenError:
        raise AuthenticationFailed("The access token is not valid; sign in again.") from None
    return str(claims["sub"])
