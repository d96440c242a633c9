"""Every revision steps down to an empty database and back up to the schema the ORM describes."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from obcms_core.adapters.orm import Base
from tests.conftest import BACKENDS, Backends
from tests.integration.test_pb_schema import _config


@pytest.mark.parametrize("backend", BACKENDS)
def test_all_revisions_go_down_to_nothing_and_up_to_the_orm_schema(
    backends: Backends, backend: str
):
    database = backends.new(backend)
    with database.engine.begin() as conn:
        command.downgrade(_config(conn), "base")
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    with database.engine.begin() as conn:
        command.upgrade(_config(conn), "head")
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert set(Base.metadata.tables) <= set(inspect(database.engine).get_table_names())
