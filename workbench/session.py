"""One Database per process, the one-sentence stops, and the guards every page runs first."""

from __future__ import annotations

import logging
from typing import NoReturn

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.navigation.page import Page

from obcms_core.config import SettingsError, get_settings
from obcms_core.domain.access import Actor, can_view
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import DomainError
from obcms_core.services.admin import any_users
from obcms_core.services.database import Database, is_initialised, open_database
from obcms_core.services.users import get_user

log = logging.getLogger(__name__)

SHELL_KEY = "wb_in_shell"
NO_SCHEMA = (
    "The database has no tables yet: run `make run` (or `python -m obcms_core init-db`, then "
    "`python -m obcms_core seed-demo`) and reload this page."
)
NO_USERS = (
    "The database is empty: run `make run` or `python -m obcms_core seed-demo` to load the demo "
    "data and accounts (or add a real account with `python -m obcms_core create-user`)."
)
DB_FAILED = (
    "The database could not answer just now: check that it is running and up to date "
    "(`python -m obcms_core init-db`), then reload the page."
)


@st.cache_resource(show_spinner=False, on_release=Database.dispose)
def _open(url: str) -> Database:
    return open_database(url)


class _NotReady(Exception):
    """The database answers but is not set up; raised, so that it is never cached."""

    def __init__(self, message: str, *, warning: bool = False) -> None:
        super().__init__(message)
        self.warning = warning


@st.cache_data(ttl=60, show_spinner=False)
def _ready(url: str) -> bool:
    db = _open(url)
    if not is_initialised(db):
        raise _NotReady(NO_SCHEMA)
    with db.uow() as uow:
        if not any_users(uow):
            raise _NotReady(NO_USERS, warning=True)
    return True


def database_url() -> str:
    """The configured database URL; cached read functions use it as part of their key."""
    return get_settings().database_url


def database(url: str | None = None) -> Database:
    """The process-wide Database (engine and session factory), opened on first use."""
    return _open(url or database_url())


def current_role() -> Role | None:
    """The signed-in user's role, or None for an anonymous visitor."""
    if not st.session_state.get("authentication_status"):
        return None
    roles = st.session_state.get("roles") or []
    try:
        return Role(roles[0])
    except (IndexError, ValueError):
        return None


def halt(message: str, *, warning: bool = False) -> NoReturn:
    """Show one sentence instead of the workbench, and stop this run."""
    # A run must still call st.navigation, or Streamlit would list every file in pages/.
    def unavailable() -> None:
        (st.warning if warning else st.error)(message)

    page = st.Page(unavailable, title="OBCMS Workbench", url_path="unavailable")
    st.navigation([page], position="hidden").run()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def open_or_explain() -> Database:
    """The database, or one sentence saying what to do (and nothing else on the page)."""
    try:
        url = database_url()
        db = database(url)
        _ready(url)
    except _NotReady as exc:
        halt(str(exc), warning=exc.warning)
    except (SettingsError, DomainError) as exc:
        halt(str(exc))
    except SQLAlchemyError:
        log.exception("Database check failed")
        halt(DB_FAILED)
    return db


def require(page: str) -> Role | None:
    """Stop the page unless the visitor's role may open it (the menu already hides it)."""
    if not st.session_state.get(SHELL_KEY):
        # Opened by Streamlit's legacy pages/ routing (a fresh server's first request for a
        # page file's name): go through app.py, which signs in and builds the menu.
        st.switch_page("app.py")
    role = current_role()
    if not can_view(role, page):
        st.error("Your account cannot open this page. Choose a page from the menu.")
        st.stop()
    return role


INACTIVE = "Your account is no longer active. Sign out and ask an administrator."


def current_actor(db: Database) -> Actor | None:
    """The signed-in person as services see them, read fresh from the users table."""
    with db.uow() as uow:
        info = get_user(uow, st.session_state.get("username") or "")
    return None if info is None else info.actor()


def actor(db: Database) -> Actor:
    """The signed-in person, or a message and a stop when the account was deactivated."""
    person = current_actor(db)
    if person is None:
        st.error(INACTIVE)
        st.stop()
    return person


def run_page(page: Page) -> None:
    """Run the chosen page; a database failure shows one sentence, details go to the log."""
    st.session_state[SHELL_KEY] = True
    try:
        page.run()
    except SQLAlchemyError:
        log.exception("Database error on page %s", page.title)
        st.error(DB_FAILED)
    finally:
        st.session_state.pop(SHELL_KEY, None)
