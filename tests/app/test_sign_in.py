"""Signing in through the real form: refusals are clear, a success opens the user's pages."""

from __future__ import annotations

import pytest
from workbench_harness import fill_login, open_app, reachable, texts

from obcms_core.services.database import Database

REFUSAL = "Unknown username or wrong password."


@pytest.mark.parametrize(
    ("username", "password"),
    [("planner", "not-the-password"), ("nobody", "whatever-password"), ("planner", "")],
    ids=["wrong-password", "unknown-user", "empty-password"],
)
def test_a_wrong_password_or_unknown_user_is_refused_with_a_clear_message(
    sample_db: Database, username: str, password: str
) -> None:
    at = open_app().run()
    fill_login(at, username, password)
    assert not at.exception
    assert texts(at.error) == [REFUSAL]
    assert texts(at.title) == ["OBCMS Planning & Budgeting Workbench"]
    assert not reachable(at, "pages/home.py")


def test_the_right_password_opens_home_with_the_users_name_in_the_sidebar(
    sample_db: Database,
) -> None:
    at = open_app().run()
    fill_login(at, "budget", "budget-test-pass")
    assert not at.exception
    assert not at.error
    assert texts(at.title) == ["Home"]
    assert texts(at.sidebar.markdown)[0] == "**Budget Tester**"
    assert texts(at.sidebar.caption) == ["Budget officer · `budget`"]


def test_a_user_can_retry_after_a_wrong_password(sample_db: Database) -> None:
    at = open_app().run()
    fill_login(at, "analyst", "wrong-password!")
    assert texts(at.error) == [REFUSAL]
    fill_login(at, "Analyst ", "analyst-test-pass")
    assert texts(at.title) == ["Home"]
    assert not at.error
