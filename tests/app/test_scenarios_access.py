"""Who may do what on the scenario pages, what an empty workbench says, and refusals in words."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from streamlit.testing.v1 import AppTest
from test_scenarios_builder import (  # the same demo world, built once for this module
    app_world,
    builder_on,
    metric,
    new_scenario,
    open_tab,
    said,
    signed_in_as,
    world,
)
from workbench_harness import APP, reachable, signed_in, texts

from obcms_core.adapters.orm import PPA, NeedPPALink
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.services.database import Database
from obcms_core.services.scenarios import store
from obcms_core.services.scenarios.rules import ScenarioRules

__all__ = ["app_world", "world"]  # fixtures used by name
SCENARIO_PAGES = ["scenarios", "scenario_builder", "scenario_compare", "optimiser"]
EDIT_KEYS = {"sb_save", "sb_adjust", "sb_undo", "sb_settings", "sb_rb_apply", "sc_create",
             "sc_move_under_review", "sc_move_archived"}


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def test_an_analyst_reads_a_scenario_but_finds_no_control_that_changes_it(
    app_world: Database,
) -> None:
    sid, name = new_scenario(app_world)
    at = builder_on("analyst", sid)
    assert not at.exception
    assert at.selectbox(key="sb_pick").value == sid
    assert not at.data_editor and not at.file_uploader and not at.slider
    assert not keys(at) & EDIT_KEYS
    allocations = at.dataframe[0].value
    assert len(allocations) > 0 and "amount" in allocations.columns
    open_tab(at, "Constraint settings")
    assert any(line.startswith("- Envelope: ₱") for line in texts(at.markdown))
    assert not keys(at) & EDIT_KEYS and not at.text_input
    open_tab(at, "Export")
    assert not at.file_uploader and at.download_button
    assert any("Next steps are taken by others" in c for c in texts(at.caption))
    assert {p for p in SCENARIO_PAGES if reachable(at, f"pages/{p}.py")} == {
        "scenarios", "scenario_builder", "scenario_compare"}
    at.switch_page("pages/scenarios.py").run()
    assert name in set(at.dataframe[0].value["name"])
    assert "sc_create" not in keys(at) and "New scenario" not in texts(at.subheader)


def test_a_community_member_cannot_reach_the_scenario_pages(app_world: Database) -> None:
    at = signed_in_as("community")
    assert not [p for p in SCENARIO_PAGES if reachable(at, f"pages/{p}.py")]
    direct = AppTest.from_file(str(APP.parent / "pages" / "scenario_builder.py"),
                               default_timeout=30)
    direct.session_state["authentication_status"] = True
    direct.session_state["username"] = "community"
    direct.session_state["roles"] = ["community_member"]
    direct.session_state["wb_in_shell"] = True
    direct.run()
    assert texts(direct.error) == [
        "Your account cannot open this page. Choose a page from the menu."]
    assert not direct.metric and not direct.dataframe


def test_an_executive_approves_what_an_officer_submitted_and_the_officer_can_no_longer_edit(
    app_world: Database,
) -> None:
    sid, name = new_scenario(app_world)
    officer = builder_on("budget", sid)
    officer.button(key="sc_move_under_review").click().run()
    assert said(officer, f"“{name}” is now") == f"“{name}” is now under review."
    assert "sc_move_approved" not in keys(officer)  # officers submit; executives approve
    assert not officer.data_editor
    assert any("only drafts can be edited" in i for i in texts(officer.info))

    executive = builder_on("executive", sid)
    assert {"sc_move_approved", "sc_move_draft"} <= keys(executive)
    executive.button(key="sc_move_approved").click().run()
    assert not executive.exception
    assert said(executive, f"“{name}” is now") == f"“{name}” is now approved."
    with app_world.uow() as uow:
        assert store.get_scenario(uow, sid).status.value == "approved"


def test_the_optimiser_explains_a_scenario_no_allocation_can_satisfy(app_world: Database) -> None:
    with app_world.uow() as uow:
        biggest = uow.session.scalars(select(PPA.code).where(PPA.fiscal_year == 2026)
                                      .order_by(PPA.budget_ceiling.desc())).first()
    sid, _ = new_scenario(app_world, envelope="1000", rules=ScenarioRules(must_fund=[biggest]))
    at = signed_in_as("budget")
    at.session_state["sc_current"] = sid
    at.switch_page("pages/optimiser.py").run()
    at.radio(key="opt_solver").set_value("highs")
    at.number_input(key="opt_time").set_value(5)
    at.button(key="opt_run").click().run()
    assert not at.exception
    assert metric(at, "Status") == "Infeasible"
    assert texts(at.warning)[0].startswith("No allocation meets every constraint")
    assert "opt_apply" not in keys(at)


def test_an_empty_workbench_says_how_to_create_the_first_scenario(sample_db: Database) -> None:
    at = signed_in("budget")
    at.switch_page("pages/scenario_builder.py").run()
    assert texts(at.info)[0].startswith("No scenario yet. Open **Scenarios** and create one")
    at.switch_page("pages/scenarios.py").run()
    assert texts(at.info) == ["No scenario for FY 2025 yet. Create one below: copy the "
                              "baseline, then adjust it in the scenario builder."]
    reader = signed_in("planner")
    reader.switch_page("pages/scenario_builder.py").run()
    assert texts(reader.info) == [
        "No scenario yet. Budget officers create them; they will appear here to read."]


def test_a_fiscal_year_without_ppas_is_named_instead_of_a_scenario_form(
    sample_db: Database,
) -> None:
    with sample_db.uow() as uow:
        uow.session.execute(delete(NeedPPALink))
        uow.session.execute(delete(PPA))
        uow.commit()
    at = signed_in("budget")
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception
    assert texts(at.info) == ["No PPAs yet, so there is nothing to budget. Load the GAAB "
                              "baseline with `python -m obcms_core load-reference`."]
    assert "sc_create" not in keys(at)


def test_a_refusal_from_the_services_is_one_sentence_not_a_traceback(sample_db: Database) -> None:
    with sample_db.uow() as uow:
        store.create_scenario(uow, Actor("budget", Role.BUDGET_OFFICER), name="Withdrawn",
                              fiscal_year=2025)
        # Every request of the year is withdrawn after the scenario was made.
        uow.session.execute(update(PPA).where(PPA.fiscal_year == 2025)
                            .values(budget_ceiling=None, budget_allocation=None))
        uow.commit()
    at = signed_in("budget")
    at.switch_page("pages/scenario_builder.py").run()
    assert not at.exception
    assert texts(at.error) == ["FY2025 has no PPAs with a requested amount."]
    at.switch_page("pages/scenarios.py").run()
    at.text_input(key="sc_new_name").input("Withdrawn")
    at.button(key="sc_create").click().run()
    assert not at.exception
    assert texts(at.error) == ["FY2025 already has a scenario named 'Withdrawn'."]
    at.text_input(key="sc_new_name").input("Another")
    at.button(key="sc_create").click().run()
    assert texts(at.error) == ["FY2025 has no PPAs to budget."]
