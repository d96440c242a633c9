"""Statements run straight on the driver behave as SQLAlchemy's own: same values stored, same
rows read, same errors, in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from obcms_core.adapters.driver_sql import DriverStatement
from obcms_core.adapters.orm import AuditLog
from obcms_core.adapters.orm.base import table_of
from obcms_core.domain.enums import ChangeSource

_audit = table_of(AuditLog)
NOW = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
WRITE = DriverStatement(
    insert(_audit).values(
        at=bindparam("when"), username=bindparam("who"),
        source=bindparam("how", type_=_audit.c.source.type),
        action="driver_test", entity="thing", entity_id=bindparam("which"),
        after=bindparam("what", type_=_audit.c.after.type),
    ).returning(_audit.c.id, _audit.c.source)
)
READ = DriverStatement(
    select(_audit.c.username, _audit.c.source, _audit.c.after, _audit.c.action)
    .where(_audit.c.id == bindparam("row_id"))
)


def test_values_go_through_sqlalchemys_bind_processing_and_rows_come_back(db):
    with db.uow() as uow:
        conn = uow.session.connection()
        ((row_id, stored_source),) = WRITE.rows(conn, {
            "when": NOW, "who": "ana", "how": ChangeSource.API, "which": "7",
            "what": {"voter": "user:2", "points": [3, 2], "note": "ñ"},
        })
        uow.commit()
    # the enum is stored as its value (what the ORM reads back), the JSON as JSON
    assert str(stored_source) == "api"
    with db.uow() as uow:
        entry = uow.session.get(AuditLog, row_id)
        assert (entry.username, entry.source, entry.action) == ("ana", ChangeSource.API,
                                                                "driver_test")
        assert entry.after == {"voter": "user:2", "points": [3, 2], "note": "ñ"}
        (row,) = READ.rows(uow.session.connection(), {"row_id": row_id})
    assert (row.username, row.after["points"], row.action) == ("ana", [3, 2], "driver_test")
    with db.engine.connect() as conn:
        assert READ.rows(conn, {"row_id": row_id + 1000}) == []


def test_a_python_side_default_is_refused_on_the_driver_and_filled_by_sqlalchemy_elsewhere(db):
    lazy = DriverStatement(
        insert(_audit).values(username=bindparam("who"), source="ui", action="a", entity="e",
                              entity_id="1").returning(_audit.c.at))  # no `at`: utcnow()
    with db.uow() as uow:
        conn = uow.session.connection()
        if conn.dialect.name == "postgresql":
            with pytest.raises(ValueError, match="default computed in Python: at"):
                lazy.rows(conn, {"who": "ana"})
        else:
            ((at,),) = lazy.rows(conn, {"who": "ana"})
            assert at is not None


def test_a_rolled_back_transaction_keeps_nothing_the_driver_wrote(db):
    with db.uow() as uow:
        ((row_id, _),) = WRITE.rows(uow.session.connection(), {
            "when": NOW, "who": "ana", "how": ChangeSource.UI, "which": "1", "what": None})
    with db.uow() as uow:  # the first was never committed
        assert uow.session.get(AuditLog, row_id) is None


def test_a_write_on_a_connection_not_yet_begun_is_committed_by_its_commit(db):
    with db.engine.connect() as conn:
        ((row_id, _),) = WRITE.rows(conn, {
            "when": NOW, "who": "bea", "how": ChangeSource.UI, "which": "2", "what": None})
        conn.commit()
    with db.uow() as uow:
        assert uow.session.get(AuditLog, row_id).username == "bea"


def test_statements_the_driver_cannot_run_are_refused(db):
    listed = DriverStatement(
        select(_audit.c.id).where(_audit.c.id.in_(bindparam("ids", expanding=True))))
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            with pytest.raises(ValueError, match="expanding"):
                listed.rows(conn, {"ids": [1, 2]})
        else:
            assert listed.rows(conn, {"ids": [1, 2]}) == []


def test_driver_errors_are_sqlalchemys_errors(db):
    with db.uow() as uow, pytest.raises(IntegrityError):
        WRITE.rows(uow.session.connection(), {  # username is NOT NULL
            "when": NOW, "who": None, "how": ChangeSource.UI, "which": "1", "what": None})


@pytest.fixture
def postgres(backends):
    """A migrated PostgreSQL database (ending a server backend is a PostgreSQL matter)."""
    return backends.new("postgresql")


def test_a_lost_connection_is_an_operational_error_and_is_not_reused(postgres):
    db = postgres
    with db.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid})
        with pytest.raises(OperationalError):
            READ.rows(conn, {"row_id": 1})
        assert conn.invalidated
    with db.engine.connect() as fresh:  # the pool hands out a working connection again
        assert fresh.execute(text("SELECT 1")).scalar_one() == 1
