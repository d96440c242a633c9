"""The MOA focal persons registry on both databases: directory, gaps, and who may edit what.

See tests/integration/evidence_world.py: on 30 June 2025 MOH has a primary (Amina Datu), an
ended alternate and a technical focal person; MBHTE's primary ended on 31 March 2025 and its
alternate is in office; MPW has a primary; MSSD has nobody; an LGU and an inactive MOA are
not MOAs to flag.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from obcms_core.adapters.orm import AuditLog, FocalPerson
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource, Role
from obcms_core.domain.errors import PermissionDenied, ValidationFailed
from obcms_core.services.dashboards import focal, focal_edit
from obcms_core.services.database import Database
from tests.integration.evidence_world import TODAY, build_evidence_world

ADMIN = Actor("admin", Role.ADMIN)
PLANNER = Actor("planner", Role.PLANNER)


@pytest.fixture
def world(db: Database) -> tuple[Database, dict[str, int]]:
    with db.uow() as uow:
        ids = build_evidence_world(uow)
        uow.commit()
    return db, ids


def moh_focal(ids: dict[str, int]) -> Actor:
    return Actor("moh.focal", Role.MOA_FOCAL, ids["org:MOH"])


def entry(**changes: object) -> focal_edit.FocalEntry:
    values: dict[str, object] = dict(full_name="Farida Mama", role="alternate",
                                     appointed_on=date(2025, 7, 1), email="farida@moh.example.ph",
                                     phone="0917-555-0199", designation="Planning Officer III")
    values.update(changes)
    return focal_edit.FocalEntry(**values)  # type: ignore[arg-type]


def directory(db: Database, **filters: object) -> list[tuple[str, str, str, bool]]:
    with db.uow() as uow:
        frame = focal.focal_directory(uow, focal.FocalFilters(**filters), TODAY)  # type: ignore[arg-type]
    return list(zip(frame["moa"], frame["role"], frame["full_name"], frame["active"],
                    strict=True))


def audit_rows(db: Database) -> list[tuple[str, str, str]]:
    with db.uow() as uow:
        rows = uow.session.execute(select(AuditLog.username, AuditLog.action, AuditLog.entity_id)
                                   .where(AuditLog.entity == "focal_person")
                                   .order_by(AuditLog.id)).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_the_directory_lists_each_moa_primary_first_and_says_who_is_in_office(world) -> None:
    db, _ = world
    assert directory(db) == [
        ("MBHTE", "Primary", "Jamal Usman", False),
        ("MBHTE", "Alternate", "Sittie Ampatuan", True),
        ("MOH", "Primary", "Amina Datu", True),
        ("MOH", "Alternate", "Rashid Ali", False),
        ("MOH", "Technical", "Noraida Sali", True),
        ("MPW", "Primary", "Bai Guiamel", True),
    ]


def test_search_and_filters_narrow_the_directory(world) -> None:
    db, ids = world
    assert [r[2] for r in directory(db, search="AMPATUAN")] == ["Sittie Ampatuan"]
    assert [r[2] for r in directory(db, search="mpw")] == ["Bai Guiamel"]  # by acronym
    assert [r[2] for r in directory(db, active_only=True)] == [
        "Sittie Ampatuan", "Amina Datu", "Noraida Sali", "Bai Guiamel"]
    assert [r[2] for r in directory(db, role="alternate")] == ["Sittie Ampatuan", "Rashid Ali"]
    assert [r[2] for r in directory(db, organization_id=ids["org:MOH"], active_only=True)] == [
        "Amina Datu", "Noraida Sali"]
    assert directory(db, search="nobody by this name") == []


def test_moas_without_a_primary_in_office_are_flagged(world) -> None:
    db, _ = world
    with db.uow() as uow:
        gaps = focal.focal_gaps(uow, TODAY)
    assert list(zip(gaps["moa"], gaps["last_primary_ended"], gaps["other_active"],
                    strict=True)) == [("MBHTE", date(2025, 3, 31), 1), ("MSSD", None, 0)]
    with db.uow() as uow:  # before Jamal Usman's appointment ended, only MSSD lacked one
        assert list(focal.focal_gaps(uow, date(2025, 3, 31))["moa"]) == ["MSSD"]


def test_only_admins_and_the_moas_own_focal_person_may_edit(world) -> None:
    db, ids = world
    moh = moh_focal(ids)
    assert focal_edit.may_edit(ADMIN, ids["org:MPW"])
    assert focal_edit.may_edit(moh, ids["org:MOH"]) and not focal_edit.may_edit(moh, ids["org:MPW"])
    assert not focal_edit.may_edit(PLANNER, ids["org:MOH"])
    with db.uow() as uow:
        assert focal_edit.editable_moas(uow, moh) == [(ids["org:MOH"], "MOH — Ministry of Health")]
        assert [label.split(" ")[0] for _, label in focal_edit.editable_moas(uow, ADMIN)] == [
            "MBHTE", "MOH", "MPW", "MSSD"]
        assert focal_edit.editable_moas(uow, PLANNER) == []


def test_a_focal_person_editing_another_moa_is_refused_and_nothing_changes(world) -> None:
    db, ids = world
    moh = moh_focal(ids)
    attempts = [
        lambda uow: focal_edit.end_appointment(uow, moh, ids["Bai Guiamel"], date(2025, 6, 1)),
        lambda uow: focal_edit.update_focal_person(uow, moh, ids["Bai Guiamel"],
                                              entry(role="primary", full_name="Someone Else")),
        lambda uow: focal_edit.appoint_focal_person(uow, moh, ids["org:MBHTE"], entry()),
    ]
    for attempt in attempts:
        with db.uow() as uow, pytest.raises(PermissionDenied, match="only your own MOA"):
            attempt(uow)
            uow.commit()
    with db.uow() as uow, pytest.raises(PermissionDenied, match="Only administrators and MOA"):
        focal_edit.end_appointment(uow, PLANNER, ids["Amina Datu"], date(2025, 6, 1))
    with db.uow() as uow:
        bai = uow.session.get(FocalPerson, ids["Bai Guiamel"])
        assert (bai.full_name, bai.role.value, bai.ended_on) == ("Bai Guiamel", "primary", None)
        assert uow.session.scalar(select(func.count(FocalPerson.id))) == 6
    assert audit_rows(db) == []


def test_a_focal_person_corrects_their_own_moas_entry_and_it_is_audited(world) -> None:
    db, ids = world
    with db.uow() as uow:
        changed = focal_edit.update_focal_person(
            uow, moh_focal(ids), ids["Noraida Sali"],
            entry(full_name="Noraida Sali", role="technical", appointed_on=date(2024, 5, 1),
                  email="noraida.sali@moh.example.ph", phone="(064) 421-1234",
                  designation="Statistician"))
        uow.commit()
    assert changed
    with db.uow() as uow:
        row = uow.session.scalars(select(AuditLog).where(AuditLog.entity == "focal_person")).one()
        person = uow.session.get(FocalPerson, ids["Noraida Sali"])
        assert (person.phone, person.designation) == ("(064) 421-1234", "Statistician")
        assert (row.username, row.action, row.source) == ("moh.focal", "update", ChangeSource.UI)
        assert (row.before["phone"], row.after["phone"]) == ("+63 917 555 0100", "(064) 421-1234")


def test_an_admin_fills_a_vacant_primary_post_and_the_gap_closes(world) -> None:
    db, ids = world
    with db.uow() as uow:
        new_id = focal_edit.appoint_focal_person(
            uow, ADMIN, ids["org:MBHTE"],
            entry(full_name="Omar Pendatun", role="primary", appointed_on=date(2025, 6, 2),
                  email="omar@mbhte.example.ph", phone=""))
        uow.commit()
    with db.uow() as uow:
        assert list(focal.focal_gaps(uow, TODAY)["moa"]) == ["MSSD"]
    assert audit_rows(db) == [("admin", "appoint", str(new_id))]


def test_a_second_primary_is_refused_unless_the_editor_hands_over(world) -> None:
    db, ids = world
    new_primary = entry(full_name="Hadji Salik", role="primary", appointed_on=date(2025, 7, 1))
    with db.uow() as uow, pytest.raises(ValidationFailed, match="one primary focal person at a "
                                        "time.*Amina Datu, appointed 2023-01-10 with no end date"):
        focal_edit.appoint_focal_person(uow, moh_focal(ids), ids["org:MOH"], new_primary)
    with db.uow() as uow:
        new_id = focal_edit.appoint_focal_person(uow, moh_focal(ids), ids["org:MOH"], new_primary,
                                            hand_over=True)
        uow.commit()
    with db.uow() as uow:
        amina = uow.session.get(FocalPerson, ids["Amina Datu"])
        assert amina.ended_on == date(2025, 6, 30)  # the day before the new primary starts
        for day in (TODAY, date(2025, 7, 1)):  # Amina is in office today, Hadji Salik tomorrow
            assert list(focal.focal_gaps(uow, day)["moa"]) == ["MBHTE", "MSSD"]
    assert audit_rows(db) == [("moh.focal", "end", str(ids["Amina Datu"])),
                              ("moh.focal", "appoint", str(new_id))]


def test_a_change_that_would_make_two_primaries_overlap_is_refused(world) -> None:
    db, ids = world
    with db.uow() as uow, pytest.raises(ValidationFailed, match="overlaps Amina Datu"):
        focal_edit.update_focal_person(uow, ADMIN, ids["Noraida Sali"],
                                  entry(full_name="Noraida Sali", role="primary",
                                        appointed_on=date(2024, 5, 1)))
    with db.uow() as uow:  # a primary appointed after Jamal Usman's ended does not overlap
        focal_edit.update_focal_person(uow, ADMIN, ids["Sittie Ampatuan"],
                                  entry(full_name="Sittie Ampatuan", role="primary",
                                        appointed_on=date(2025, 4, 1)))
        uow.commit()
    assert [a for _, a, _ in audit_rows(db)] == ["update"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "farida(at)moh"}, "'farida\\(at\\)moh' is not an e-mail address"),
        ({"phone": "call me"}, "'call me' is not a phone number"),
        ({"phone": "12345"}, "'12345' is not a phone number"),
        ({"email": "", "phone": " "}, "Give an e-mail address or a phone number"),
        ({"full_name": "  "}, "Type the focal person's full name"),
        ({"ended_on": date(2025, 6, 1)}, "cannot end \\(2025-06-01\\) before it starts"),
    ],
)
def test_invalid_entries_are_refused_in_words_and_nothing_is_saved(
    world, changes: dict[str, object], message: str
) -> None:
    db, ids = world
    with db.uow() as uow, pytest.raises(ValidationFailed, match=message):
        focal_edit.appoint_focal_person(uow, ADMIN, ids["org:MOH"], entry(**changes))
    with db.uow() as uow:
        assert uow.session.scalar(select(func.count(FocalPerson.id))) == 6
    assert audit_rows(db) == []


def test_ending_an_appointment_checks_its_dates_and_is_audited(world) -> None:
    db, ids = world
    actor = moh_focal(ids)
    with db.uow() as uow, pytest.raises(ValidationFailed, match="already ended on 2025-01-31"):
        focal_edit.end_appointment(uow, actor, ids["Rashid Ali"], date(2025, 6, 30))
    with db.uow() as uow, pytest.raises(ValidationFailed, match="before it started"):
        focal_edit.end_appointment(uow, actor, ids["Noraida Sali"], date(2024, 4, 30))
    with db.uow() as uow:
        focal_edit.end_appointment(uow, actor, ids["Noraida Sali"], date(2025, 6, 15))
        uow.commit()
    assert audit_rows(db) == [("moh.focal", "end", str(ids["Noraida Sali"]))]
    assert ("MOH", "Technical", "Noraida Sali", False) in directory(db)


def test_the_downloads_list_the_directory_with_readable_headers(world) -> None:
    db, _ = world
    with db.uow() as uow:
        frame = focal.focal_directory(uow, focal.FocalFilters(search="moh"), TODAY)
    rows = list(load_workbook(BytesIO(focal.directory_xlsx(frame, ["Search: moh"])))
                .active.iter_rows(values_only=True))
    assert rows[0][0] == "MOA focal persons" and rows[1][0] == "Search: moh"
    header = next(i for i, r in enumerate(rows) if r[0] == "MOA")
    first = dict(zip(rows[header], rows[header + 1], strict=True))
    assert (first["Name"], first["Role"], first["In office"]) == ("Amina Datu", "Primary", "Yes")
    assert len([r for r in rows[header + 1:] if r[0]]) == 3
    csv = focal.directory_csv(frame).decode("utf-8-sig").splitlines()
    assert csv[0] == ("MOA,MOA name,Role,Name,Designation,E-mail,Phone,Appointed,Ended,"
                      "In office")
    assert csv[2].endswith(",2024-02-01,2025-01-31,No")  # Rashid Ali
