"""The migrations build exactly the tables the ORM describes, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from obcms_core.adapters.orm import Base
from obcms_core.config import PROJECT_ROOT
from tests.conftest import BACKENDS, Backends

PB_TABLES = {"pb_cycle", "pb_project", "pb_ballot", "pb_ballot_mark", "pb_ballot_submission",
             "notification_outbox"}


def _config(connection) -> Config:
    cfg = Config(str(Path(PROJECT_ROOT / "alembic.ini")))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def test_the_migrated_schema_matches_the_orm_metadata(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert PB_TABLES <= set(inspect(db.engine).get_table_names())


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_pb_migration_steps_down_and_up_again(backends: Backends, backend: str):
    database = backends.new(backend)
    with database.engine.begin() as conn:
        command.downgrade(_config(conn), "0002")
    assert not PB_TABLES & set(inspect(database.engine).get_table_names())
    with database.engine.begin() as conn:
        command.upgrade(_config(conn), "head")
    assert PB_TABLES <= set(inspect(database.engine).get_table_names())
