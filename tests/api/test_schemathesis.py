"""Property-based contract test: no operation answers with a 5xx or an undeclared status."""

from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from sqlalchemy.orm import sessionmaker

from obcms_core.api.app import create_app
from obcms_core.config import Settings
from obcms_core.services.database import Database
from obcms_core.services.pb import BallotChoice, clear_tally_cache, submit_ballot
from tests.api.conftest import add_cycle, add_user, sign_in

# The OpenAPI document does not depend on the database, so it is read from an unbound app;
# every call goes to the `app` fixture, bound to a real SQLite or PostgreSQL database.
# (schemathesis.pytest.from_fixture would do both, but it breaks on pytest 9.)
unbound = create_app(Settings(env="development", redis_url=None), sessionmaker(), rate_limit=False)
# A ballot can fit the schema and still break its cycle's rules (an unknown project code, too
# many choices): the API answers 422 with the problems, which the schema cannot foresee.
CONFIG = SchemathesisConfig.from_dict({
    "operations": [{
        "include-path": "/pb/cycles/{cycle_id}/my-ballot",
        "include-method": "PUT",
        "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "404", "409", "422", "429"]}},
    }],
})
schema = schemathesis.openapi.from_asgi("/openapi.json", unbound, config=CONFIG)


@pytest.fixture
def bearer(db: Database, app: FastAPI) -> dict[str, str]:
    add_user(db, "ana.budget")
    return sign_in(TestClient(app), "ana.budget")


@pytest.fixture
def pb_cycles(db: Database) -> None:
    """Cycle 1 closed with three ballots (results are counted), cycle 2 open for voting, with
    the projects the documented ballot example names; the path examples are these ids."""
    clear_tally_cache()
    closed = add_cycle(db, "Counted round", opens_in_days=-30, closes_in_days=-1)
    add_cycle(db, "Open round", projects=(("N7", 50_000), ("N12", 40_000)))
    with db.uow() as uow:
        for voter, projects in (("v1", ["A", "B"]), ("v2", ["B"]), ("v3", ["C"])):
            submit_ballot(uow, closed, voter, BallotChoice(projects),
                          now=datetime.now(UTC) - timedelta(days=10))
        uow.commit()


@schema.parametrize()
@settings(
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_its_documented_contract(
    case: schemathesis.Case, app: FastAPI, bearer: dict[str, str], pb_cycles: None
) -> None:
    case.call_and_validate(app=app, headers=bearer)
