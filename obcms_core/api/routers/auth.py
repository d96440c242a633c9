"""Sign-in for API clients: exchange a username and password for a bearer token."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from slowapi import Limiter
from slowapi.util import get_remote_address

from obcms_core.api.deps import CurrentUser, SettingsDep, UowDep
from obcms_core.api.limits import LOGIN_PER_CLIENT, LOGIN_PER_USER, login_key
from obcms_core.api.schemas import LoginForm, Token, UserPublic, error_responses
from obcms_core.api.security import issue_access_token
from obcms_core.services.users import authenticate


def login_form(request: Request, form: Annotated[LoginForm, Depends()]) -> LoginForm:
    # The rate limiter's key function sees only the request, so leave the username there.
    request.state.login_username = form.username.strip().lower()
    return form


def issue_token(
    request: Request,
    form: Annotated[LoginForm, Depends(login_form)],
    uow: UowDep,
    settings: SettingsDep,
) -> Token:
    """A bearer token for an active user whose password matches."""
    user = authenticate(uow, form.username, form.password)
    issued = issue_access_token(user, settings)
    return Token(access_token=issued.token, expires_in=issued.expires_in)


def read_me(user: CurrentUser) -> UserPublic:
    """The user the bearer token belongs to."""
    return UserPublic.model_validate(user)


def build_router(limiter: Limiter) -> APIRouter:
    """The /auth routes, with sign-in counted by this app's limiter."""
    limited = limiter.limit(
        LOGIN_PER_USER,
        key_func=login_key,
        error_message="Too many sign-in attempts for this username.",
    )(
        limiter.limit(
            LOGIN_PER_CLIENT,
            key_func=get_remote_address,
            error_message="Too many sign-in attempts from your address.",
        )(issue_token)
    )
    router = APIRouter(prefix="/auth", tags=["authentication"])
    router.add_api_route(
        "/token",
        limited,
        methods=["POST"],
        summary="Sign in with username and password (OAuth2 password form)",
        responses=error_responses(401, 429, 503),
    )
    router.add_api_route(
        "/me",
        read_me,
        methods=["GET"],
        summary="Who am I?",
        responses=error_responses(401, 503),
    )
    return router
