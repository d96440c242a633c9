"""Shared fixtures: a migrated database on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from obcms_core.adapters.orm import Base
from obcms_core.services.database import Database, migrate, open_database

PG_ENV = "OBCMS_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url_or_skip() -> str:
    """The PostgreSQL test URL; skip (or fail, when CI requires PostgreSQL) without one."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("OBCMS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{PG_ENV} is not set but OBCMS_REQUIRE_POSTGRES=1")
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} to run them")
    return url


def _schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


class Backends:
    """Creates throw-away databases: a SQLite file or a PostgreSQL schema."""

    def __init__(self, tmp_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_factory
        self._schemas: list[tuple[str, str]] = []
        self._dbs: list[Database] = []

    def new(self, backend: str, *, migrated: bool = True) -> Database:
        if backend == "sqlite":
            path = self._tmp.mktemp("db") / "obcms.db"
            db = open_database(f"sqlite:///{path}")
        else:
            base = postgres_url_or_skip()
            schema = f"t_{uuid.uuid4().hex[:12]}"
            admin = open_database(base)
            with admin.engine.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            self._schemas.append((base, schema))
            db = open_database(_schema_url(base, schema))
        if migrated:
            migrate(db)
        self._dbs.append(db)
        return db

    def close(self) -> None:
        for db in self._dbs:
            db.dispose()
        for base, schema in self._schemas:
            admin = open_database(base)
            with admin.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="session")
def backends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backends]:
    factory = Backends(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def _empty_dbs(backends: Backends) -> dict[str, Database]:
    return {}


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest, backends: Backends, _empty_dbs: dict[str, Database]
) -> Iterator[Database]:
    """A migrated database, emptied after the test, on each backend."""
    backend = request.param
    if backend not in _empty_dbs:
        _empty_dbs[backend] = backends.new(backend)
    database = _empty_dbs[backend]
    yield database
    truncate_all(database)


def truncate_all(database: Database) -> None:
    """Delete every row (keeping the schema) so the next test starts empty."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            )
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
