"""The policy–budget matrix page: who reaches it, what filters do, empty states, downloads.

The figures come from tests/integration/evidence_world.py (worked out by hand in
tests/integration/test_dashboard_policy_matrix.py); "today" is fixed to 30 June 2025.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from workbench_harness import APP, metrics, open_page, reachable, signed_in, texts, url_of
from workbench_sample import USERS

from obcms_core.domain.access import PAGE_ACCESS
from obcms_core.services.database import Database
from tests.integration.evidence_world import TODAY, add_users, build_evidence_world
from workbench import evidence_queries

PAGE = "pages/policy_matrix.py"


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    with db.uow() as uow:
        build_evidence_world(uow)
        add_users(uow, USERS)
        uow.commit()
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    monkeypatch.setattr(evidence_queries, "today", lambda: TODAY)
    return db


def on_page(username: str) -> AppTest:
    return open_page(username, PAGE)


def test_every_decision_maker_sees_the_matrix_with_its_funding_counts(world: Database) -> None:
    allowed = PAGE_ACCESS["policy_matrix"]
    assert allowed is not None
    for username, (role, _) in USERS.items():
        if role not in allowed:
            continue
        at = on_page(username)
        assert texts(at.title) == ["Policy–budget matrix"]
        assert metrics(at) == {
            "Recommendations": "5", "Funded": "2", "Partly funded": "1", "Unfunded": "2",
            "With overdue milestones": "2",
            "Allocation of implementing PPAs": "₱44,000,000.00", "OBC share": "₱12,000,000.00",
        }
        rows = at.dataframe[0].value
        assert list(rows["reference_number"]) == [
            "OOBC-PR-2024-0001", "OOBC-PR-2024-0002", "OOBC-PR-2024-0003",
            "OOBC-PR-2025-0001", "OOBC-PR-2025-0002"]
        assert list(rows["late"]) == ["⚠ 1 overdue", "", "⚠ 1 overdue", "", ""]
        assert list(rows["milestones"]) == ["1 of 3", "2 of 2", "0 of 2", "0 of 0", "0 of 1"]
        assert [b.label for b in at.download_button] == ["Download xlsx", "Download csv"]


def test_roles_without_access_cannot_reach_the_matrix(world: Database) -> None:
    for username in ("moafocal", "community", "partner"):
        assert not reachable(signed_in(username), PAGE), username
    direct = AppTest.from_file(str(APP.parent / PAGE), default_timeout=30)
    direct.session_state["authentication_status"] = True
    direct.session_state["username"] = "moafocal"
    direct.session_state["roles"] = ["moa_focal"]
    direct.session_state["wb_in_shell"] = True
    direct.run()
    assert texts(direct.error) == [
        "Your account cannot open this page. Choose a page from the menu."]
    assert not direct.dataframe and not direct.metric


def test_a_region_filter_changes_the_rows_and_counts(world: Database) -> None:
    at = on_page("planner")
    at.selectbox(key="pm_region").select("IX").run()
    assert list(at.dataframe[0].value["reference_number"]) == [
        "OOBC-PR-2024-0001", "OOBC-PR-2024-0003"]
    assert metrics(at) == {
        "Recommendations": "2", "Funded": "0", "Partly funded": "1", "Unfunded": "1",
        "With overdue milestones": "2",
        "Allocation of implementing PPAs": "₱13,000,000.00", "OBC share": "₱4,000,000.00",
    }
    at.selectbox(key="pm_category").select("social_development").run()
    assert list(at.dataframe[0].value["funding"]) == ["Unfunded"]


def test_the_heat_map_and_overdue_tabs_follow_the_filters(world: Database) -> None:
    at = on_page("budget")
    assert [t.label for t in at.tabs] == ["Matrix", "Category × sector", "Overdue milestones"]
    assert at.radio(key="pm_measure").options == [
        "OBC share (₱)", "Allocation (₱)", "Implementing PPAs"]
    chart = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert chart["encoding"]["color"]["legend"]["labelExpr"].startswith("'₱' + format(")
    assert any(c.startswith("Colour: the OBC share of the implementing PPAs (₱M: millions of "
                            "pesos) in each cell") for c in texts(at.caption))
    at.radio(key="pm_measure").set_value("Implementing PPAs").run()
    assert any(c.startswith("Colour: the number of implementing PPAs in each cell")
               for c in texts(at.caption))
    late = at.dataframe[1].value
    assert list(zip(late["reference_number"], late["days_overdue"], strict=True)) == [
        ("OOBC-PR-2024-0001", 91), ("OOBC-PR-2024-0003", 1)]
    at.selectbox(key="pm_region").select("XII").run()
    assert "No milestone of these recommendations is overdue." in texts(at.success)


def test_a_filter_that_matches_nothing_says_what_to_do(world: Database) -> None:
    at = on_page("executive")
    at.selectbox(key="pm_category").select("comprehensive").run()
    assert texts(at.info) == [
        "No policy recommendation matches these filters. Choose “All” in a filter to see more."]
    assert not at.dataframe and not at.download_button


def test_a_workbench_without_policies_says_where_they_come_from(sample_db: Database) -> None:
    at = signed_in("analyst")
    at.switch_page(PAGE).run()
    assert not at.exception
    assert texts(at.info)[0].startswith("No policy recommendations yet. Planners record them")
