"""The PPA register's totals, and moving PPAs through the approval workflow from the page."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, text
from workbench_harness import signed_in, texts

from obcms_core.adapters.orm import PPA, AuditLog, PPAStatusChange
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ApprovalStatus, ChangeSource, Role
from obcms_core.domain.money import format_php
from obcms_core.services.database import Database
from obcms_core.services.ppa_workflow import transition_ppa


def ppa_id(db: Database, code: str) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(PPA.id).where(PPA.code == code)))


def open_workflow(username: str, db: Database, code: str):  # type: ignore[no-untyped-def]
    at = signed_in(username)
    at.switch_page("pages/ppa_workflow.py").run()
    at.selectbox(key="wf_ppa").select(ppa_id(db, code)).run()
    return at


def test_register_totals_equal_sql_sums_for_a_fiscal_year_and_moa(sample_db: Database) -> None:
    at = signed_in("analyst")
    at.switch_page("pages/ppa_register.py").run()
    at.selectbox(key="register_fy").select(2025).run()
    moa = at.selectbox(key="register_moa")
    assert moa.options == ["All MOAs", "MBHTE — Ministry of Basic, Higher and Technical Education",
                           "MOH — Ministry of Health", "MPW — Ministry of Public Works"]
    moa.select_index(3).run()
    with sample_db.engine.connect() as conn:
        count, allocation, obc = conn.execute(text(
            "SELECT count(*), sum(p.budget_allocation), sum(p.obc_allocation) FROM ppa p "
            "JOIN organization o ON o.id = p.implementing_org_id "
            "WHERE p.fiscal_year = 2025 AND o.acronym = 'MPW'"
        )).one()
    figures = {m.label: m.value for m in at.metric}
    assert figures["PPAs"] == str(count) == "2"
    assert figures["Allocation"] == format_php(Decimal(str(allocation))) == "₱68,000,000.00"
    assert figures["OBC share"] == format_php(Decimal(str(obc)))
    assert list(at.dataframe[0].value["code"]) == ["MPW-2025-010", "MPW-2025-011"]


def test_planner_moves_a_ppa_and_the_step_is_recorded(sample_db: Database) -> None:
    at = open_workflow("planner", sample_db, "MBHTE-2025-004")
    assert "**Technical review**" in texts(at.markdown)
    at.radio(key="wf_target").set_value("budget_review")
    at.text_area(key="wf_note").input("Costing checked against the 2025 ceiling.")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert texts(at.success) == ["MBHTE-2025-004 moved to Budget review."]
    assert "**Budget review**" in texts(at.markdown)
    history = at.dataframe[0].value
    assert list(history[["from_status", "to_status", "changed_by"]].iloc[0]) == [
        "Technical review", "Budget review", "planner"]
    with sample_db.uow() as uow:
        step = uow.session.scalars(select(PPAStatusChange)).one()
        audit = uow.session.scalars(select(AuditLog).where(AuditLog.entity == "ppa")).one()
        assert (step.to_status, step.note) == (
            ApprovalStatus.BUDGET_REVIEW, "Costing checked against the 2025 ceiling.")
        assert (audit.username, audit.source) == ("planner", ChangeSource.UI)
        assert audit.action == "transition"


def test_a_role_without_a_step_to_take_is_told_who_takes_it(sample_db: Database) -> None:
    at = open_workflow("executive", sample_db, "MOH-2025-001")
    assert not at.form
    assert texts(at.info) == ["Nothing for your role to do at this stage."]
    assert "Technical review: taken by MOA focal person, Planner." in texts(at.caption)


def test_a_move_overtaken_by_someone_else_is_refused_with_a_clear_error(
    sample_db: Database,
) -> None:
    at = open_workflow("budget", sample_db, "MPW-2025-010")
    at.radio(key="wf_target").set_value("stakeholder_consultation")
    with sample_db.uow() as uow:  # another budget officer rejects it meanwhile
        transition_ppa(uow, ppa_id(sample_db, "MPW-2025-010"), "rejected",
                       Actor("budget2", Role.BUDGET_OFFICER))
        uow.commit()
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert texts(at.error) == [
        "MPW-2025-010 is now 'Rejected': someone moved it while you were looking. "
        "Check its history, then choose the next step again."
    ]
    assert "**Rejected**" in texts(at.markdown)
    with sample_db.uow() as uow:
        changes = uow.session.scalars(select(PPAStatusChange.changed_by)).all()
    assert changes == ["budget2"]


def test_a_moa_focal_person_picks_only_from_their_own_moas_ppas(sample_db: Database) -> None:
    at = signed_in("moafocal")
    at.switch_page("pages/ppa_workflow.py").run()
    at.selectbox(key="wf_fy").select_index(0).run()  # all years
    assert [o.split(" — ")[0] for o in at.selectbox(key="wf_ppa").options] == [
        "MOH-2024-007", "MOH-2025-001"]


def test_moving_without_choosing_a_step_asks_for_one_and_changes_nothing(
    sample_db: Database,
) -> None:
    at = open_workflow("planner", sample_db, "MBHTE-2025-004")
    at.form_submit_button[0].click().run()
    assert texts(at.error) == ["Choose the step to take, then press Move PPA."]
    assert "**Technical review**" in texts(at.markdown)
    with sample_db.uow() as uow:
        assert uow.session.scalars(select(PPAStatusChange)).first() is None
