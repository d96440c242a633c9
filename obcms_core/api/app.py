"""The FastAPI application factory for the companion API."""

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from obcms_core import __version__
from obcms_core.api.errors import install_error_handlers
from obcms_core.api.limits import build_limiter
from obcms_core.api.routers import auth, health, pb_public, pb_voting
from obcms_core.config import Settings

DESCRIPTION = (
    "Companion API of the OBCMS Planning & Budgeting Workbench (Office for Other Bangsamoro "
    "Communities). Sign in at `POST /auth/token` and send `Authorization: Bearer <token>`. "
    'Refusals carry `{"detail": "<one sentence>"}`.'
)


def create_app(
    settings: Settings, session_factory: sessionmaker[Session], *, rate_limit: bool = True
) -> FastAPI:
    """An API bound to one database; `rate_limit=False` switches sign-in limits off (tests)."""
    app = FastAPI(
        title="OBCMS Planning & Budgeting API",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    limiter = build_limiter(settings, enabled=rate_limit)
    app.state.limiter = limiter
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(auth.build_router(limiter))
    app.include_router(pb_public.build_router(limiter))
    app.include_router(pb_voting.build_router(limiter))
    return app


def app_from_environment() -> FastAPI:
    """The API as each uvicorn worker process builds it (settings from the OBCMS_* environment).

    `uvicorn obcms_core.api.app:app_from_environment --factory --workers N` runs N processes.
    """
    from obcms_core.config import get_settings
    from obcms_core.services.database import open_database

    settings = get_settings()
    return create_app(settings, open_database(settings.database_url).session_factory)
