"""The executive overview on the hand-built dashboard world (tests/integration/dashboard_world.py).

It opens on FY2025, the newest year with an enacted budget: MPW-2025-01 (₱10,000,000) and
MBHTE-2025-02 (₱5,000,000), beside FY2024's MOH-2024-01 (₱4,000,000).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from workbench_harness import (
    APP,
    fill_login,
    open_app,
    open_page,
    reachable,
    signed_in,
    texts,
    url_of,
)
from workbench_sample import USERS

from obcms_core.services.database import Database
from obcms_core.services.users import create_user

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"
if str(INTEGRATION) not in sys.path:
    sys.path.append(str(INTEGRATION))
from dashboard_world import World, add_users, build_dashboard_world  # noqa: E402

PAGE = "pages/executive_overview.py"
FY2025 = {
    "FY 2025 budget": ("₱15,000,000.00", "+₱11,000,000.00"),
    "Obligations": ("₱10,000,000.00", "+₱7,000,000.00"),
    "Disbursements": ("₱4,000,000.00", "+₱1,500,000.00"),
    # POL-1, POL-4 and POL-5 on 2025-12-31, against POL-2 and POL-5 on 2024-12-31.
    "Policies off track": ("3", "+1"),
    "Unfunded needs": ("5", "+2"),
    "Cost of unfunded needs": ("₱6,100,000.00", "+₱100,000.00"),
}


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> World:
    built = build_dashboard_world(db)
    add_users(db, USERS)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    return built


def figures(at: AppTest) -> dict[str, tuple[str, str]]:
    """label -> (value, change against the previous year; empty without one)."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def overview_as(username: str) -> AppTest:
    return open_page(username, PAGE)


@pytest.mark.parametrize("username", ["admin", "budget", "planner", "executive"])
def test_each_allowed_role_sees_fy2025_beside_fy2024(world: World, username: str) -> None:
    at = overview_as(username)
    assert texts(at.title) == ["Executive overview"]
    assert at.selectbox(key="exec_fy").value == 2025
    assert figures(at) == FY2025
    by_moa = at.dataframe[0].value
    assert list(by_moa["moa"]) == ["MPW", "MBHTE"]
    off_track = at.dataframe[1].value
    assert list(off_track["reference_number"]) == ["POL-5", "POL-1", "POL-4"]


def test_an_executive_lands_on_the_overview_after_signing_in(world: World) -> None:
    at = open_app().run()
    fill_login(at, "executive", USERS["executive"][1])
    assert not at.exception
    assert texts(at.title) == ["Executive overview"]


@pytest.mark.parametrize("username", ["analyst", "moafocal", "community"])
def test_roles_without_access_cannot_reach_the_overview(world: World, username: str) -> None:
    at = signed_in(username)
    assert not reachable(at, PAGE)
    direct = AppTest.from_file(str(APP.parent / PAGE), default_timeout=30)
    direct.session_state["authentication_status"] = True
    direct.session_state["username"] = username
    direct.session_state["roles"] = [USERS[username][0].value]
    direct.session_state["wb_in_shell"] = True
    direct.run()
    assert texts(direct.error) == [
        "Your account cannot open this page. Choose a page from the menu."]
    assert not direct.metric


def test_choosing_the_first_year_shows_its_figures_without_changes(world: World) -> None:
    at = overview_as("executive")
    at.selectbox(key="exec_fy").select(2024).run()
    assert not at.exception
    assert figures(at) == {
        "FY 2024 budget": ("₱4,000,000.00", ""), "Obligations": ("₱3,000,000.00", ""),
        "Disbursements": ("₱2,500,000.00", ""), "Policies off track": ("2", ""),
        "Unfunded needs": ("3", ""), "Cost of unfunded needs": ("₱6,000,000.00", ""),
    }
    assert any("FY 2023 has no PPAs, so there is nothing to compare with" in c
               for c in texts(at.caption))


def test_a_year_with_less_budget_shows_a_falling_figure(world: World) -> None:
    at = overview_as("budget")
    at.selectbox(key="exec_fy").select(2026).run()
    assert figures(at)["FY 2026 budget"] == ("₱6,000,000.00", "-₱9,000,000.00")
    assert figures(at)["Obligations"] == ("₱0.00", "-₱10,000,000.00")
    # N5 is now funded by the FY2026 road, N11 (recorded in 2026) joins: still five needs.
    assert figures(at)["Unfunded needs"] == ("5", "0")


def test_an_empty_database_says_what_to_load(db: Database, monkeypatch) -> None:
    with db.uow() as uow:
        create_user(uow, username="executive", full_name="Executive Tester",
                    email="executive@example.org", password=USERS["executive"][1],
                    role=USERS["executive"][0], bcrypt_rounds=4)
        uow.commit()
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    at = open_app().run()
    fill_login(at, "executive", USERS["executive"][1])
    assert not at.exception
    assert texts(at.info) == [
        "No PPAs yet, so there is no budget to summarise. Load the GAAB baseline with "
        "`python -m obcms_core load-reference`, or the demonstration data with "
        "`python -m obcms_core seed-demo`."]
    assert not at.metric
