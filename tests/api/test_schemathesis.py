"""Property-based contract test: no operation answers with a 5xx or an undeclared status."""

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import sessionmaker

from obcms_core.api.app import create_app
from obcms_core.config import Settings
from obcms_core.services.database import Database
from tests.api.conftest import add_user, sign_in

# The OpenAPI document does not depend on the database, so it is read from an unbound app;
# every call goes to the `app` fixture, bound to a real SQLite or PostgreSQL database.
# (schemathesis.pytest.from_fixture would do both, but it breaks on pytest 9.)
unbound = create_app(Settings(env="development", redis_url=None), sessionmaker(), rate_limit=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", unbound)


@pytest.fixture
def bearer(db: Database, app: FastAPI) -> dict[str, str]:
    add_user(db, "ana.budget")
    return sign_in(TestClient(app), "ana.budget")


@schema.parametrize()
@settings(
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_its_documented_contract(
    case: schemathesis.Case, app: FastAPI, bearer: dict[str, str]
) -> None:
    case.call_and_validate(app=app, headers=bearer)
