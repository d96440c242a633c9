"""Signed access tokens (JWT, HS256) for users of the workbench's own users table."""

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from obcms_core.config import Settings
from obcms_core.domain.errors import AuthenticationFailed
from obcms_core.services.users import UserInfo

ALGORITHM = "HS256"
VERIFIED_TOKENS = 8192  # distinct tokens whose signature is remembered per process


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
    """The username a valid, unexpired token was issued to; AuthenticationFailed otherwise.

    A token's signature is checked once per process (a voter's requests repeat the same
    token); its expiry is checked on every call.
    """
    subject, expires = _verified(token, settings.secret_key.get_secret_value())
    if expires <= time.time():
        raise AuthenticationFailed("The access token has expired; sign in again.")
    return subject


@lru_cache(maxsize=VERIFIED_TOKENS)
def _verified(token: str, secret: str) -> tuple[str, float]:
    """(subject, expiry as a Unix time) of a token signed with `secret`; raises if it is not."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed("The access token has expired; sign in again.") from None
    except jwt.InvalidTokenError:
        raise AuthenticationFailed("The access token is not valid; sign in again.") from None
    return str(claims["sub"]), float(claims["exp"])
