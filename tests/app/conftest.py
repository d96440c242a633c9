"""Fixtures of the workbench AppTests: a sample database on both backends, fresh caches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
import streamlit_authenticator.params as auth_params
from workbench_harness import url_of
from workbench_sample import build_sample

from obcms_core.config import get_settings
from obcms_core.services.database import Database


@pytest.fixture(autouse=True)
def fresh_streamlit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No settings, figures or engines carried over from another test; no login pause."""
    # The library pauses before every login check; tests need no pause.
    monkeypatch.setattr(auth_params, "PRE_LOGIN_SLEEP_TIME", 0)
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # disposes the app's engine
    get_settings.cache_clear()


@pytest.fixture
def sample_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The hand-built sample data, on SQLite and PostgreSQL, with the app pointed at it."""
    build_sample(db)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    return db
