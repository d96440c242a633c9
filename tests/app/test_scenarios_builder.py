"""The scenario pages as a budget officer uses them, on reference data plus a small demo world."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from itertools import count

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from workbench_harness import fill_login, open_app, texts, url_of

from obcms_core.adapters.orm import BudgetScenario, ScenarioAllocation
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.money import format_php
from obcms_core.pipelines.demo import DEMO_USERS, seed_demo
from obcms_core.pipelines.reference import load_reference
from obcms_core.services.database import Database
from obcms_core.services.scenarios import store
from obcms_core.services.scenarios.rules import ScenarioRules
from obcms_core.services.scenarios.workbook import export_scenario

FY = 2026
OFFICER = Actor("budget", Role.BUDGET_OFFICER)
PASSWORDS = {username: password for username, _role, _name, password in DEMO_USERS}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = count(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, backends) -> Database:  # type: ignore[no-untyped-def]
    db = backends.new(request.param)
    load_reference(db, progress=lambda _m: None)
    seed_demo(db, scale=0.2, seed=7, progress=lambda _m: None)
    return db


@pytest.fixture
def app_world(world: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(world))
    return world


def signed_in_as(username: str) -> AppTest:
    at = open_app().run()
    fill_login(at, username, PASSWORDS[username])
    assert at.session_state["authentication_status"] is True
    return at.switch_page("pages/home.py").run()


def new_scenario(db: Database, **kwargs: object) -> tuple[int, str]:
    name = f"Test scenario {next(NAMES)}"
    with db.uow() as uow:
        sid = store.create_scenario(uow, OFFICER, name=name, fiscal_year=FY, **kwargs)
        uow.commit()
    return sid, name


def builder_on(username: str, scenario_id: int, tab: str | None = None) -> AppTest:
    """The builder on a scenario, with one of its tabs open (only the open tab is drawn)."""
    at = signed_in_as(username)
    at.session_state["sc_current"] = scenario_id
    at.switch_page("pages/scenario_builder.py").run()
    return open_tab(at, tab) if tab else at


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Open a builder tab, as clicking it would (drafts have editing tabs, others reading ones)."""
    editing = "Rebalance" in {t.label for t in at.tabs}
    at.session_state["sb_tab_edit" if editing else "sb_tab_read"] = tab
    return at.run()


def stored(db: Database, scenario_id: int) -> dict[str, Decimal]:
    """PPA id (as text) -> amount, read straight from the table."""
    with db.uow() as uow:
        rows = uow.session.execute(select(ScenarioAllocation.ppa_id, ScenarioAllocation.amount)
                                   .where(ScenarioAllocation.scenario_id == scenario_id)).all()
    return {str(pid): Decimal(amount) for pid, amount in rows}


def total(db: Database, scenario_id: int) -> Decimal:
    with db.uow() as uow:
        return Decimal(uow.session.scalar(select(func.sum(ScenarioAllocation.amount)).where(
            ScenarioAllocation.scenario_id == scenario_id)))


def scenario_id_named(db: Database, name: str) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(BudgetScenario.id).where(BudgetScenario.name == name)))


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def said(at: AppTest, start: str) -> str:
    """The one message (success, error or note) that starts with `start`."""
    found = [m for m in texts(at.success) + texts(at.error) + texts(at.info)
             if m.startswith(start)]
    assert len(found) == 1, (start, texts(at.success), texts(at.error))
    return found[0]


def breaches(at: AppTest) -> str:
    """The constraint check's text (empty when everything holds)."""
    return " ".join(e for e in texts(at.error) if "breaks" in e)


