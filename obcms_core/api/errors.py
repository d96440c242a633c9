"""One place that turns named domain errors into HTTP answers with a one-sentence detail."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slowapi.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError

from obcms_core.api.limits import rate_limit_exceeded
from obcms_core.domain.errors import (
    AuthenticationFailed,
    DatabaseConfigError,
    DatabaseUnavailable,
    DomainError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    TransitionNotPermitted,
    ValidationFailed,
)

# ValidationFailed is 400, not 422: 422 is FastAPI's malformed-request answer, whose body differs.
STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    ValidationFailed: 400,
    PermissionDenied: 403,
    TransitionNotPermitted: 403,
    IllegalTransition: 409,
    AuthenticationFailed: 401,
    DatabaseUnavailable: 503,
    DatabaseConfigError: 503,
}
DB_DOWN = "The database is not answering; try again in a moment."


def status_for(exc: DomainError) -> int:
    """The HTTP status of a domain error (its nearest mapped ancestor; 400 otherwise)."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)


def database_down(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": DB_DOWN}, status_code=503)


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on `app`."""
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(OperationalError, database_down)
    app.add_exception_handler(RateLimitExceeded, rate_limit_exceeded)
