"""seed-demo on SQLite and PostgreSQL: deterministic, idempotent, flagged, within budget rules."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, text

from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Base,
    Community,
    DatasetInfo,
    Municipality,
    Need,
    Organization,
    Province,
    Region,
    User,
)
from obcms_core.domain.enums import (
    AppropriationClass,
    ApprovalStatus,
    FundingSource,
    OrgType,
    PPAKind,
    PPASector,
    Role,
)
from obcms_core.domain.errors import ValidationFailed
from obcms_core.pipelines.demo import DEMO_USERS, demo_present, seed_demo
from obcms_core.services.database import Database
from obcms_core.services.users import authenticate
from tests.conftest import BACKENDS, Backends

MOAS = ("OOBC", "MOH", "MBHTE", "MPW", "MAFAR", "MSSD", "MTIT", "MILG", "MHSD", "MENRE", "MOLE")
PROVINCES = (("IX", "SULU", "Sulu"), ("IX", "CITY OF ZAMBOANGA", "City of Zamboanga"),
             ("X", "LANAO DEL NORTE", "Lanao del Norte"), ("XII", "COTABATO", "Cotabato"),
             ("XII", "SARANGANI", "Sarangani"))
GENERATED = ("need_category", "community", "need", "ppa", "ppa_coverage", "ppa_indicator",
             "ppa_status_change", "funding_flow", "need_ppa_link", "policy_recommendation",
             "policy_milestone", "policy_need_link", "policy_ppa_link", "focal_person",
             "coordination_meeting", "moa_quarterly_report", "service_offering",
             "service_application")
quiet = {"progress": lambda _msg: None}


def load_small_reference(db: Database) -> None:
    """Five provinces, ten towns, 120 barangays, eleven MOAs and one GAAB 2025 baseline PPA."""
    with db.uow() as uow:
        s = uow.session
        s.execute(insert(Region), [{"id": i, "code": c, "name": f"Region {c}"}
                                   for i, c in enumerate(("IX", "X", "XII"), 1)])
        region_id = {"IX": 1, "X": 2, "XII": 3}
        s.execute(insert(Province), [
            {"id": i, "region_id": region_id[r], "name": n, "census_name": c,
             "center_lat": 6.5 + i / 4, "center_lon": 121.5 + i / 2}
            for i, (r, c, n) in enumerate(PROVINCES, 1)])
        towns, barangays = [], []
        for prov in range(1, len(PROVINCES) + 1):
            for k in range(2):
                town = len(towns) + 1
                towns.append({"id": town, "province_id": prov, "name": f"Town {town}",
                              "is_city": k == 0})
                for _ in range(12):
                    n = len(barangays) + 1
                    barangays.append({"id": n, "municipality_id": town, "name": f"Barangay {n}",
                                      "population_2024": 250 + (n * 137) % 4000})
        s.execute(insert(Municipality), towns)
        s.execute(insert(Barangay), barangays)
        s.execute(insert(Organization), [{"id": i, "name": f"Office {a}", "acronym": a,
                                          "org_type": OrgType.MOA} for i, a in enumerate(MOAS, 1)])
        s.add(PPA(code="GAAB2025-MOH-0001", title="Health facilities (GAAB 2025)",
                  kind=PPAKind.MOA_PPA, sector=PPASector.SOCIAL, fiscal_year=2025,
                  appropriation_class=AppropriationClass.CO, funding_source=FundingSource.GAAB,
                  budget_allocation=Decimal("125000000.00"), approval_status=ApprovalStatus.ENACTED,
                  is_baseline=True, implementing_org_id=2))
        uow.commit()


def count(db: Database, model: type[Base], *where: object) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model).where(*where)))


def fingerprint(db: Database) -> dict[str, str]:
    """A hash of every generated table's demo rows in id order (timestamps included)."""
    result = {}
    with db.engine.connect() as conn:
        for name in GENERATED:
            table = Base.metadata.tables[name]
            query = select(table).order_by(*table.primary_key.columns)
            if "is_demo" in table.c:
                query = query.where(table.c.is_demo.is_(True))
            rows = conn.execute(query).all()
            result[name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return result


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest, backends: Backends) -> Iterator[Database]:
    """A database with the small reference set and demo data at scale 0.05 (read-only use)."""
    database = backends.new(request.param)
    load_small_reference(database)
    seed_demo(database, scale=0.05, seed=7, **quiet)
    yield database