def test_officer_copies_the_baseline_adjusts_a_sector_optimises_applies_and_compares(
    app_world: Database,
) -> None:
    at = signed_in_as("budget")
    at.switch_page("pages/scenarios.py").run()
    at.text_input(key="sc_new_name").input("Flow: baseline copy")
    at.button(key="sc_create").click().run()
    assert not at.exception
    assert texts(at.title) == ["Scenario builder"]
    assert said(at, "Created “Flow: baseline copy”.")
    first = scenario_id_named(app_world, "Flow: baseline copy")
    at.switch_page("pages/scenario_builder.py").run()
    assert metric(at, "Envelope") == metric(at, "Allocated") == format_php(total(app_world, first))
    assert "envelope" not in breaches(at).lower()
    needs_before = metric(at, "Needs addressed")

    open_tab(at, "Adjust and undo")
    at.selectbox(key=f"sb_adj_{first}_sector").select("social")  # the demo world's largest sector
    at.number_input(key=f"sb_adj_{first}_value").set_value(10.0)
    at.button(key="sb_adjust").click().run()
    assert not at.exception
    assert "by +10 %" in said(at, "Adjusted ")
    assert metric(at, "Allocated") == format_php(total(app_world, first))
    assert "The envelope is" in breaches(at) and "over" in breaches(at)
    assert metric(at, "Needs addressed") != needs_before

    at.switch_page("pages/optimiser.py").run()
    at.number_input(key="opt_time").set_value(5)
    at.button(key="opt_run").click().run()
    assert not at.exception
    assert metric(at, "Status") in {"Optimal", "Feasible"}
    assert {"Constraints that bind", "What ₱1 M more would reach",
            "Left out, and why"} <= set(texts(at.subheader))
    impact = next(d.value for d in at.dataframe if "figure" in d.value.columns)
    assert list(impact["figure"])[:2] == ["Needs addressed", "People served"]
    at.button(key="opt_apply").click().run()
    assert not at.exception
    assert texts(at.title) == ["Scenario builder"]
    [(optimised, name)] = [(i, n) for i, n in scenario_names(app_world) if "optimised" in n]
    assert said(at, f"Created “{name}” from optimiser run")
    assert at.selectbox(key="sb_pick").value == optimised
    assert "This scenario meets every constraint." in texts(at.success)

    at.switch_page("pages/scenario_compare.py").run()
    at.multiselect(key=f"cmp_pick_{FY}").set_value([first, optimised]).run()
    assert not at.exception
    summary = at.dataframe[0].value.set_index("Figure")
    allocated = summary.loc["Allocated"]
    assert allocated["Flow: baseline copy"] == format_php(total(app_world, first))
    assert allocated[name] == format_php(total(app_world, optimised))
    assert summary.loc["Constraints broken", name] == "0"
    assert "PPAs that differ most" in texts(at.subheader)


def scenario_names(db: Database) -> list[tuple[int, str]]:
    with db.uow() as uow:
        return [(int(i), n) for i, n in uow.session.execute(
            select(BudgetScenario.id, BudgetScenario.name))]


