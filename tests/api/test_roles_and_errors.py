"""Role checks and the one mapping from domain errors to HTTP answers, via routes mounted here."""

from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from obcms_core.api.deps import UowDep, require_roles
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import (
    DomainError,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    TransitionNotPermitted,
    ValidationFailed,
)
from obcms_core.services.database import Database
from obcms_core.services.users import UserInfo
from tests.api.conftest import add_user, sign_in

AdminOrExecutive = Annotated[UserInfo, Depends(require_roles(Role.ADMIN, Role.EXECUTIVE))]
ERRORS: dict[str, DomainError] = {
    "not-found": NotFound("No PPA has the code X-1."),
    "invalid": ValidationFailed("The allocation exceeds the ceiling."),
    "denied": PermissionDenied("Only admins may do this."),
    "not-permitted": TransitionNotPermitted("Planners may not approve a PPA."),
    "illegal": IllegalTransition("An enacted PPA cannot go back to draft."),
    "other": DomainError("Something a user can fix."),
}

probe = APIRouter(prefix="/probe")


@probe.get("/executive-summary")
def executive_summary(user: AdminOrExecutive) -> dict[str, str]:
    return {"reader": user.username}


@probe.get("/raise/{name}")
def raise_error(name: str, uow: UowDep) -> None:
    raise ERRORS[name]


@pytest.fixture
def probed(app: FastAPI) -> TestClient:
    app.include_router(probe)
    return TestClient(app)


def test_a_role_outside_the_list_is_refused_with_403(db: Database, probed: TestClient) -> None:
    add_user(db, "ben.planner", Role.PLANNER)
    response = probed.get("/probe/executive-summary", headers=sign_in(probed, "ben.planner"))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only these roles may do this: Admin, Executive. You are signed in as Planner."
    }


def test_a_role_in_the_list_passes(db: Database, probed: TestClient) -> None:
    add_user(db, "cora.exec", Role.EXECUTIVE)
    response = probed.get("/probe/executive-summary", headers=sign_in(probed, "cora.exec"))
    assert response.status_code == 200
    assert response.json() == {"reader": "cora.exec"}


def test_a_role_check_without_a_token_is_401_not_403(probed: TestClient) -> None:
    assert probed.get("/probe/executive-summary").status_code == 401


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("not-found", 404),
        ("invalid", 400),
        ("denied", 403),
        ("not-permitted", 403),
        ("illegal", 409),
        ("other", 400),
    ],
)
def test_domain_errors_become_http_answers_carrying_their_sentence(
    probed: TestClient, name: str, status: int
) -> None:
    response = probed.get(f"/probe/raise/{name}")
    assert response.status_code == status
    assert response.json() == {"detail": str(ERRORS[name])}
