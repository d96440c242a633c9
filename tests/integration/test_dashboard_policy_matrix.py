"""The policy–budget matrix on both databases, against figures worked out by hand.

See tests/integration/evidence_world.py for the policies, PPAs and milestones. By hand:

    policy      PPAs counted     allocation    OBC share   est. cost   funding     done  overdue
    2024-0001   A (E rejected)   10,000,000    4,000,000   5,000,000   partly      1/3   1
    2024-0002   B, D             13,000,000    3,000,000   2,500,000   funded      2/2   0
    2024-0003   C (no OBC share)  3,000,000            0   —           unfunded    0/2   1
    2025-0001   —                         0            0   1,000,000   unfunded    0/0   0
    2025-0002   A, D             18,000,000    5,000,000   —           funded      0/1   0
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from obcms_core.services.dashboards import policy_matrix as pm
from obcms_core.services.database import Database
from tests.integration.evidence_world import TODAY, build_evidence_world

D = Decimal


@pytest.fixture
def world(db: Database) -> Database:
    with db.uow() as uow:
        build_evidence_world(uow)
        uow.commit()
    return db


def matrix(db: Database, **filters: str) -> dict[str, dict[str, object]]:
    with db.uow() as uow:
        frame = pm.policy_matrix(uow, pm.PolicyFilters(**filters), TODAY)
    return {row["reference_number"][8:]: row for row in frame.to_dict("records")}


def test_each_policy_shows_its_ppas_money_funding_and_milestones(world: Database) -> None:
    rows = matrix(world)
    got = {
        ref: (r["ppas"], r["funded_ppas"], r["allocation"], r["obc_share"], r["funding"],
              r["milestones_done"], r["milestones_total"], r["overdue"], r["has_overdue"])
        for ref, r in rows.items()
    }
    assert got == {
        "2024-0001": (1, 1, D("10000000.00"), D("4000000.00"), "Partly funded", 1, 3, 1, True),
        "2024-0002": (2, 2, D("13000000.00"), D("3000000.00"), "Funded", 2, 2, 0, False),
        "2024-0003": (1, 0, D("3000000.00"), D("0.00"), "Unfunded", 0, 2, 1, True),
        "2025-0001": (0, 0, D("0.00"), D("0.00"), "Unfunded", 0, 0, 0, False),
        "2025-0002": (2, 2, D("18000000.00"), D("5000000.00"), "Funded", 0, 1, 0, False),
    }
    assert rows["2024-0001"]["category"] == "Economic development"
    assert rows["2024-0001"]["status"] == "In implementation"
    assert rows["2025-0001"]["region"] is None  # a national policy


def test_the_summary_counts_funding_states_overdue_policies_and_money(world: Database) -> None:
    with world.uow() as uow:
        summary = pm.matrix_summary(pm.policy_matrix(uow, pm.PolicyFilters(), TODAY))
    assert summary == pm.MatrixSummary(
        policies=5, funded=2, partly_funded=1, unfunded=2, with_overdue=2,
        allocation=D("44000000.00"), obc_share=D("12000000.00"))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "economic_development"}, {"2024-0001", "2025-0002"}),
        ({"status": "in_implementation"}, {"2024-0001", "2025-0002"}),
        ({"region_code": "IX"}, {"2024-0001", "2024-0003"}),
        ({"region_code": "XII"}, {"2024-0002", "2025-0002"}),
        ({"category": "social_development", "region_code": "IX"}, {"2024-0003"}),
        ({"category": "comprehensive"}, set()),
    ],
)
def test_a_planner_narrows_the_matrix_by_category_status_and_region(
    world: Database, filters: dict[str, str], expected: set[str]
) -> None:
    assert set(matrix(world, **filters)) == expected


def test_an_empty_filter_gives_an_empty_summary(world: Database) -> None:
    with world.uow() as uow:
        frame = pm.policy_matrix(uow, pm.PolicyFilters(region_code="X"), TODAY)
    assert frame.empty
    assert pm.matrix_summary(frame) == pm.MatrixSummary(0, 0, 0, 0, 0, D(0), D(0))


def test_the_heat_map_counts_each_ppa_once_per_category_and_sector(world: Database) -> None:
    with world.uow() as uow:
        frame = pm.category_sector_heatmap(uow, pm.PolicyFilters())
        ix = pm.category_sector_heatmap(uow, pm.PolicyFilters(region_code="IX"))
    cells = {(r.category, r.sector): (r.ppas, r.allocation, r.obc_share)
             for r in frame.itertuples()}
    # Economic development: A (from two policies, once) and D; E is rejected.
    assert cells == {
        ("Economic development", "Infrastructure"): (2, D("18000000.00"), D("5000000.00")),
        ("Social development", "Infrastructure"): (1, D("8000000.00"), D("1000000.00")),
        ("Social development", "Social"): (2, D("8000000.00"), D("2000000.00")),
    }
    assert {(r.category, r.sector, r.ppas) for r in ix.itertuples()} == {
        ("Economic development", "Infrastructure", 1), ("Social development", "Social", 1)}


def test_overdue_milestones_are_listed_longest_late_first(world: Database) -> None:
    with world.uow() as uow:
        frame = pm.overdue_milestones(uow, pm.PolicyFilters(), TODAY)
        xii = pm.overdue_milestones(uow, pm.PolicyFilters(region_code="XII"), TODAY)
    assert list(zip(frame["reference_number"], frame["sequence"], frame["days_overdue"],
                    strict=True)) == [("OOBC-PR-2024-0001", 2, 91), ("OOBC-PR-2024-0003", 2, 1)]
    assert list(frame["status"]) == ["Delayed", "In progress"]
    assert xii.empty  # the cancelled step of 2024-0002 is never overdue


def test_the_downloads_hold_the_filtered_rows_with_readable_headers(world: Database) -> None:
    filters = pm.PolicyFilters(region_code="IX")
    with world.uow() as uow:
        frame = pm.policy_matrix(uow, filters, TODAY)
    sheet = load_workbook(BytesIO(pm.matrix_xlsx(frame, filters, TODAY))).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Policy–budget matrix"]
    assert ["Region: IX"] in values
    header = values.index(["Reference", "Policy recommendation", "Category", "Status", "Region",
                           "Estimated cost", "Implementing PPAs", "PPAs with an OBC share",
                           "Allocation", "OBC share", "Funding", "Milestones done", "Milestones",
                           "Overdue milestones"])
    first = values[header + 1]
    assert first[0] == "OOBC-PR-2024-0001" and first[-4] == "Partly funded"
    total = dict(zip(values[header], list(sheet.iter_rows(values_only=True))[header + 3],
                     strict=False))
    assert total["Reference"] == "Total"
    assert D(str(total["Allocation"])) == D("13000000.00")  # IX: 10,000,000 + 3,000,000
    assert (total["Implementing PPAs"], total["Overdue milestones"]) == (2, 2)
    csv = pm.matrix_csv(frame).decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Reference,Policy recommendation,Category")
    assert csv[2].startswith("OOBC-PR-2024-0003,Policy OOBC-PR-2024-0003,Social development,"
                             "Submitted,IX,,1,0,3000000.00,0.00,Unfunded,0,2,1")
