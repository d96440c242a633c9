"""Liveness probe for load balancers and monitoring."""

from fastapi import APIRouter, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from obcms_core import __version__
from obcms_core.api.deps import UowDep
from obcms_core.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Is the API up, and does its database answer?",
    responses={503: {"model": Health, "description": "The database is not answering."}},
)
def health(uow: UowDep, response: Response) -> Health:
    """200 when the database answers a trivial query, 503 (degraded) when it does not."""
    try:
        uow.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        response.status_code = 503
        return Health(status="degraded", database="unavailable", version=__version__)
    return Health(status="ok", database="ok", version=__version__)
