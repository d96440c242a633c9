"""Open, migrate and describe the configured database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from obcms_core.adapters.db import (
    UnitOfWork,
    check_connection,
    make_engine,
    make_session_factory,
)
from obcms_core.config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


@dataclass(frozen=True)
class Database:
    """An engine and its session factory; create one per process."""

    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, check: bool = True) -> Database:
    """Connect to `url`; raises DatabaseConfigError / DatabaseUnavailable with a clear sentence."""
    engine = make_engine(url)
    if check:
        check_connection(engine)
    return Database(engine, make_session_factory(engine))


def migrate(db: Database) -> None:
    """Bring the schema to the newest Alembic revision (creates it on an empty database)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(Path(PROJECT_ROOT / "alembic.ini")))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def is_initialised(db: Database) -> bool:
    """Whether the schema exists (the migrations have been applied)."""
    return inspect(db.engine).has_table("app_user")
