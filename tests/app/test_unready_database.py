"""A misconfigured, unreachable, empty or failing database: one clear sentence, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from workbench_harness import open_app, signed_in, texts, url_of

from obcms_core.adapters.orm import Base
from obcms_core.services.database import Database, migrate, open_database


def only_message(at) -> str:  # type: ignore[no-untyped-def]
    """The one message on the page; nothing else is shown, nothing was raised."""
    assert not at.exception
    messages = texts(at.error) + texts(at.warning)
    assert len(messages) == 1, messages
    assert not at.title and not at.dataframe and not at.text_input
    return messages[0]


def test_a_malformed_database_url_is_explained_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OBCMS_DATABASE_URL", "not a database url")
    assert only_message(open_app().run()) == (
        "OBCMS_DATABASE_URL is not a database URL "
        "(expected sqlite:///path.db or postgresql+psycopg://user:pass@host:5432/db)."
    )


def test_an_unsupported_database_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBCMS_DATABASE_URL", "mysql://root@localhost/obcms")
    assert only_message(open_app().run()) == (
        "OBCMS_DATABASE_URL names 'mysql', but only SQLite and PostgreSQL are supported."
    )


def test_an_unreachable_server_says_what_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBCMS_DATABASE_URL", "postgresql+psycopg://obcms:secret@127.0.0.1:1/x")
    message = only_message(open_app().run())
    assert message.startswith("Cannot reach the database at postgresql+psycopg://obcms:***@")
    assert message.endswith("Check that the server is running and OBCMS_DATABASE_URL is right.")
    assert "secret" not in message


def test_settings_refused_outside_development_are_explained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OBCMS_ENV", "production")
    assert "OBCMS_SECRET_KEY must be set to a random value" in only_message(open_app().run())


def test_a_database_without_tables_says_to_run_make_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OBCMS_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    message = only_message(open_app().run())
    assert message.startswith("The database has no tables yet: run `make run`")


def test_an_empty_database_says_to_load_the_demo_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(empty)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(empty))
    at = open_app().run()
    assert texts(at.warning) == [
        "The database is empty: run `make run` or `python -m obcms_core seed-demo` to load the "
        "demo data and accounts (or add a real account with `python -m obcms_core create-user`)."
    ]
    assert only_message(at)
    empty.dispose()


def test_a_table_lost_while_the_app_runs_shows_one_sentence(sample_db: Database) -> None:
    at = signed_in("planner")
    history = Base.metadata.tables["ppa_status_change"]
    history.drop(sample_db.engine)
    try:
        at.switch_page("pages/ppa_workflow.py").run()
        assert not at.exception
        assert texts(at.error) == [
            "The database could not answer just now: check that it is running and up to date "
            "(`python -m obcms_core init-db`), then reload the page."
        ]
    finally:
        history.create(sample_db.engine)