def test_seeding_without_reference_data_is_refused(db):
    with pytest.raises(ValidationFailed, match="load-reference"):
        seed_demo(db, scale=0.02, **quiet)
    assert not demo_present(db)


def test_the_same_seed_and_scale_give_identical_rows_in_two_databases(seeded, backends):
    other = backends.new(seeded.engine.dialect.name)
    load_small_reference(other)
    seed_demo(other, scale=0.05, seed=7, **quiet)
    assert fingerprint(other) == fingerprint(seeded)


def test_seeding_again_with_the_same_seed_and_scale_changes_nothing_and_others_are_refused(db):
    load_small_reference(db)
    first = seed_demo(db, scale=0.02, seed=5, **quiet)
    before = fingerprint(db)
    again = seed_demo(db, scale=0.02, seed=5, **quiet)
    assert again.skipped and "nothing to do" in again.summary()
    assert again.counts == first.counts
    assert fingerprint(db) == before
    with pytest.raises(ValidationFailed, match="--replace"):
        seed_demo(db, scale=0.03, seed=5, **quiet)
    with pytest.raises(ValidationFailed, match="seed 5"):
        seed_demo(db, scale=0.02, seed=6, **quiet)
    assert fingerprint(db) == before


def test_replace_swaps_the_demo_data_and_keeps_reference_rows(db):
    load_small_reference(db)
    seed_demo(db, scale=0.02, seed=5, **quiet)
    needs_before = fingerprint(db)["need"]
    report = seed_demo(db, scale=0.04, seed=9, replace=True, **quiet)
    assert fingerprint(db)["need"] != needs_before
    assert count(db, Need) == report.counts["needs"] == 200
    assert count(db, PPA, PPA.is_baseline.is_(True)) == 1
    assert count(db, Organization) == len(MOAS)
    assert count(db, User) == len(DEMO_USERS)
    with db.uow() as uow:
        value = uow.session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == "demo"))
    assert (value["seed"], value["scale"]) == (9, 0.04)


