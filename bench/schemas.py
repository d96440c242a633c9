"""A throw-away PostgreSQL schema for a benchmark run: created, migrated, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from obcms_core.services.database import Database, migrate, open_database


@contextmanager
def fresh_schema(pg_url: str) -> Iterator[tuple[Database, str]]:
    """A migrated, empty PostgreSQL schema and its URL; dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = open_database(pg_url)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url).set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    db = open_database(rendered)
    try:
        migrate(db)
        yield db, rendered
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
