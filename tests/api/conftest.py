"""API fixtures: an app bound to the `db` fixture's database, users to sign in with, PB cycles."""

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from obcms_core.api.app import create_app
from obcms_core.config import Settings
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.pb.cycle import BallotSpec, CountingRule
from obcms_core.services.database import Database
from obcms_core.services.pb import CycleSpec, ProjectSpec, create_cycle
from obcms_core.services.users import UserInfo, create_user

PASSWORD = "correct horse battery"


@pytest.fixture
def settings() -> Settings:
    return Settings(env="development", jwt_ttl_minutes=30, redis_url=None)


@pytest.fixture
def app(db: Database, settings: Settings) -> FastAPI:
    return create_app(settings, db.session_factory, rate_limit=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def add_user(db: Database, username: str, role: Role = Role.BUDGET_OFFICER) -> UserInfo:
    """A committed user with PASSWORD (cheap bcrypt rounds: tests are not attackers)."""
    with db.uow() as uow:
        info = create_user(
            uow, username=username, full_name=f"{username.title()} Santos",
            email=f"{username}@oobc.example", password=PASSWORD, role=role, bcrypt_rounds=4,
        )
        uow.commit()
    return info


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header for a successful sign-in."""
    response = client.post("/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def add_cycle(
    db: Database, name: str, *, opens_in_days: float = -1, closes_in_days: float = 10,
    projects: Sequence[tuple[str, int]] = (("A", 40_000), ("B", 40_000), ("C", 50_000)),
    ballot: BallotSpec | None = None, rule: CountingRule = CountingRule.MES,
    envelope: int = 100_000,
) -> int:
    """A committed cycle whose voting window is placed relative to now (API routes use the
    real clock): the default opened yesterday and closes in ten days."""
    now = datetime.now(UTC)
    with db.uow() as uow:
        cycle_id = create_cycle(
            uow, Actor("planner", Role.PLANNER),
            CycleSpec(
                name=name, fiscal_year=2026, envelope=envelope,
                opens_at=now + timedelta(days=opens_in_days),
                closes_at=now + timedelta(days=closes_in_days),
                ballot=ballot or BallotSpec(), counting_rule=rule,
            ),
            [ProjectSpec(code, f"Project {code}", cost) for code, cost in projects],
        )
        uow.commit()
    return cycle_id
