"""The community needs summary on both databases, against figures worked out by hand.

See tests/integration/evidence_world.py for the places, needs, links and applications. Open
needs are neither completed nor rejected; the funded part of a need is its cost times the sum
of its link shares, at most the whole cost. By hand, per community:

    community    OBC    needs  open  open cost   funded      unfunded    services (people)
    Balangasan   1,000  3      2     3,000,000   1,000,000   2,000,000   2 (50)
    Tiguma         500  1      1       400,000           0     400,000   0  (N5 is rejected)
    Baguitan       250  1      1       600,000     600,000           0   0  (0.75 + 0.5 > 1)
    Fort Pikit   2,000  2      2     3,000,000     750,000   2,250,000   1 (25)
    Inug-ug      1,250  2      2     2,000,000     800,000   1,200,000   0

Participatory budgeting votes are worked out per project in the `voted` fixture below.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook

from obcms_core.domain.errors import ValidationFailed
from obcms_core.services.dashboards import needs_summary as ns
from obcms_core.services.database import Database
from tests.integration.evidence_world import add_pb_votes, build_evidence_world

D = Decimal
FIGURES = ["communities", "population", "obc_population", "needs", "open_needs", "open_cost",
           "funded_cost", "unfunded_cost", "votes", "services_received", "service_beneficiaries"]


@pytest.fixture
def world(db: Database) -> tuple[Database, dict[str, int]]:
    with db.uow() as uow:
        ids = build_evidence_world(uow)
        uow.commit()
    return db, ids


def summary(db: Database, level: str, parent: int | None = None) -> pd.DataFrame:
    with db.uow() as uow:
        return ns.area_summary(uow, level, parent)


def figures(frame: pd.DataFrame) -> dict[str, tuple[object, ...]]:
    return {r["area"]: tuple(r[c] for c in FIGURES) for r in frame.to_dict("records")}


def test_regions_with_obc_communities_show_people_needs_money_and_services(world) -> None:
    db, _ = world
    frame = summary(db, "region")
    assert figures(frame) == {  # Region X has no OBC community, so it is not listed
        "Region IX": (3, 1_800_000, 1_750, 5, 4, D("4000000.00"), D("1600000.00"),
                      D("2400000.00"), 0, 2, 50),
        "Region XII": (2, 1_300_000, 3_250, 4, 4, D("5000000.00"), D("1550000.00"),
                       D("3450000.00"), 0, 1, 25),
    }
    ix, xii = frame.to_dict("records")
    assert ix["funded_share"] == pytest.approx(0.4)
    assert xii["funded_share"] == pytest.approx(0.31)
    assert ix["needs_per_1000"] == pytest.approx(5 / 1.75)
    assert ix["unfunded_per_person"] == D("1371.43")  # 2,400,000 / 1,750
    assert xii["unfunded_per_person"] == D("1061.54")  # 3,450,000 / 3,250
    assert xii["services_per_1000"] == pytest.approx(1 / 3.25)
    assert ix["obc_share_of_population"] == pytest.approx(1_750 / 1_800_000)


def test_drilling_down_lists_the_children_of_the_chosen_area(world) -> None:
    db, ids = world
    provinces = summary(db, "province", ids["region:IX"])
    assert list(provinces["area"]) == ["Zamboanga del Sur"]  # Sibugay has no OBC community
    assert provinces.iloc[0]["population"] == 1_100_000
    towns = summary(db, "municipality", ids["province:Zamboanga del Sur"])
    assert figures(towns) == {
        "Dumalinao": (1, 35_000, 250, 1, 1, D("600000.00"), D("600000.00"), D("0.00"), 0, 0, 0),
        "Pagadian City": (2, 210_000, 1_500, 4, 3, D("3400000.00"), D("1000000.00"),
                          D("2400000.00"), 0, 2, 50),
    }
    dumalinao, pagadian = towns.to_dict("records")
    assert dumalinao["funded_share"] == pytest.approx(1.0)
    assert dumalinao["needs_per_1000"] == pytest.approx(4.0)
    assert pagadian["unfunded_per_person"] == D("1600.00")
    assert pagadian["services_per_1000"] == pytest.approx(2 / 1.5)
    communities = summary(db, "community", ids["municipality:Pikit"])
    assert figures(communities) == {
        "Fort Pikit OBC": (1, 6_000, 2_000, 2, 2, D("3000000.00"), D("750000.00"),
                           D("2250000.00"), 0, 1, 25),
        "Inug-ug OBC": (1, 4_000, 1_250, 2, 2, D("2000000.00"), D("800000.00"),
                        D("1200000.00"), 0, 0, 0),
    }


def test_the_chosen_areas_totals_add_up_its_children(world) -> None:
    db, ids = world
    totals = ns.area_totals(summary(db, "community", ids["municipality:Pagadian City"]))
    assert totals == {
        "communities": 2, "obc_population": 1_500, "needs": 4, "open_needs": 3,
        "open_cost": D("3400000.00"), "unfunded_cost": D("2400000.00"),
        "funded_share": pytest.approx(1 / 3.4), "services_received": 2, "votes": 0,
        "needs_per_1000": pytest.approx(4 / 1.5), "unfunded_per_person": D("1600.00"),
    }


def test_needs_are_broken_down_by_status_and_category(world) -> None:
    db, _ = world
    with db.uow() as uow:
        status = ns.needs_breakdown(uow, "region", None, "status")
        category = ns.needs_breakdown(uow, "region", None, "category")
    assert list(status.columns) == ["area_id", "area", "Identified", "Validated", "Prioritized",
                                    "Planned", "In progress", "Completed", "Deferred"]
    assert status.drop(columns="area_id").to_dict("records") == [
        {"area": "Region IX", "Identified": 1, "Validated": 1, "Prioritized": 1, "Planned": 0,
         "In progress": 1, "Completed": 1, "Deferred": 0},
        {"area": "Region XII", "Identified": 0, "Validated": 1, "Prioritized": 1, "Planned": 1,
         "In progress": 0, "Completed": 0, "Deferred": 1},
    ]
    assert category.drop(columns="area_id").to_dict("records") == [
        {"area": "Region IX", "Education": 2, "Health": 1, "Water": 2},
        {"area": "Region XII", "Education": 1, "Health": 1, "Water": 2},
    ]


def votes(db: Database, level: str, parent: int | None, now: datetime) -> dict[int, int]:
    with db.uow() as uow:
        frame = ns.votes_by_area(uow, level, parent, now=now)
    return dict(zip(frame["area_id"], frame["votes"], strict=True))


@pytest.fixture
def voted(world) -> tuple[Database, dict[str, int]]:
    """The world with the two PB cycles of evidence_world (PB_CYCLES, PB_BALLOTS).

    Votes per project, by hand (a1's first ballot, N6, was replaced by N1 + N4):
        FY2025 (opened 1 Mar 2025): N1 3 (a1 a2 a4), N4 1, N6 1, N7 1, N9 1, IPIL-1 1,
                                    PIKIT-1 1, ANY-1 1 (placed nowhere)
        FY2026 (opened 1 Mar 2026): N1 1, N2 2, N10 1
    Places: N1, N2 Balangasan and N4 Tiguma (Pagadian City); N6 Baguitan (Dumalinao);
    IPIL-1 the town of Ipil (Zamboanga Sibugay, no OBC community); N7 Fort Pikit, N9 and N10
    Inug-ug and PIKIT-1 the town of Pikit (Cotabato, Region XII).
    """
    db, ids = world
    with db.uow() as uow:
        add_pb_votes(uow, ids)
        uow.commit()
    return db, ids


MID_2025 = datetime(2025, 6, 30, tzinfo=UTC)  # only FY2025 has opened
APRIL_2026 = datetime(2026, 4, 1, tzinfo=UTC)  # both have


def test_votes_count_for_the_area_of_each_marked_project_down_to_the_community(voted) -> None:
    db, ids = voted
    # IX: N1 3 + N4 1 + N6 1 + IPIL-1 1; XII: N7 1 + N9 1 + PIKIT-1 1; ANY-1 counts nowhere
    assert votes(db, "region", None, MID_2025) == {ids["region:IX"]: 6, ids["region:XII"]: 3}
    assert votes(db, "province", ids["region:IX"], MID_2025) == {
        ids["province:Zamboanga del Sur"]: 5, ids["province:Zamboanga Sibugay"]: 1}
    assert votes(db, "municipality", ids["province:Zamboanga del Sur"], MID_2025) == {
        ids["municipality:Pagadian City"]: 4, ids["municipality:Dumalinao"]: 1}
    assert votes(db, "community", ids["municipality:Pagadian City"], MID_2025) == {
        ids["Balangasan"]: 3, ids["Tiguma"]: 1}
    # PIKIT-1 is placed in the town only, so it counts for Pikit but for no community in it
    assert votes(db, "municipality", ids["province:Cotabato"], MID_2025) == {
        ids["municipality:Pikit"]: 3}
    assert votes(db, "community", ids["municipality:Pikit"], MID_2025) == {
        ids["Fort Pikit"]: 1, ids["Inug-ug"]: 1}
    assert votes(db, "province", ids["region:X"], MID_2025) == {}


def test_votes_add_up_every_cycle_whose_voting_has_opened(voted) -> None:
    db, ids = voted
    before_any = datetime(2025, 2, 28, tzinfo=UTC)
    assert votes(db, "region", None, before_any) == {}
    # FY2026 adds N1 1 + N2 2 in Balangasan (IX) and N10 1 in Inug-ug (XII)
    assert votes(db, "region", None, APRIL_2026) == {ids["region:IX"]: 9, ids["region:XII"]: 4}
    assert votes(db, "community", ids["municipality:Pagadian City"], APRIL_2026) == {
        ids["Balangasan"]: 6, ids["Tiguma"]: 1}
    assert votes(db, "community", ids["municipality:Pikit"], APRIL_2026) == {
        ids["Fort Pikit"]: 1, ids["Inug-ug"]: 2}


def test_the_summary_shows_the_votes_beside_the_other_figures(voted) -> None:
    db, ids = voted
    with db.uow() as uow:
        regions = ns.area_summary(uow, "region", None, now=APRIL_2026)
        provinces = ns.area_summary(uow, "province", ids["region:IX"], now=MID_2025)
    assert dict(zip(regions["area"], regions["votes"], strict=True)) == {
        "Region IX": 9, "Region XII": 4}
    # Zamboanga Sibugay's vote (IPIL-1) is not listed: the province has no OBC community
    assert dict(zip(provinces["area"], provinces["votes"], strict=True)) == {
        "Zamboanga del Sur": 5}
    assert ns.area_totals(provinces)["votes"] == 5
    assert figures(provinces)["Zamboanga del Sur"][FIGURES.index("needs")] == 5  # unchanged


def test_without_any_cycle_every_area_has_no_votes(world) -> None:
    db, ids = world
    assert votes(db, "region", None, APRIL_2026) == {}
    frame = summary(db, "municipality", ids["province:Zamboanga del Sur"])
    assert list(frame["votes"]) == [0, 0]


def test_an_area_without_obc_communities_has_no_rows(world) -> None:
    db, ids = world
    assert summary(db, "province", ids["region:X"]).empty
    assert ns.area_totals(summary(db, "province", ids["region:X"]))["funded_share"] is None


def test_a_level_without_its_parent_is_refused_in_words(world) -> None:
    db, ids = world
    with db.uow() as uow, pytest.raises(ValidationFailed, match="needs the area above it"):
        ns.area_summary(uow, "municipality", None)
    with db.uow() as uow, pytest.raises(ValidationFailed, match="Unknown area level 'barangay'"):
        ns.area_summary(uow, "barangay", ids["municipality:Pikit"])


def test_the_downloads_hold_the_areas_with_readable_headers(world) -> None:
    db, ids = world
    frame = summary(db, "municipality", ids["province:Zamboanga del Sur"])
    book = ns.summary_xlsx(frame, ["Region IX", "Zamboanga del Sur"], "municipality")
    rows = list(load_workbook(BytesIO(book)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Community needs summary"
    assert rows[1][0] == "Area: Region IX › Zamboanga del Sur"
    header = next(i for i, r in enumerate(rows) if r[0] == "Area")
    pagadian = dict(zip(rows[header], rows[header + 2], strict=True))
    assert pagadian["Area"] == "Pagadian City"
    assert D(str(pagadian["Unfunded cost"])) == D("2400000.00")
    assert pagadian["Votes"] == 0
    total = dict(zip(rows[header], rows[header + 3], strict=True))
    assert (total["Area"], total["OBC population"]) == ("Total", 1_750)
    csv = ns.summary_csv(frame).decode("utf-8-sig").splitlines()
    assert csv[0].split(",")[:3] == ["Area", "OBC communities", "Population (2024 census)"]
    assert csv[1].startswith("Dumalinao,1,35000,250,1,1,600000.00,1.0,0.00,0,0,0,4.0,0.00,")
