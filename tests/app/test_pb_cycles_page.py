"""The PB cycles page: who reaches it, opening a cycle from needs, frozen settings, opening and
closing voting, deleting, importing a .pb file and sending the milestone e-mails."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pb_app_world import PLANNER, Cycles, build_cycles, open_cycle, vote
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader
from workbench_harness import open_app, reachable, signed_in, texts, url_of
from workbench_sample import build_sample

from obcms_core.adapters.orm import AuditLog
from obcms_core.domain.access import can_view
from obcms_core.domain.enums import Role
from obcms_core.domain.pb.cycle import FROZEN_FIELDS, BallotFormat, BallotSpec, Phase
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    CycleChanges,
    get_cycle,
    list_cycles,
    outbox_rows,
    update_cycle,
)
from workbench.navigation import EVIDENCE_TITLES

SMALL_PB = """META
key;value
description;Barangay hall upgrades
country;Philippines
unit;Test town
instance;2025
num_projects;3
num_votes;2
budget;1000
vote_type;approval
rule;greedy
date_begin;01.02.2025
date_end;28.02.2025
PROJECTS
project_id;cost;name
1;600;Well
2;400;Road
3;300;School
VOTES
voter_id;vote
a;1,2
b;2,3
"""


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Cycles:
    build_sample(db)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    monkeypatch.delenv("OBCMS_SMTP_URL", raising=False)
    return build_cycles(db)


def cycles_tab(username: str, tab: str, cycle_id: int | None = None) -> AppTest:
    at = signed_in(username)
    at.switch_page("pages/pb_cycles.py").run()
    at.session_state["pbc_tab"] = tab
    at.run()
    if cycle_id is not None:
        at.selectbox(key="pbc_cycle").set_value(cycle_id).run()
    return at


def cycle_named(db: Database, name: str) -> int | None:
    with db.uow() as uow:
        return next((c.id for c in list_cycles(uow) if c.name == name), None)


@pytest.mark.parametrize("username", ["analyst", "community", "executive", "moafocal",
                                      "partner"])
def test_a_role_that_does_not_run_cycles_cannot_reach_the_page(
    world: Cycles, username: str,
) -> None:
    assert not reachable(signed_in(username), "pages/pb_cycles.py")


def test_anonymous_visitors_cannot_reach_the_page_but_planners_can(world: Cycles) -> None:
    assert not reachable(open_app().run(), "pages/pb_cycles.py")
    for username in ("planner", "budget", "admin"):
        at = signed_in(username)
        assert reachable(at, "pages/pb_cycles.py")
        at.run()
        assert not at.exception and "Participatory budgeting cycles" in texts(at.title)


def test_planner_opens_a_knapsack_cycle_from_needs(db: Database, world: Cycles) -> None:
    at = cycles_tab("planner", "New cycle")
    at.text_input(key="pbc_new_name").input("Madrasah and water FY2028")
    at.number_input(key="pbc_new_fy").set_value(2028)
    at.text_input(key="pbc_new_envelope").input("3,500,000.00")
    at.selectbox(key="pbc_new_format").set_value(BallotFormat.KNAPSACK).run()
    at.number_input(key="pbc_new_share").set_value(50)
    needs = at.multiselect(key="pbc_new_needs")
    for code in (world.code["water"], world.code["rooms"]):
        needs.select(int(code[1:]))
    at.run()
    at.button(key="pbc_create").click().run()
    assert not at.exception and not at.error, texts(at.error)
    assert any(s.startswith("Opened 'Madrasah and water FY2028' with 2 projects.")
               for s in texts(at.success))
    cycle_id = cycle_named(db, "Madrasah and water FY2028")
    assert cycle_id is not None
    with db.uow() as uow:
        cycle = get_cycle(uow, cycle_id)
    assert (cycle.fiscal_year, cycle.envelope) == (2028, Decimal("3500000.00"))
    assert cycle.ballot.format is BallotFormat.KNAPSACK
    assert cycle.ballot.min_envelope_share == Decimal("0.5")
    assert [p.code for p in cycle.projects] == [world.code["water"], world.code["rooms"]]
    assert cycle.phase is Phase.UPCOMING  # the default window opens in a week


def test_a_cycle_with_bad_settings_is_refused_with_the_reason(
    db: Database, world: Cycles,
) -> None:
    at = cycles_tab("planner", "New cycle")
    at.text_input(key="pbc_new_name").input("No money")
    at.text_input(key="pbc_new_envelope").input("zero").run()
    at.button(key="pbc_create").click().run()
    assert texts(at.error) == ["The envelope must be an amount in pesos above zero, not 'zero'."]
    assert cycle_named(db, "No money") is None
    at.text_input(key="pbc_new_envelope").input("1000")
    at.text_area(key="pbc_new_weights").input("youth 2").run()
    at.button(key="pbc_create").click().run()
    assert texts(at.error) == [
        "Stakeholder weights, line 1: write 'type: weight', e.g. 'youth: 1.25'."]
    assert cycle_named(db, "No money") is None


def test_a_frozen_setting_is_refused_with_the_message_and_kept(
    db: Database, world: Cycles,
) -> None:
    at = cycles_tab("planner", "Change settings", world.knapsack)
    assert any("settings are frozen" in i for i in texts(at.info))
    prefix = f"pbc_edit_{world.knapsack}"
    at.text_input(key=f"{prefix}_envelope").input("5,000,000.00").run()
    at.button(key=f"{prefix}_save").click().run()
    with db.uow() as uow:
        cycle = get_cycle(uow, world.knapsack)
        refused = uow.session.query(AuditLog).filter_by(action="change_refused").count()
    opened = f"{cycle.opens_at:%d %b %Y}"
    assert texts(at.error) == [f"Voting in 'Water and schools' opened on {opened}, so its "
                               "envelope can no longer be changed."]
    assert cycle.envelope == Decimal("4000000.00")
    assert refused == 1


def test_an_unfrozen_setting_of_an_open_cycle_changes(db: Database, world: Cycles) -> None:
    at = cycles_tab("budget", "Change settings", world.knapsack)
    prefix = f"pbc_edit_{world.knapsack}"
    at.text_input(key=f"{prefix}_name").input("Water and schools, round 2").run()
    at.button(key=f"{prefix}_save").click().run()
    assert not at.error
    assert "Changed name." in texts(at.success)
    with db.uow() as uow:
        assert get_cycle(uow, world.knapsack).name == "Water and schools, round 2"


def test_planner_opens_and_closes_voting_by_date(db: Database, world: Cycles) -> None:
    soon = datetime.now(UTC) + timedelta(days=5)
    cycle_id = open_cycle(db, "Next week", BallotSpec(), 1_000_000, [world.code["pay"]],
                          opens=soon, closes=soon + timedelta(days=7))
    at = cycles_tab("planner", "Cycle", cycle_id)
    at.button(key="pbc_open_now").click().run()
    assert "Voting in 'Next week' is open from now." in texts(at.success)
    with db.uow() as uow:
        assert get_cycle(uow, cycle_id).phase is Phase.OPEN
    at.button(key="pbc_close_now").click().run()
    with db.uow() as uow:
        assert get_cycle(uow, cycle_id).phase is Phase.CLOSED


def test_a_cycle_without_ballots_is_deleted_and_one_with_ballots_is_kept(
    db: Database, world: Cycles,
) -> None:
    at = cycles_tab("planner", "Cycle", world.closed)
    assert "A cycle with ballots is kept for the record; it cannot be deleted." in texts(
        at.caption)
    assert not [b for b in at.button if b.key == "pbc_delete"]
    at.selectbox(key="pbc_cycle").set_value(world.approval).run()
    at.checkbox(key="pbc_delete_sure").check().run()
    at.button(key="pbc_delete").click().run()
    assert "Deleted 'Pick two'." in texts(at.success)
    assert cycle_named(db, "Pick two") is None


def test_planner_imports_a_pb_file_and_sees_what_was_stored(
    db: Database, world: Cycles,
) -> None:
    at = cycles_tab("planner", "Import a .pb file")
    uploader = at.get("file_uploader")[0]
    assert isinstance(uploader, FileUploader)
    uploader.set_value(("hall.pb", SMALL_PB.encode(), "text/plain")).run()
    at.button(key="pbc_import").click().run()
    assert not at.error, texts(at.error)
    said = next(s for s in texts(at.success) if s.startswith("Imported"))
    assert said.startswith("Imported 'Barangay hall upgrades' (FY 2025): 3 projects and 2 "
                           "ballots in ")
    cycle_id = cycle_named(db, "Barangay hall upgrades")
    assert cycle_id is not None
    with db.uow() as uow:
        cycle = get_cycle(uow, cycle_id)
    assert (cycle.ballots, cycle.phase, cycle.envelope) == (2, Phase.CLOSED, Decimal("1000.00"))


def test_admin_sends_pending_milestone_emails_and_sees_the_report(
    db: Database, world: Cycles,
) -> None:
    with db.uow() as uow:
        update_cycle(uow, PLANNER, world.knapsack, CycleChanges(milestones=[1]))
        uow.commit()
    vote(db, world.knapsack, "first", [world.code["pay"]], at=datetime.now(UTC))
    at = cycles_tab("planner", "Milestone e-mails")
    assert not [b for b in at.button if b.key == "pbc_send"]  # only an administrator sends
    at = cycles_tab("admin", "Milestone e-mails")
    table = next(d.value for d in at.dataframe if "subject" in d.value.columns)
    assert list(table["status"]) == ["pending"]
    at.button(key="pbc_send").click().run()
    assert texts(at.warning) == [
        "Sent 0, failed 0. OBCMS_SMTP_URL is not set; notifications stay queued."]
    assert [r.status.value for r in outbox_rows(db)] == ["pending"]


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "participatory-budgeting.md"


def guide_lines() -> list[str]:
    return GUIDE.read_text(encoding="utf-8").splitlines()


def test_the_guide_shows_who_reaches_each_pb_page() -> None:
    lines = guide_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Page / action "))
    rows = []
    for line in [lines[start], *lines[start + 2:]]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    header, *body = rows
    columns: list[Role | None] = [None, *Role]
    assert header[1:] == ["Anonymous", *(r.label for r in Role)]
    pages = {EVIDENCE_TITLES[key][0]: key for key in ("pb_vote", "pb_results", "pb_cycles")}
    shown = {row[0]: row[1:] for row in body}
    assert set(pages) <= set(shown)
    for title, key in pages.items():
        for role, mark in zip(columns, shown[title], strict=True):
            assert (mark == "✓") == can_view(role, key), (title, role)
    sender = shown["Send pending milestone e-mails (on PB cycles)"]
    assert [role for role, mark in zip(columns, sender, strict=True) if mark] == [Role.ADMIN]


def test_the_guide_lists_every_frozen_setting_and_its_pictures_exist() -> None:
    lines = guide_lines()
    start = lines.index("### Frozen settings")
    bullets = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("- "):
            bullets.append(line[2:])
    assert len(bullets) == len(FROZEN_FIELDS)
    for name in FROZEN_FIELDS.values():
        assert any(name in bullet for bullet in bullets), name
    pictures = re.findall(r"\]\((images/[^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert {"images/pb_vote.png", "images/pb_vote_phone.png", "images/pb_results.png",
            "images/pb_cycles.png"} <= set(pictures)
    assert all((GUIDE.parent / p).is_file() for p in pictures)
