"""A few hot statements run straight on PostgreSQL's driver, for the busiest request of all.

SQLAlchemy spends about 0.1-0.2 ms of CPU on every execution (the statement's cache key, an
execution context, result processing) on top of psycopg's own work. A ballot runs four
statements, so that is a fifth of what the API server does per ballot (bench/votes.py). A
`DriverStatement` compiles its Core statement once per PostgreSQL dialect and runs the SQL on the
psycopg connection under the caller's SQLAlchemy connection, in the same transaction.

- Parameters go through the bind processors SQLAlchemy would use (enums to their values, JSON
  to text), so callers pass what they would pass to `Connection.execute`.
- A statement must give a value for every column whose default SQLAlchemy computes in Python
  (it is refused otherwise).
- Rows come back as named tuples of the driver's values (an enum column as its stored string).
- A driver error is raised as the error SQLAlchemy would raise (IntegrityError,
  OperationalError, ...), and a lost connection is invalidated, as SQLAlchemy does.

On other databases the statement is executed by SQLAlchemy as usual.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable


@dataclass(frozen=True)
class _Compiled:
    sql: str
    literals: dict[str, Any]  # values the statement itself binds (constants in .values(...))
    processors: dict[str, Callable[[Any], Any]]


class DriverStatement:
    """A Core statement that runs on psycopg directly on PostgreSQL (see the module)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: weakref.WeakKeyDictionary[Dialect, _Compiled]
        self._compiled = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect)
        if compiled is None:
            done = self.statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            unfit = [name for bind, name in done.bind_names.items()
                     if bind.expanding or bind.callable is not None]
            if unfit:  # SQLAlchemy renders or evaluates these per execution; the driver can't
                raise ValueError(
                    "A statement run on the driver cannot have expanding (IN) or callable"
                    f" parameters: {', '.join(unfit)}."
                )
            computed = [c.name for c in (*done.insert_prefetch, *done.update_prefetch)]
            if computed:  # SQLAlchemy computes these in Python per execution; the driver can't
                raise ValueError(
                    "A statement run on the driver must give every column it writes; these"
                    f" would take a default computed in Python: {', '.join(computed)}."
                )
            literals, processors = {}, {}
            for bind, name in done.bind_names.items():
                if not bind.required:  # a constant of the statement, not a caller's parameter
                    literals[name] = bind.effective_value
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    processors[name] = processor
            compiled = _Compiled(str(done), literals, processors)
            with self._lock:
                self._compiled[dialect] = compiled
        return compiled

    def rows(self, conn: Connection, params: dict[str, Any]) -> list[Any]:
        """Every row the statement returns (none for a statement without RETURNING)."""
        if conn.dialect.name != "postgresql":
            return list(conn.execute(self.statement, params))  # type: ignore[call-overload]
        compiled = self._for(conn.dialect)
        if not conn.in_transaction():
            conn.begin()  # as SQLAlchemy's autobegin would, so the caller's commit commits
        values = {**compiled.literals, **params}
        for name, processor in compiled.processors.items():
            values[name] = processor(values[name])
        driver = conn.connection.driver_connection
        assert driver is not None
        try:
            with driver.cursor(row_factory=namedtuple_row) as cursor:
                cursor.execute(compiled.sql, values)
                return cursor.fetchall() if cursor.description is not None else []
        except psycopg.Error as exc:
            lost = conn.dialect.is_disconnect(exc, driver, None)  # type: ignore[arg-type]
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                compiled.sql, values, exc, psycopg.Error, connection_invalidated=lost,
                dialect=conn.dialect,
            ) from exc

