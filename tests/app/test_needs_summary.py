"""The community needs summary page: who reaches it, the drill-down, empty states, downloads.

The figures come from tests/integration/evidence_world.py (worked out by hand in
tests/integration/test_dashboard_needs_summary.py).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from workbench_harness import APP, metrics, open_page, reachable, signed_in, texts, url_of
from workbench_sample import USERS

from obcms_core.adapters.orm import Organization
from obcms_core.domain.access import PAGE_ACCESS
from obcms_core.domain.enums import OrgType
from obcms_core.services.database import Database
from tests.integration.evidence_world import add_pb_votes, add_users, build_evidence_world

PAGE = "pages/needs_summary.py"


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    with db.uow() as uow:
        ids = build_evidence_world(uow)
        add_users(uow, USERS)
        uow.commit()
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    return ids


def on_page(username: str) -> AppTest:
    return open_page(username, PAGE)


def areas(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["area"])


def test_every_staff_role_sees_the_regions_with_their_figures(world: dict[str, int]) -> None:
    allowed = PAGE_ACCESS["needs_summary"]
    assert allowed is not None
    for username, (role, _) in USERS.items():
        if role not in allowed:
            continue
        at = on_page(username)
        assert texts(at.title) == ["Community needs summary"]
        assert areas(at) == ["Region IX", "Region XII"]
        # 9 needs; open cost 9,000,000 of which 3,150,000 is funded (35 %)
        assert metrics(at) == {"OBC population": "5,000", "Needs": "9", "Funded share": "35.0%",
                               "Unfunded cost of open needs": "₱5,850,000.00",
                               "Services received": "3"}
        assert list(at.dataframe[0].value["votes"]) == [0, 0]
        assert any(c.startswith("Votes: participatory budgeting votes for projects")
                   and c.endswith("No vote has been cast for a project in these areas yet.")
                   for c in texts(at.caption))
        assert [b.label for b in at.download_button] == ["Download xlsx", "Download csv"]


def test_the_votes_column_shows_the_ballots_for_projects_in_each_area(
    world: dict[str, int], db: Database
) -> None:
    with db.uow() as uow:
        add_pb_votes(uow, world)
        uow.commit()
    # Both cycles have opened (March 2025 and March 2026); worked out by hand in
    # tests/integration/test_dashboard_needs_summary.py: IX 6 + 3, XII 3 + 1
    at = on_page("planner")
    assert dict(zip(areas(at), at.dataframe[0].value["votes"], strict=True)) == {
        "Region IX": 9, "Region XII": 4}
    assert not any("No vote has been cast" in c for c in texts(at.caption))
    at.selectbox(key="ns_region").select(world["region:IX"]).run()
    at.selectbox(key=f"ns_province_{world['region:IX']}").select(
        world["province:Zamboanga del Sur"]).run()
    at.selectbox(key=f"ns_municipality_{world['province:Zamboanga del Sur']}").select(
        world["municipality:Pagadian City"]).run()
    assert dict(zip(areas(at), at.dataframe[0].value["votes"], strict=True)) == {
        "Balangasan OBC": 6, "Tiguma OBC": 1}


def test_community_members_and_partners_cannot_reach_the_summary(world: dict[str, int]) -> None:
    for username in ("community", "partner"):
        assert not reachable(signed_in(username), PAGE), username
    direct = AppTest.from_file(str(APP.parent / PAGE), default_timeout=30)
    direct.session_state["authentication_status"] = True
    direct.session_state["username"] = "partner"
    direct.session_state["roles"] = ["partner"]
    direct.session_state["wb_in_shell"] = True
    direct.run()
    assert texts(direct.error) == [
        "Your account cannot open this page. Choose a page from the menu."]
    assert not direct.dataframe


def test_drilling_down_lists_the_children_of_each_choice(world: dict[str, int]) -> None:
    at = on_page("planner")
    assert at.selectbox(key="ns_province_wait").disabled
    at.selectbox(key="ns_region").select(world["region:IX"]).run()
    assert areas(at) == ["Zamboanga del Sur"]  # Sibugay has no OBC community
    assert metrics(at)["Unfunded cost of open needs"] == "₱2,400,000.00"
    assert at.selectbox(key="ns_municipality_wait").options == ["Choose a province first"]
    zds = world["province:Zamboanga del Sur"]
    at.selectbox(key=f"ns_province_{world['region:IX']}").select(zds).run()
    assert areas(at) == ["Dumalinao", "Pagadian City"]
    at.selectbox(key=f"ns_municipality_{zds}").select(world["municipality:Pagadian City"]).run()
    assert not at.exception
    assert areas(at) == ["Balangasan OBC", "Tiguma OBC"]
    assert "**Area:** Regions IX–XII › Region IX › Zamboanga del Sur › Pagadian City" in texts(
        at.markdown)
    # Pagadian: 4 needs, open cost 3,400,000 of which 1,000,000 funded (29.4 %)
    assert metrics(at) == {"OBC population": "1,500", "Needs": "4", "Funded share": "29.4%",
                           "Unfunded cost of open needs": "₱2,400,000.00",
                           "Services received": "2"}
    per_capita = at.dataframe[1].value
    assert list(per_capita["area"]) == ["Balangasan OBC", "Tiguma OBC"]  # 2,000 then 800 ₱
    assert list(per_capita["unfunded_per_person"]) == [2000.0, 800.0]
    by_status = at.dataframe[2].value
    assert by_status.set_index("area").loc["Balangasan OBC", "Completed"] == 1


def test_choosing_another_region_forgets_the_province_below_it(world: dict[str, int]) -> None:
    at = on_page("analyst")
    at.selectbox(key="ns_region").select(world["region:IX"]).run()
    at.selectbox(key=f"ns_province_{world['region:IX']}").select(
        world["province:Zamboanga del Sur"]).run()
    at.selectbox(key="ns_region").select(world["region:XII"]).run()
    assert at.selectbox(key=f"ns_province_{world['region:XII']}").value is None
    assert areas(at) == ["Cotabato"]
    assert metrics(at)["OBC population"] == "3,250"
    at.selectbox(key="ns_region").select(None).run()
    assert areas(at) == ["Region IX", "Region XII"]


def test_a_workbench_without_communities_says_where_they_come_from(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.uow() as uow:  # accounts only: no place, community or need
        uow.session.add(Organization(name="Ministry of Health", acronym="MOH",
                                     org_type=OrgType.MOA))
        add_users(uow, USERS)
        uow.commit()
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    at = on_page("executive")
    assert texts(at.info) == [
        "No OBC communities are recorded yet. Analysts import communities and their needs; "
        "`python -m obcms_core seed-demo` loads demonstration data."]
    assert not at.dataframe and not at.download_button
