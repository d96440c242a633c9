"""The MOA focal persons page: who reaches it, gaps, search, and who sees which edit controls.

The people come from tests/integration/evidence_world.py; "today" is fixed to 30 June 2025.
The MOA focal person account ("moafocal") belongs to MOH.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from workbench_harness import APP, open_page, reachable, signed_in, texts, url_of
from workbench_sample import USERS

from obcms_core.adapters.orm import AuditLog, FocalPerson
from obcms_core.domain.access import PAGE_ACCESS
from obcms_core.domain.enums import Role
from obcms_core.services.database import Database
from tests.integration.evidence_world import TODAY, add_users, build_evidence_world
from workbench import evidence_queries

PAGE = "pages/focal_registry.py"
EDIT_KEYS = {"fr_add_submit", "fr_edit_submit", "fr_end_submit"}


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[Database, dict[str, int]]:
    with db.uow() as uow:
        ids = build_evidence_world(uow)
        add_users(uow, USERS)
        uow.commit()
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    monkeypatch.setattr(evidence_queries, "today", lambda: TODAY)
    return db, ids


def on_page(username: str) -> AppTest:
    return open_page(username, PAGE)


def button_keys(at: AppTest) -> set[str]:
    return {b.key for b in [*at.button, *at.form_submit_button] if b.key}


def names(at: AppTest) -> list[str]:
    return list(at.dataframe[-1].value["full_name"])


def test_every_staff_role_sees_the_directory_and_the_moas_without_a_primary(world) -> None:
    allowed = PAGE_ACCESS["focal_registry"]
    assert allowed is not None
    for username, (role, _) in USERS.items():
        if role not in allowed:
            continue
        at = on_page(username)
        assert texts(at.title) == ["MOA focal persons"]
        assert texts(at.warning) == [
            "2 MOAs have no primary focal person in office: MBHTE, MSSD. Appoint one below, "
            "or ask the MOA to designate one."]
        assert names(at) == ["Jamal Usman", "Sittie Ampatuan", "Amina Datu", "Rashid Ali",
                             "Noraida Sali", "Bai Guiamel"]
        assert "6 entries, 4 in office on 30 June 2025." in texts(at.caption)
        assert [b.label for b in at.download_button] == ["Download xlsx", "Download csv"]
        can_edit = role in (Role.ADMIN, Role.MOA_FOCAL)
        assert bool(button_keys(at) & EDIT_KEYS) == can_edit, username
        assert ("Update the registry" in texts(at.subheader)) == can_edit, username


def test_community_members_and_partners_cannot_reach_the_registry(world) -> None:
    for username in ("community", "partner"):
        assert not reachable(signed_in(username), PAGE), username
    direct = AppTest.from_file(str(APP.parent / PAGE), default_timeout=30)
    direct.session_state["authentication_status"] = True
    direct.session_state["username"] = "community"
    direct.session_state["roles"] = ["community_member"]
    direct.session_state["wb_in_shell"] = True
    direct.run()
    assert texts(direct.error) == [
        "Your account cannot open this page. Choose a page from the menu."]
    assert not direct.dataframe


def test_search_and_filters_narrow_the_directory_and_an_empty_result_says_so(world) -> None:
    _, ids = world
    at = on_page("planner")
    at.text_input(key="fr_search").input("ampatuan").run()
    assert names(at) == ["Sittie Ampatuan"]
    at.text_input(key="fr_search").input("").run()
    at.selectbox(key="fr_moa").select(ids["org:MOH"]).run()
    at.toggle(key="fr_active").set_value(True).run()
    assert names(at) == ["Amina Datu", "Noraida Sali"]
    at.text_input(key="fr_search").input("no such person").run()
    assert "full_name" not in at.dataframe[-1].value.columns  # only the gaps table is left
    assert texts(at.info) == [
        "No focal person matches these filters. Clear the search or choose “All”."]


def test_a_moa_focal_person_sees_edit_controls_only_for_their_own_moa(world) -> None:
    _, ids = world
    at = on_page("moafocal")
    assert at.selectbox(key="fr_add_moa").options == ["MOH — Ministry of Health"]
    assert "You may edit the focal persons of MOH — Ministry of Health only." in texts(at.caption)
    amina, rashid, noraida = ("MOH · Primary · Amina Datu (from 2023-01-10)",
                              "MOH · Alternate · Rashid Ali (from 2024-02-01)",
                              "MOH · Technical · Noraida Sali (from 2024-05-01)")
    assert at.selectbox(key="fr_edit_pick_0").options == [amina, rashid, noraida]
    assert at.selectbox(key="fr_end_pick_0").options == [amina, noraida]  # Rashid Ali has left

    admin = on_page("admin")
    assert admin.selectbox(key="fr_add_moa").options == [
        "MBHTE — Ministry of Basic, Higher and Technical Education", "MOH — Ministry of Health",
        "MPW — Ministry of Public Works", "MSSD — Ministry of Social Services and Development"]
    assert len(admin.selectbox(key="fr_edit_pick_0").options) == 6
    assert "You may edit every MOA's focal persons." in texts(admin.caption)


def test_a_moa_focal_person_ends_an_appointment_and_it_is_audited(world) -> None:
    db, ids = world
    at = on_page("moafocal")
    at.selectbox(key="fr_end_pick_0").set_value(ids["Noraida Sali"])
    at.date_input(key="fr_end_date_0").set_value(date(2025, 6, 15))
    at.button(key="fr_end_submit").click().run()
    assert not at.exception
    assert texts(at.success)[0].startswith("Ended the appointment: MOH · Technical · Noraida Sali")
    assert "6 entries, 3 in office on 30 June 2025." in texts(at.caption)
    with db.uow() as uow:
        assert uow.session.get(FocalPerson, ids["Noraida Sali"]).ended_on == date(2025, 6, 15)
        row = uow.session.scalars(select(AuditLog).where(AuditLog.entity == "focal_person")).one()
        assert (row.username, row.action) == ("moafocal", "end")


def test_a_second_primary_is_refused_on_the_page_until_the_editor_hands_over(world) -> None:
    db, ids = world
    at = on_page("moafocal")
    at.text_input(key="fr_add_0_name").input("Hadji Salik")
    at.selectbox(key="fr_add_0_role").select("primary")
    at.text_input(key="fr_add_0_email").input("hadji.salik@moh.example.ph")
    at.date_input(key="fr_add_0_appointed").set_value(date(2025, 7, 1))
    at.form_submit_button(key="fr_add_submit").click().run()
    assert not at.exception
    assert texts(at.error)[0].startswith("MOH has one primary focal person at a time")
    with db.uow() as uow:
        assert uow.session.scalar(select(func.count(FocalPerson.id))) == 6
    at.checkbox(key="fr_add_handover_0").check()
    at.form_submit_button(key="fr_add_submit").click().run()
    assert texts(at.success) == [
        "Added Hadji Salik as primary focal person of MOH — Ministry of Health."]
    with db.uow() as uow:
        assert uow.session.get(FocalPerson, ids["Amina Datu"]).ended_on == date(2025, 6, 30)


def test_an_invalid_correction_is_explained_and_a_valid_one_saved(world) -> None:
    db, ids = world
    at = on_page("admin")
    pick = ids["Bai Guiamel"]
    at.selectbox(key="fr_edit_pick_0").set_value(pick).run()
    at.text_input(key=f"fr_edit_0_{pick}_email").input("bai at mpw")
    at.form_submit_button(key="fr_edit_submit").click().run()
    assert texts(at.error) == ["'bai at mpw' is not an e-mail address (e.g. name@moh.gov.ph)."]
    with db.uow() as uow:
        assert uow.session.get(FocalPerson, pick).email == "bai.guiamel@mpw.example.ph"
        assert uow.session.scalar(select(func.count(AuditLog.id))
                                  .where(AuditLog.entity == "focal_person")) == 0
    at.text_input(key=f"fr_edit_0_{pick}_email").input("bai.guiamel@mpw.gov.ph")
    at.form_submit_button(key="fr_edit_submit").click().run()
    assert texts(at.success)[0] == "Saved the changes to Bai Guiamel's entry."
    assert at.selectbox(key="fr_edit_pick_1").value == pick  # the entry stays chosen
    assert "bai.guiamel@mpw.gov.ph" in set(at.dataframe[-1].value["email"])
    with db.uow() as uow:
        row = uow.session.scalars(select(AuditLog).where(AuditLog.entity == "focal_person")).one()
        assert (row.username, row.action, row.after["email"]) == (
            "admin", "update", "bai.guiamel@mpw.gov.ph")


def test_appointing_a_primary_takes_that_moa_off_the_gaps_note(world) -> None:
    db, ids = world
    at = on_page("admin")
    at.selectbox(key="fr_add_moa").set_value(ids["org:MBHTE"])
    at.text_input(key="fr_add_0_name").input("Omar Kasim")
    at.text_input(key="fr_add_0_email").input("omar.kasim@mbhte.example.ph")
    at.date_input(key="fr_add_0_appointed").set_value(date(2025, 6, 1))  # Usman left 31 Mar
    at.form_submit_button(key="fr_add_submit").click().run()
    assert not at.exception
    assert texts(at.warning) == [
        "1 MOA has no primary focal person in office: MSSD. Appoint one below, or ask the MOA "
        "to designate one."]
