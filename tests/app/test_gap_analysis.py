"""The gap analysis page on the hand-built dashboard world (tests/integration/dashboard_world.py).

The page opens on the newest fiscal year with PPAs, FY2026: unfunded are N1, N4, N6, N11 and N12
(₱5,500,000.00; N6 has no estimate); N2, N3, N5 and N10 of the 9 in-scope needs are funded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from workbench_harness import APP, metrics, open_page, reachable, signed_in, texts, url_of
from workbench_sample import USERS

from obcms_core.adapters.orm import AuditLog, Need
from obcms_core.domain.access import can_view
from obcms_core.domain.enums import Role
from obcms_core.services.dashboards import gaps
from obcms_core.services.dashboards.filters import DashboardFilters
from obcms_core.services.dashboards.gap_actions import can_act
from obcms_core.services.database import Database

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"
if str(INTEGRATION) not in sys.path:
    sys.path.append(str(INTEGRATION))
from dashboard_world import World, add_users, build_dashboard_world  # noqa: E402
from gap_votes_world import add_votes  # noqa: E402

PAGE = "pages/gap_analysis.py"
ACTION_KEYS = {"gap_forward", "gap_link"}


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> World:
    built = build_dashboard_world(db)
    add_users(db, USERS)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    return built


def gap_page(username: str) -> AppTest:
    return open_page(username, PAGE)


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


@pytest.mark.parametrize(
    ("username", "acts"),
    [("admin", True), ("budget", True), ("planner", True), ("analyst", False),
     ("executive", False), ("moafocal", False)],
)
def test_each_staff_role_sees_the_gaps_and_only_planners_officers_admins_act(
    world: World, username: str, acts: bool
) -> None:
    at = gap_page(username)
    assert texts(at.title) == ["Gap analysis"]
    assert metrics(at) == {"Unfunded needs": "5", "People affected": "950",
                           "Estimated cost": "₱5,500,000.00", "Share of needs funded": "44.4%"}
    assert [b.proto.label for b in at.get("download_button")] == ["Download xlsx", "Download csv"]
    assert list(at.dataframe[0].value["need_id"]) == [
        world.needs[k] for k in ("N1", "N12", "N4", "N11", "N6")]
    if acts:
        assert ACTION_KEYS <= keys(at)
    else:
        assert not ACTION_KEYS & keys(at) and not at.form
        assert any("Planners, budget officers and administrators" in c for c in texts(at.caption))


def test_a_community_member_cannot_reach_the_gap_analysis(world: World) -> None:
    at = signed_in("community")
    assert not reachable(at, PAGE)
    direct = AppTest.from_file(str(APP.parent / PAGE), default_timeout=30)
    direct.session_state["authentication_status"] = True
    direct.session_state["username"] = "community"
    direct.session_state["roles"] = ["community_member"]
    direct.session_state["wb_in_shell"] = True
    direct.run()
    assert texts(direct.error) == [
        "Your account cannot open this page. Choose a page from the menu."]
    assert not direct.metric and not direct.dataframe


def test_choosing_a_year_and_region_changes_the_figures_as_the_service_counts_them(
    world: World, db: Database
) -> None:
    at = gap_page("analyst")
    at.selectbox(key="gap_fy").select(2025).run()
    assert metrics(at)["Unfunded needs"] == "5" and metrics(at)["Estimated cost"] == (
        "₱6,100,000.00")
    at.selectbox(key="gap_region").select("XII").run()
    with db.uow() as uow:
        service = gaps.gap_summary(uow, DashboardFilters(fiscal_year=2025, region_code="XII"))
    # N1, N5 and N6 of Region XII are in scope and none is funded.
    assert metrics(at) == {"Unfunded needs": "3", "People affected": "1,150",
                           "Estimated cost": "₱4,200,000.00", "Share of needs funded": "0.0%"}
    assert metrics(at)["Unfunded needs"] == str(service.unfunded_needs)
    # The province list follows the region.
    assert at.selectbox(key="gap_province").options == ["All provinces", "Cotabato"]


def test_filters_that_match_nothing_say_so(world: World) -> None:
    at = gap_page("planner")
    at.selectbox(key="gap_region").select("IX").run()
    at.selectbox(key="gap_urgency").select("long_term").run()
    assert not at.exception
    assert texts(at.info)[0].startswith("No validated or prioritized need matches these filters.")
    assert metrics(at)["Unfunded needs"] == "0" and not at.dataframe


def test_every_need_funded_is_said_plainly(world: World) -> None:
    at = gap_page("planner")
    at.selectbox(key="gap_municipality").select(world.municipalities["Pagadian City"]).run()
    assert texts(at.success) == ["Every one of the 2 validated or prioritized needs these filters "
                                 "select has a funding PPA of FY 2026 or earlier. No gap here."]


def test_top_community_priorities_waits_for_participatory_budgeting(world: World) -> None:
    at = gap_page("executive")
    assert "Top community priorities" in texts(at.subheader)
    assert texts(at.info)[-1].startswith(
        "No community votes yet in FY 2026 participatory budgeting: this list appears once a "
        "cycle has votes.")
    assert at.dataframe[0].value["votes"].isna().all()  # the ranked table's Votes column


def test_top_community_priorities_lists_the_most_voted_needs_of_the_year(
    world: World, db: Database
) -> None:
    add_votes(db, world)  # votes counted by hand in tests/integration/gap_votes_world.py
    at = gap_page("budget")
    n = world.needs
    ranked, voted = at.dataframe[0].value, at.dataframe[-1].value
    assert voted[["need_id", "votes"]].values.tolist() == [[n["N11"], 2], [n["N1"], 1]]
    assert voted[["title", "community", "municipality"]].values.tolist()[0] == [
        "Skills training, Kayaga", "OBC of Kayaga", "Kabacan"]
    assert ranked.set_index("need_id").loc[[n["N1"], n["N11"]], "votes"].tolist() == [1, 2]
    at.selectbox(key="gap_fy").select(2025).run()
    voted = at.dataframe[-1].value
    assert voted[["need_id", "votes"]].values.tolist() == [
        [n["N1"], 4], [n["N5"], 4], [n["N12"], 3], [n["N2"], 2]]
    assert any("(9 ballots)" in c for c in texts(at.caption))
    # Region IX: N12 and N2; Region X: N4 was on the ballot but got no vote.
    at.selectbox(key="gap_region").select("IX").run()
    assert at.dataframe[-1].value["need_id"].tolist() == [n["N12"], n["N2"]]
    at.selectbox(key="gap_region").select("X").run()
    assert texts(at.info)[-1].startswith(
        "No need in these places or categories got a vote in FY 2025 participatory budgeting "
        "(9 ballots in all).")


def test_a_planner_forwards_a_need_to_a_moa_from_the_page(world: World, db: Database) -> None:
    at = gap_page("planner")
    at.selectbox(key="gap_act_need").select(world.needs["N1"]).run()
    at.selectbox(key="gap_forward_moa").select(world.organisations["MAFAR"])
    at.button(key="gap_forward").click().run()
    assert not at.exception
    assert texts(at.success) == [f"Need #{world.needs['N1']} forwarded to MAFAR."]
    rows = at.dataframe[0].value.set_index("need_id")
    assert rows.loc[world.needs["N1"], "forwarded_to"] == "MAFAR"
    with db.uow() as uow:
        need = uow.session.get(Need, world.needs["N1"])
        assert need is not None and need.forwarded_by == "planner"
        assert uow.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "need")).all() == ["forward"]


def test_forwarding_a_need_twice_is_refused_in_words(world: World, db: Database) -> None:
    at = gap_page("budget")
    at.selectbox(key="gap_act_need").select(world.needs["N12"]).run()
    at.selectbox(key="gap_forward_moa").select(world.organisations["MAFAR"])
    at.button(key="gap_forward").click().run()
    assert texts(at.error) == [f"Need #{world.needs['N12']} was already forwarded to MBHTE on "
                               "2025-01-05 by planner. A need is forwarded to one MOA only."]
    with db.uow() as uow:
        assert uow.session.scalars(select(AuditLog).where(AuditLog.entity == "need")).all() == []


def test_linking_a_need_to_a_ppa_takes_it_off_the_unfunded_list(world: World) -> None:
    at = gap_page("admin")
    at.selectbox(key="gap_fy").select(2025).run()
    at.selectbox(key="gap_act_need").select(world.needs["N1"]).run()
    at.selectbox(key="gap_link_ppa").select(world.ppas["MPW-2025-01"])
    at.button(key="gap_link").click().run()
    assert not at.exception
    assert texts(at.success) == [
        f"Need #{world.needs['N1']} linked to MPW-2025-01: it now counts as funded."]
    assert metrics(at)["Unfunded needs"] == "4"
    assert metrics(at)["Estimated cost"] == "₱3,100,000.00"
    assert world.needs["N1"] not in set(at.dataframe[0].value["need_id"])


def test_the_guide_says_who_sees_each_dashboard_and_who_acts() -> None:
    guide = (APP.parent / "docs" / "dashboards.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(guide) if line.startswith("| Page / action "))
    header = [c.strip() for c in guide[start].strip("|").split("|")]
    roles = {r.label: r for r in Role}
    rows = {}
    for line in guide[start + 2:]:
        if not line.startswith("|"):
            break
        first, *marks = [c.strip() for c in line.strip("|").split("|")]
        rows[first] = {roles[h] for h, mark in zip(header[1:], marks, strict=True) if mark == "✓"}
    staff = {roles[h] for h in header[1:]}
    assert rows == {
        "Executive overview": {r for r in staff if can_view(r, "executive_overview")},
        "Gap analysis (figures, charts, table, downloads)": {
            r for r in staff if can_view(r, "gap_analysis")},
        "Forward a need to a MOA, link a need to a PPA": {r for r in staff if can_act(r)},
    }