def test_a_failed_seed_leaves_no_demo_rows(db, monkeypatch):
    import obcms_core.pipelines.demo.generate as generate

    real_insert = generate.insert_rows

    def failing(session, table, rows):
        if table == "policy_recommendation":
            raise RuntimeError("disk full")
        return real_insert(session, table, rows)

    load_small_reference(db)
    monkeypatch.setattr(generate, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        seed_demo(db, scale=0.02, **quiet)
    assert count(db, Community) == count(db, User) == 0
    assert not demo_present(db)


def test_every_row_in_a_table_with_a_demo_flag_is_flagged(seeded):
    with seeded.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "is_demo" in table.c and table.name != "organization":
                unflagged = conn.scalar(select(func.count()).select_from(table)
                                        .where(table.c.is_demo.is_(False)))
                expected = 1 if table.name == "ppa" else 0  # the GAAB baseline line
                assert unflagged == expected, table.name
    assert count(seeded, Organization, Organization.is_demo.is_(True)) == 0


def test_the_dataset_is_labelled_as_generated_demo_data(seeded):
    assert demo_present(seeded)
    with seeded.uow() as uow:
        value = uow.session.scalar(select(DatasetInfo.value).where(DatasetInfo.key == "demo"))
    assert value["generated_by"] == "seed-demo"
    assert value["note"] == "generated demo data, not real"
    assert (value["seed"], value["scale"]) == (7, 0.05)


def test_every_ppa_keeps_ceiling_above_allocation_above_obc_share(seeded):
    with seeded.engine.connect() as conn:
        bad = conn.scalar(text(
            "SELECT COUNT(*) FROM ppa WHERE is_demo AND NOT (budget_ceiling >= budget_allocation "
            "AND budget_allocation >= obc_allocation AND obc_allocation > 0)"))
        overspent = conn.scalar(text(
            "SELECT COUNT(*) FROM (SELECT p.id, p.budget_allocation AS a, "
            "SUM(CASE WHEN f.flow_type = 'allotment' THEN f.amount ELSE 0 END) AS allot, "
            "SUM(CASE WHEN f.flow_type = 'obligation' THEN f.amount ELSE 0 END) AS oblig, "
            "SUM(CASE WHEN f.flow_type = 'disbursement' THEN f.amount ELSE 0 END) AS paid "
            "FROM ppa p JOIN funding_flow f ON f.ppa_id = p.id GROUP BY p.id, p.budget_allocation"
            ") t WHERE NOT (a >= allot AND allot >= oblig AND oblig >= paid)"))
    assert bad == 0 and overspent == 0


def test_no_community_counts_more_obcs_than_its_barangay_has_people(seeded):
    with seeded.uow() as uow:
        rows = uow.session.execute(
            select(Community.estimated_obc_population, Community.households,
                   Barangay.population_2024).join(Barangay)).all()
    assert rows and all(0 < obc <= pop and 0 < hh <= obc for obc, hh, pop in rows)


def test_each_role_has_one_demo_user_who_logs_in_with_the_documented_password(seeded):
    assert {role for _, role, _, _ in DEMO_USERS} == set(Role)
    with seeded.uow() as uow:
        for username, role, _name, password in DEMO_USERS:
            user = authenticate(uow, username, password)
            assert user.role is role
        focal = authenticate(uow, "moafocal", "moafocal-demo-2025")
        acronym = uow.session.scalar(
            select(Organization.acronym).where(Organization.id == focal.organization_id))
    assert acronym == "MOH"


def test_records_added_after_seeding_get_fresh_ids(seeded):
    with seeded.uow() as uow:
        newest = uow.session.scalar(select(func.max(Community.id)))
        uow.session.add(Community(
            obc_code="XII-NEW-01-0001", barangay_id=uow.session.scalar(
                select(func.min(Barangay.id)).where(~Barangay.id.in_(select(Community.barangay_id)))),
            name="Entered by a user", estimated_obc_population=10, households=2,
            ethnolinguistic_group="maguindanaon", access_water="fair", access_electricity="fair",
            access_health="fair", access_education="fair", access_roads="fair"))
        uow.session.flush()
        added = uow.session.scalar(select(func.max(Community.id)))
    assert added == newest + 1  # rolled back: the shared database stays unchanged


def test_on_the_real_reference_data_demo_sits_in_real_barangays_and_spares_the_baseline(db):
    from obcms_core.pipelines.reference import load_reference

    load_reference(db, **quiet)
    baseline = select(func.count(), func.sum(PPA.budget_allocation)).where(PPA.is_demo.is_(False))
    with db.uow() as uow:
        before = uow.session.execute(baseline).one()
    seed_demo(db, scale=0.02, **quiet)
    seed_demo(db, scale=0.03, replace=True, **quiet)
    with db.uow() as uow:
        assert uow.session.execute(baseline).one() == before
        groups = uow.session.execute(
            select(Province.census_name, Community.ethnolinguistic_group,
                   Community.estimated_obc_population, Barangay.population_2024)
            .join(Barangay, Community.barangay_id == Barangay.id)
            .join(Municipality).join(Province)).all()
        moa = uow.session.scalar(select(Organization.acronym).join(
            User, User.organization_id == Organization.id).where(User.username == "moafocal"))
    assert before[0] >= 200 and moa == "MOH"
    assert len(groups) == 45 and all(obc <= pop for _, _, obc, pop in groups)
    sulu = {g for prov, g, _, _ in groups if prov == "SULU"}
    assert sulu <= {"tausug", "sama", "badjao", "jama_mapun", "other"}
    assert count(db, Organization, Organization.is_demo.is_(True)) == 0