def test_a_saved_cell_edit_changes_that_allocation_only_and_undo_restores_it(
    app_world: Database,
) -> None:
    sid, _ = new_scenario(app_world)
    before = stored(app_world, sid)
    at = builder_on("budget", sid)
    editor = at.data_editor[0].value
    code = editor.iloc[0]["code"]
    ppa_id = ppa_id_of(app_world, code)
    at.session_state[at.session_state["sb_editor_key"]] = {
        "edited_rows": {0: {"amount": 1000.5, "justification": "Pilot in two barangays"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="sb_save").click().run()
    assert not at.exception
    assert said(at, "Saved: ") == "Saved: 1 allocation changed."
    after = stored(app_world, sid)
    assert after[str(ppa_id)] == Decimal("1000.50")
    assert {k: v for k, v in after.items() if k != str(ppa_id)} == {
        k: v for k, v in before.items() if k != str(ppa_id)}
    assert at.data_editor[0].value.iloc[0]["justification"] == "Pilot in two barangays"
    assert metric(at, "Allocated") == format_php(total(app_world, sid))

    open_tab(at, "Adjust and undo").button(key="sb_undo").click().run()
    assert said(at, "Undone: ") == "Undone: Edited 1 allocations."
    assert stored(app_world, sid) == before


def ppa_id_of(db: Database, code: str) -> int:
    from obcms_core.adapters.orm import PPA

    with db.uow() as uow:
        return int(uow.session.scalar(select(PPA.id).where(PPA.code == code)))


def test_an_amount_above_the_request_is_refused_in_words_and_nothing_is_saved(
    app_world: Database,
) -> None:
    sid, _ = new_scenario(app_world)
    before = stored(app_world, sid)
    at = builder_on("budget", sid)
    row = at.data_editor[0].value.iloc[1]
    at.session_state[at.session_state["sb_editor_key"]] = {
        "edited_rows": {1: {"amount": float(row["request"]) + 1}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="sb_save").click().run()
    assert not at.exception
    assert "must be between ₱0.00 and its request" in said(at, f"{row['code']}: ")
    assert stored(app_world, sid) == before


def test_rebalancing_previews_the_impact_live_and_applies_what_was_previewed(
    app_world: Database,
) -> None:
    sid, _ = new_scenario(app_world)
    start = total(app_world, sid)
    at = builder_on("budget", sid, "Rebalance")
    slider = next(s for s in at.slider if s.proto.min <= -0.5)
    slider.set_value(-0.5).run()  # ₱0.5 M less for one sector, given to the first sector
    assert not at.exception
    assert any(e.startswith("This preview") for e in texts(at.success) + texts(at.error))
    groups = next(d.value for d in at.dataframe if "change" in d.value.columns).set_index("group")
    assert groups.loc[slider.label.split(" (now")[0], "change"] == pytest.approx(-500_000, abs=0.01)
    assert groups["change"].max() > 0  # the giving group takes what the other gave up
    drift = Decimal(str(round(groups["change"].sum(), 2)))
    # A PPA never goes above its request: when the taker is nearly full, the total moves, and
    # the officer is told before applying.
    assert (abs(drift) > 1) == any("The total would change by" in w for w in texts(at.warning))
    preview_people = [m.value for m in at.metric if m.label == "People served"][1]
    at.button(key="sb_rb_apply").click().run()
    assert not at.exception
    assert said(at, "Rebalanced: ")
    assert abs(total(app_world, sid) - (start + drift)) <= Decimal("0.05")
    assert metric(at, "Allocated") == format_php(total(app_world, sid))
    assert metric(at, "People served") == preview_people  # the impact the preview promised


def test_settings_refuse_a_mistyped_envelope_and_a_smaller_one_shows_the_breach(
    app_world: Database,
) -> None:
    sid, _ = new_scenario(app_world)
    at = builder_on("budget", sid, "Constraint settings")
    at.text_input(key=f"sb_set_{sid}_envelope").input("one billion")
    at.button(key="sb_settings").click().run()
    assert said(at, "Envelope: ") == (
        "Envelope: “one billion” is not an amount in pesos (for example 1,250,000.00).")
    at.text_input(key=f"sb_set_{sid}_envelope").input("₱1,000,000.00")
    at.text_input(key=f"sb_set_{sid}_sector_social").input("5,000,000")
    at.button(key="sb_settings").click().run()
    assert not at.exception
    assert said(at, "Saved the envelope")
    assert metric(at, "Envelope") == "₱1,000,000.00"
    assert "The envelope is ₱1,000,000.00" in breaches(at)
    with app_world.uow() as uow:
        rules = ScenarioRules.from_json(store.get_scenario(uow, sid).rules)
    assert rules.sector_ceilings == {"social": 5_000_000.0}


def test_an_edited_workbook_shows_its_problems_then_its_differences_and_applies_on_confirmation(
    app_world: Database,
) -> None:
    sid, _ = new_scenario(app_world)
    with app_world.uow() as uow:
        exported = export_scenario(uow, sid)
    book = load_workbook(BytesIO(exported))
    sheet = book["Allocations"]
    headers = [c.value for c in sheet[1]]
    amount_col = headers.index("Amount (₱)") + 1
    code = sheet.cell(2, 1).value
    sheet.cell(2, amount_col).value = 12345.67
    sheet.cell(3, amount_col).value = "lots"
    at = builder_on("budget", sid, "Export and import")
    at.file_uploader[0].set_value(("edited.xlsx", _bytes(book), XLSX)).run()
    assert not at.exception
    assert "row 3: amount 'lots' is not a number." in said(at, "Nothing can be applied")
    assert not [b for b in at.button if b.key == "sb_import_apply"]

    sheet.cell(3, amount_col).value = load_workbook(BytesIO(exported))["Allocations"].cell(
        3, amount_col).value
    at.file_uploader[0].set_value(("edited.xlsx", _bytes(book), XLSX)).run()
    differences = next(d.value for d in at.dataframe if "new_amount" in d.value.columns)
    assert list(differences["code"]) == [code]
    assert at.button(key="sb_import_apply").label == "Apply this change"
    at.button(key="sb_import_apply").click().run()
    assert not at.exception
    assert said(at, "Imported ") == "Imported 1 changed row from the workbook."
    assert stored(app_world, sid)[str(ppa_id_of(app_world, code))] == Decimal("12345.67")


def _bytes(book) -> bytes:  # type: ignore[no-untyped-def]
    out = BytesIO()
    book.save(out)
    return out.getvalue()
