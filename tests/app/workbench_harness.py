"""Helpers for the workbench AppTests: open the app, sign in through the real form, reach pages."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from workbench_sample import USERS

from obcms_core.services.database import Database

APP = Path(__file__).resolve().parents[2] / "app.py"


def url_of(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def open_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=30)


def fill_login(at: AppTest, username: str, password: str) -> AppTest:
    """Type into the sign-in form and press its button, as a visitor would."""
    at.switch_page("pages/sign_in.py").run()
    by_label = {w.label: w for w in at.text_input}
    by_label["Username"].input(username)
    by_label["Password"].input(password)
    return at.form_submit_button[0].click().run()


def signed_in(username: str) -> AppTest:
    """A fresh session signed in as one of the sample users."""
    at = open_app().run()
    fill_login(at, username, USERS[username][1])
    assert at.session_state["authentication_status"] is True, [e.value for e in at.error]
    # AppTest keeps requesting the page last switched to (the sign-in page) and the sign-in
    # ends in a rerun inside that run; going to Home as a browser would gives later runs the
    # page and the widget ids a real session has.
    return at.switch_page("pages/home.py").run()


def reachable(at: AppTest, page_file: str) -> bool:
    """Whether the current menu offers this page file (the only way to reach it)."""
    try:
        at.switch_page(page_file)
    except ValueError:
        return False
    return True


def texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]  # type: ignore[attr-defined]


def open_page(username: str, page_file: str) -> AppTest:
    """A sample user, signed in, on one page that rendered without an exception."""
    at = signed_in(username)
    at.switch_page(page_file).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The page's metric figures by label."""
    return {m.label: m.value for m in at.metric}
