"""Engines, sessions and the unit of work; clear messages for bad or unreachable URLs."""

from __future__ import annotations

import select
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from obcms_core.domain.errors import DatabaseConfigError, DatabaseUnavailable

SUPPORTED = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def parse_database_url(raw: str) -> URL:
    """The URL with the psycopg 3 driver filled in; DatabaseConfigError when malformed."""
    try:
        url = make_url(raw.strip())
    except ArgumentError as exc:
        raise DatabaseConfigError(
            "OBCMS_DATABASE_URL is not a database URL "
            "(expected sqlite:///path.db or postgresql+psycopg://user:pass@host:5432/db)."
        ) from exc
    backend = url.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseConfigError(
            f"OBCMS_DATABASE_URL names '{backend}', but only SQLite and PostgreSQL are supported."
        )
    if backend == "postgresql" and url.get_driver_name() not in ("psycopg", ""):
        raise DatabaseConfigError("Use the psycopg 3 driver: postgresql+psycopg://...")
    if backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: URL) -> str:
    """A URL for messages, without its password."""
    return url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _drop_if_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """On checkout, replace a PostgreSQL connection the server has closed, without a round trip.

    When a server restarts, ends a backend or times out an idle session, it sends a last
    message and closes the socket, so the socket turns readable while the connection sits
    idle in the pool; a healthy idle connection has nothing to read. A zero-timeout poll of
    the socket therefore tells a dead connection from a live one for a few microseconds,
    where a ping (SELECT 1) costs a round trip on every checkout, the dearest part of a small
    request such as a ballot. Raising DisconnectionError makes the pool open a new connection.
    A link that dies silently (no FIN) errors the socket once TCP keepalives give up (about a
    minute idle, see make_engine), which the poll also reports; before that, the first
    statement's error invalidates the connection.
    """
    pgconn = dbapi_connection.pgconn
    if dbapi_connection.closed or pgconn.status != 0:  # 0: CONNECTION_OK
        raise DisconnectionError("the database connection is closed")
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)  # errors/hang-up always
    if poller.poll(0):
        raise DisconnectionError("the database server closed or spoke on an idle connection")


def make_engine(raw_url: str, **kwargs: Any) -> Engine:
    """An engine for the configured database (SQLite enforces foreign keys too)."""
    url = parse_database_url(raw_url)
    try:
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            kwargs.setdefault("pool_size", 10)
            kwargs.setdefault("max_overflow", 20)
            # TCP keepalives: a link that dies silently (host down, NAT timeout) errors the
            # socket within about a minute of idling, which the checkout poll then sees.
            engine = create_engine(url, connect_args={
                "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 30,
                "keepalives_interval": 10, "keepalives_count": 3,
            }, **kwargs)
            if not kwargs.get("pool_pre_ping"):
                event.listen(engine, "checkout", _drop_if_closed)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseConfigError(f"Cannot use OBCMS_DATABASE_URL {describe(url)}: {exc}") from exc
    return engine


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with one readable sentence if the database does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"Cannot reach the database at {describe(engine.url)} ({reason}). "
            "Check that the server is running and OBCMS_DATABASE_URL is right."
        ) from exc


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class UnitOfWork:
    """One database transaction per user action: rolled back unless commit() is called."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._factory = session_factory
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()


@contextmanager
def unit_of_work(session_factory: Callable[[], Session]) -> Iterator[UnitOfWork]:
    """`with unit_of_work(factory) as uow: ...; uow.commit()`."""
    with UnitOfWork(session_factory) as uow:
        yield uow
