"""Who reaches which page: the menu is built per role, and pages check the role themselves."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from workbench_harness import APP, open_app, reachable, signed_in, texts

from obcms_core.services.database import Database

PAGES = ["home", "public_needs", "ppa_register", "ppa_workflow", "users", "audit_log"]

# What each role must reach among the workbench shell's pages (everything else is refused).
EXPECTED = {
    "admin": {"home", "public_needs", "ppa_register", "ppa_workflow", "users", "audit_log"},
    "budget": {"home", "public_needs", "ppa_register", "ppa_workflow"},
    "planner": {"home", "public_needs", "ppa_register", "ppa_workflow"},
    "analyst": {"home", "public_needs", "ppa_register"},
    "executive": {"home", "public_needs", "ppa_register", "ppa_workflow", "audit_log"},
    "moafocal": {"home", "public_needs", "ppa_register", "ppa_workflow"},
    "community": {"home", "public_needs"},
    "partner": {"home", "public_needs"},
}


def test_anonymous_visitor_reaches_only_the_public_needs_and_the_sign_in_form(
    sample_db: Database,
) -> None:
    at = open_app().run()
    assert not at.exception
    assert texts(at.title) == ["Community needs"]
    assert {p for p in PAGES if reachable(at, f"pages/{p}.py")} == {"public_needs"}
    assert reachable(at, "pages/sign_in.py")


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_reaches_its_pages_and_no_others(sample_db: Database, username: str) -> None:
    at = signed_in(username)
    assert texts(at.title) == ["Home"]
    assert {p for p in PAGES if reachable(at, f"pages/{p}.py")} == EXPECTED[username]
    assert not reachable(at, "pages/sign_in.py")
    for page in sorted(EXPECTED[username]):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert texts(at.title), page
        assert not any("cannot open this page" in e for e in texts(at.error)), page


def test_users_page_refuses_an_analyst_even_when_run_directly(sample_db: Database) -> None:
    at = AppTest.from_file(str(APP.parent / "pages" / "users.py"), default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "analyst"
    at.session_state["roles"] = ["analyst"]
    at.session_state["wb_in_shell"] = True
    at.run()
    assert texts(at.error) == ["Your account cannot open this page. Choose a page from the menu."]
    assert not at.dataframe


def test_signing_out_returns_to_the_public_pages(sample_db: Database) -> None:
    at = signed_in("planner")
    assert "Planner" in " ".join(texts(at.sidebar.caption))
    at.sidebar.button(key="auth_logout").click().run()
    assert not at.exception
    assert at.session_state["authentication_status"] is None
    assert texts(at.title) == ["Community needs"]
    assert not reachable(at, "pages/home.py")
