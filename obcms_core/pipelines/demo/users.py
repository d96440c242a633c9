"""One demo login per role, and focal persons for every MOA (a few deliberately missing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.enums import ChangeSource, FocalRole, Role
from obcms_core.pipelines.demo.base import AS_OF, Ids, Row, day_between, pick, streams
from obcms_core.pipelines.demo.snapshot import Moa
from obcms_core.pipelines.demo.texts import (
    DESIGNATIONS,
    TECH_DESIGNATIONS,
    fake_email,
    fake_phone,
    person,
)
from obcms_core.services.users import create_user

# (username, role, full name, password): published in the docs, so never use them for real data.
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (
    ("admin", Role.ADMIN, "Amina Sarip", "admin-demo-2025"),
    ("budget", Role.BUDGET_OFFICER, "Rashid Guiamel", "budget-demo-2025"),
    ("planner", Role.PLANNER, "Norhaya Lidasan", "planner-demo-2025"),
    ("analyst", Role.ANALYST, "Carlo Bautista", "analyst-demo-2025"),
    ("executive", Role.EXECUTIVE, "Abdulrahman Usman", "executive-demo-2025"),
    ("moafocal", Role.MOA_FOCAL, "Johaira Ampuan", "moafocal-demo-2025"),
    ("community", Role.COMMUNITY_MEMBER, "Jamal Sahibul", "community-demo-2025"),
    ("partner", Role.PARTNER, "Grace Navarro", "partner-demo-2025"),
)
MOA_FOCAL_NAME = next(name for _, role, name, _ in DEMO_USERS if role is Role.MOA_FOCAL)
DEMO_MOA = "MOH"  # the organisation of the demo MOA focal person
# Demo passwords are published, so a slow hash would protect nothing; real accounts keep 12.
DEMO_BCRYPT_ROUNDS = 6


def create_demo_users(uow: UnitOfWork, existing: set[str], moa: Moa | None) -> dict[str, int]:
    """Create each demo login not already taken; returns username -> id of those created."""
    created: dict[str, int] = {}
    for username, role, name, password in DEMO_USERS:
        if username in existing or (role is Role.MOA_FOCAL and moa is None):
            continue
        info = create_user(
            uow, username=username, full_name=name, email=f"{username}@demo.example.gov.ph",
            password=password, role=role, source=ChangeSource.PIPELINE, actor="seed-demo",
            organization_acronym=moa.acronym if role is Role.MOA_FOCAL and moa else None,
            is_demo=True, bcrypt_rounds=DEMO_BCRYPT_ROUNDS,
        )
        created[username] = info.id
    return created


def _focal(ids: Ids, moa: Moa, role: FocalRole, name: tuple[str, str], designation: str,
           appointed: date, ended: date | None, phone: str, user_id: int | None = None) -> Row:
    return {
        "id": ids.one("focal_person"), "organization_id": moa.id, "user_id": user_id,
        "full_name": " ".join(name), "role": role, "designation": designation,
        "email": fake_email(*name, moa.acronym.lower()), "phone": phone,
        "appointed_on": appointed, "ended_on": ended, "is_demo": True,
    }


def generate_focal_persons(
    moas: Sequence[Moa], ids: Ids, seed: int, focal_user: tuple[int, Moa] | None = None
) -> list[Row]:
    """Primary for most MOAs, alternate and technical for some, a few past appointments."""
    rand, _ = streams(seed, "focal_persons")
    rows: list[Row] = []
    order = list(moas)
    rand.shuffle(order)
    # About one MOA in twelve has no active primary (a vacancy the dashboard should flag).
    vacant = {m.id for m in order[: max(1, len(order) // 12)] if len(order) > 3}
    if focal_user:
        vacant.discard(focal_user[1].id)
    for moa in moas:
        start = day_between(rand, date(2019, 3, 1), date(2024, 6, 30))
        if rand.random() < 0.25 or moa.id in vacant:
            ended = min(AS_OF - timedelta(days=30), start + timedelta(days=rand.randint(200, 900)))
            rows.append(_focal(ids, moa, FocalRole.PRIMARY, person(rand), pick(rand, DESIGNATIONS),
                               start, max(start, ended), fake_phone(rand)))
            start = max(start, ended) + timedelta(days=1)
        if moa.id not in vacant:
            user_id = focal_user[0] if focal_user and focal_user[1].id == moa.id else None
            first, last = MOA_FOCAL_NAME.split(" ", 1)
            name = (first, last) if user_id else person(rand)
            rows.append(_focal(ids, moa, FocalRole.PRIMARY, name, pick(rand, DESIGNATIONS),
                               start, None, fake_phone(rand), user_id))
        if rand.random() < 0.6:
            appointed = day_between(rand, date(2020, 1, 6), date(2025, 3, 31))
            until = appointed + timedelta(days=rand.randint(180, 700))
            alt_ended = min(until, AS_OF) if rand.random() < 0.15 else None
            rows.append(_focal(ids, moa, FocalRole.ALTERNATE, person(rand),
                               pick(rand, DESIGNATIONS), appointed, alt_ended, fake_phone(rand)))
        if rand.random() < 0.35:
            rows.append(_focal(ids, moa, FocalRole.TECHNICAL, person(rand, 0.6),
                               pick(rand, TECH_DESIGNATIONS),
                               day_between(rand, date(2021, 1, 4), date(2025, 6, 30)), None,
                               fake_phone(rand)))
    return rows
