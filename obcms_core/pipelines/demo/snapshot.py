"""What the generator reads from the database first: geography, MOAs, existing keys and ids."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import (
    Barangay,
    Base,
    Community,
    CoordinationMeeting,
    MOAQuarterlyReport,
    Municipality,
    NeedCategory,
    Organization,
    Province,
    Region,
    User,
)
from obcms_core.domain.enums import OrgType

GENERATED_TABLES = (
    "community", "need_category", "need", "ppa", "ppa_coverage", "ppa_indicator",
    "ppa_status_change", "funding_flow", "policy_recommendation", "policy_milestone",
    "focal_person", "coordination_meeting", "moa_quarterly_report", "service_offering",
    "service_application",
)


@dataclass(frozen=True)
class Place:
    """One barangay with its municipality, province and region."""

    barangay_id: int
    barangay: str
    population: int
    latitude: float | None
    longitude: float | None
    municipality_id: int
    municipality: str
    is_city: bool
    muni_lat: float | None
    muni_lon: float | None
    muni_psgc: str | None
    province_id: int
    province: str
    province_key: str
    prov_lat: float | None
    prov_lon: float | None
    prov_psgc: str | None
    region_id: int
    region_code: str


@dataclass(frozen=True)
class Moa:
    id: int
    acronym: str
    name: str


@dataclass(frozen=True)
class Snapshot:
    places: list[Place]
    moas: list[Moa]
    regions: dict[int, tuple[str, str]]  # id -> (code, name)
    categories: dict[str, tuple[int, str]]  # name -> (id, weight)
    meeting_keys: set[tuple[int, int]]
    report_keys: set[tuple[int, int, int]]
    usernames: set[str]
    taken_barangays: set[int]
    next_ids: dict[str, int]

    def moa(self, acronym: str) -> Moa | None:
        """The MOA with this acronym, if loaded."""
        return next((m for m in self.moas if m.acronym == acronym), None)


def _display(name: str) -> str:
    """A province name for titles, without notes such as '(Not a Province)'."""
    return re.sub(r"\s*\(.*?\)", "", name).strip() or name


def barangay_count(session: Session) -> int:
    """How many barangays the reference data holds (none means it was not loaded)."""
    return int(session.scalar(select(func.count()).select_from(Barangay)) or 0)


def load_snapshot(session: Session) -> Snapshot:
    """Barangays with population (in PSGC order), MOAs, and what already exists."""
    rows = session.execute(
        select(
            Barangay.id, Barangay.name, Barangay.population_2024, Barangay.latitude,
            Barangay.longitude, Municipality.id, Municipality.name, Municipality.is_city,
            Municipality.latitude, Municipality.longitude, Municipality.psgc_code, Province.id,
            Province.name, Province.census_name, Province.center_lat, Province.center_lon,
            Province.psgc_code, Region.id, Region.code,
        )
        .join(Municipality, Barangay.municipality_id == Municipality.id)
        .join(Province, Municipality.province_id == Province.id)
        .join(Region, Province.region_id == Region.id)
        .where(Barangay.population_2024 > 0)
        .order_by(Region.code, Province.id, Municipality.id, Barangay.id)
    ).all()
    places = [
        Place(r[0], r[1], int(r[2] or 0), r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9], r[10],
              r[11], _display(r[12]), r[13] or r[12], r[14], r[15], r[16], r[17], r[18])
        for r in rows
    ]
    moas = [
        Moa(i, a or "", n)
        for i, a, n in session.execute(
            select(Organization.id, Organization.acronym, Organization.name)
            .where(Organization.org_type == OrgType.MOA, Organization.acronym.is_not(None))
            .order_by(Organization.acronym)
        )
    ]
    tables = Base.metadata.tables
    next_ids = {
        name: int(session.scalar(select(func.coalesce(func.max(tables[name].c.id), 0))) or 0) + 1
        for name in GENERATED_TABLES
    }
    return Snapshot(
        places=places,
        moas=moas,
        regions={
            i: (c, n) for i, c, n in session.execute(select(Region.id, Region.code, Region.name))
        },
        categories={
            n: (i, str(w))
            for i, n, w in session.execute(
                select(NeedCategory.id, NeedCategory.name, NeedCategory.weight)
            )
        },
        meeting_keys={
            (fy, q)
            for fy, q in session.execute(
                select(CoordinationMeeting.fiscal_year, CoordinationMeeting.quarter)
            )
        },
        report_keys={
            (o, fy, q)
            for o, fy, q in session.execute(
                select(
                    MOAQuarterlyReport.organization_id,
                    MOAQuarterlyReport.fiscal_year,
                    MOAQuarterlyReport.quarter,
                )
            )
        },
        usernames=set(session.scalars(select(User.username))),
        taken_barangays=set(session.scalars(select(Community.barangay_id))),
        next_ids=next_ids,
    )
