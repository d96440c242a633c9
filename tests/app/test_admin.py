"""Administration pages: adding users from a form, and reading the audit log."""

from __future__ import annotations

from sqlalchemy import select
from workbench_harness import fill_login, open_app, signed_in, texts

from obcms_core.adapters.orm import PPA, AuditLog, User
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource, Role
from obcms_core.services.database import Database
from obcms_core.services.ppas import move_ppa


def fill_new_user(at, **values: str):  # type: ignore[no-untyped-def]
    for field, value in values.items():
        at.text_input(key=f"users_new_{field}").input(value)
    return at


def test_admin_adds_a_user_who_can_then_sign_in(sample_db: Database) -> None:
    at = signed_in("admin")
    at.switch_page("pages/users.py").run()
    assert len(at.dataframe[0].value) == 8
    fill_new_user(at, username="fatima.budget", full_name="Fatima Ali",
                  email="fatima@example.org", password="a-long-password", repeat="a-long-password")
    at.selectbox(key="users_new_role").select("budget_officer")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert texts(at.success) == ["Added fatima.budget (Budget officer). They can sign in now."]
    assert "fatima.budget" in set(at.dataframe[0].value["username"])
    with sample_db.uow() as uow:
        entry = uow.session.scalars(select(AuditLog).where(AuditLog.entity == "user")
                                    .order_by(AuditLog.id.desc())).first()
        assert (entry.username, entry.source) == ("admin", ChangeSource.UI)

    newcomer = fill_login(open_app().run(), "fatima.budget", "a-long-password")
    assert texts(newcomer.title) == ["Home"]
    assert newcomer.session_state["roles"] == ["budget_officer"]


def test_user_form_explains_what_is_wrong_and_adds_nobody(sample_db: Database) -> None:
    at = signed_in("admin")
    at.switch_page("pages/users.py").run()
    fill_new_user(at, username="x1", full_name="X", email="x@example.org",
                  password="short", repeat="short")
    at.form_submit_button[0].click().run()
    assert texts(at.error) == ["Choose the new user's role."]
    at.selectbox(key="users_new_role").select("analyst")
    at.form_submit_button[0].click().run()
    assert texts(at.error) == [
        "A username has 3–40 characters: lower-case letters, digits, '.', '_' or '-'."]
    fill_new_user(at, username="new.focal", password="long-enough-1", repeat="long-enough-2")
    at.form_submit_button[0].click().run()
    assert texts(at.error) == ["The two passwords differ: type the same password twice."]
    at.selectbox(key="users_new_role").select("moa_focal")
    fill_new_user(at, repeat="long-enough-1")
    at.form_submit_button[0].click().run()
    assert texts(at.error) == ["A MOA focal person must belong to a MOA (give its acronym)."]
    with sample_db.uow() as uow:
        assert uow.session.scalar(select(User.id).where(User.username == "new.focal")) is None


def test_audit_log_shows_the_latest_changes_and_filters_by_person(sample_db: Database) -> None:
    with sample_db.uow() as uow:
        draft = uow.session.scalar(select(PPA.id).where(PPA.code == "MOH-2025-001"))
        move_ppa(uow, draft, "draft", "technical_review", Actor("planner", Role.PLANNER),
                 note="Complete proposal")
        uow.commit()
    at = signed_in("executive")
    at.switch_page("pages/audit_log.py").run()
    entries = at.dataframe[0].value
    assert len(entries) == 9  # eight accounts created, one PPA moved
    assert entries.iloc[0]["username"] == "planner"  # newest first
    at.selectbox(key="audit_user").select("planner").run()
    entries = at.dataframe[0].value
    assert list(entries["entity"]) == ["ppa"]
    assert '"approval_status": "technical_review"' in entries.iloc[0]["after"]
    assert entries.iloc[0]["source"] == "Workbench"
    at.selectbox(key="audit_entity").select("user").run()
    assert texts(at.info) == ["No change matches these filters."]
