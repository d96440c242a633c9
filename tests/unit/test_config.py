"""Configuration refuses unsafe defaults and bad database URLs with one clear sentence."""

from __future__ import annotations

import pytest

from obcms_core.adapters.db import make_engine, parse_database_url
from obcms_core.config import Settings, SettingsError, get_settings
from obcms_core.domain.errors import DatabaseConfigError, DatabaseUnavailable
from obcms_core.services.database import open_database


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch):
    for name in ("OBCMS_ENV", "OBCMS_SECRET_KEY", "OBCMS_COOKIE_KEY", "OBCMS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_development_runs_on_the_default_secrets_and_a_sqlite_file():
    settings = Settings()
    assert settings.is_development
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith(
        "obcms.db"
    )


def test_production_refuses_the_development_secrets(monkeypatch):
    monkeypatch.setenv("OBCMS_ENV", "production")
    with pytest.raises(SettingsError, match="OBCMS_SECRET_KEY must be set"):
        get_settings()


def test_production_accepts_long_random_secrets(monkeypatch):
    monkeypatch.setenv("OBCMS_ENV", "production")
    monkeypatch.setenv("OBCMS_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("OBCMS_COOKIE_KEY", "c" * 40)
    assert get_settings().env == "production"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("mysql://u@h/db", "only SQLite and PostgreSQL"),
        ("postgresql+asyncpg://u@h/db", "psycopg 3"),
    ],
)
def test_a_malformed_database_url_gets_one_clear_sentence(url, message):
    with pytest.raises(DatabaseConfigError, match=message):
        make_engine(url)


def test_a_plain_postgresql_url_uses_psycopg_3():
    assert parse_database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_an_unreachable_database_says_so_without_the_password():
    with pytest.raises(DatabaseUnavailable, match="Cannot reach the database") as err:
        open_database("postgresql://user:secret-pw@127.0.0.1:1/obcms")
    assert "secret-pw" not in str(err.value)
