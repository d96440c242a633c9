"""Request and response shapes of the API; every field is bounded."""

from typing import Annotated, Any, Literal

from fastapi import Form
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from obcms_core.domain.enums import Role

MAX_TOKEN_SECONDS = 31 * 24 * 3600


class ErrorBody(BaseModel):
    """Every refusal carries one sentence that says what went wrong and what to do."""

    detail: str = Field(max_length=2000, examples=["Unknown username or wrong password."])


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The request breaks a business rule.",
    401: "Missing, invalid or expired credentials.",
    403: "Your role may not perform this action.",
    404: "The record does not exist.",
    409: "The record's current status does not allow this change.",
    422: "The request is malformed.",
    429: "Too many requests; wait before trying again.",
    503: "The database is not answering.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` declaration for the refusals a route can give."""
    return {code: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[code]} for code in codes}


class Health(BaseModel):
    """Liveness of the API and of its database."""

    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]
    version: str = Field(max_length=40)


class Token(BaseModel):
    """A bearer token for the Authorization header."""

    access_token: str = Field(max_length=4096)
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(ge=1, le=MAX_TOKEN_SECONDS, description="Seconds until it expires.")


class UserPublic(BaseModel):
    """The signed-in user as partners may see them (no e-mail, no password hash)."""

    model_config = ConfigDict(from_attributes=True)

    username: str = Field(max_length=40)
    full_name: str = Field(max_length=255)
    role: Role
    organization_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class LoginForm(OAuth2PasswordRequestForm):
    """The OAuth2 password form with bounded fields (the /docs "Authorize" button sends it)."""

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern="^password$", max_length=8)] = None,
        username: Annotated[str, Form(min_length=1, max_length=64)],
        password: Annotated[
            str, Form(min_length=1, max_length=256, json_schema_extra={"format": "password"})
        ],
        scope: Annotated[str, Form(max_length=200)] = "",
        client_id: Annotated[str | None, Form(max_length=100)] = None,
        client_secret: Annotated[
            str | None, Form(max_length=200, json_schema_extra={"format": "password"})
        ] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )
