"""Pooled PostgreSQL connections the server has ended are replaced on checkout, without a ping."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from obcms_core.adapters.db import make_engine
from tests.conftest import postgres_url_or_skip


@pytest.fixture
def engine():
    engine = make_engine(postgres_url_or_skip(), pool_size=3)
    yield engine
    engine.dispose()


def _pid(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_whose_backend_was_ended_is_replaced_before_use(engine):
    first = _pid(engine)
    assert _pid(engine) == first  # an idle, healthy connection is reused
    with make_engine(postgres_url_or_skip()).connect() as admin:
        assert admin.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": first}).scalar()
        admin.commit()  # (returns once the backend has exited)
    # the server has closed the pooled connection: the next checkout opens a new one, and the
    # caller never sees the dead one
    second = _pid(engine)
    assert second != first
    assert _pid(engine) == second


def test_a_healthy_checkout_sends_no_ping(engine, monkeypatch):
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    for _ in range(3):
        _pid(engine)
    assert pings == []  # the checkout looked at the socket only
