"""Community votes in the gap analysis, on the dashboard world with the cycles of gap_votes_world.

The expected votes are counted by hand in gap_votes_world.py's docstring. The FY2025 unfunded
needs are N1 N5 N12 N4 N6 in priority order (test_dashboard_gaps.py says why); N4 was on a
ballot nobody chose it on and N6 was on no ballot.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pandas as pd
import pytest
from dashboard_world import World, build_dashboard_world
from gap_votes_world import YOUTH_CYCLE_OPENS, add_votes
from openpyxl import load_workbook

from obcms_core.services.dashboards import gap_votes, gaps
from obcms_core.services.dashboards.filters import DashboardFilters as F
from obcms_core.services.database import Database
from obcms_core.services.pb import top_voted_needs

FY25 = F(fiscal_year=2025)


@pytest.fixture
def world(db: Database) -> World:
    built = build_dashboard_world(db)
    add_votes(db, built)
    return built


def top(db: Database, world: World, filters: F, limit: int = 10, **kw: object
        ) -> list[tuple[str, int]]:
    """(need key, votes) of the top community priorities, in order."""
    keys = {v: k for k, v in world.needs.items()}
    with db.uow() as uow:
        table = gaps.top_community_priorities(uow, filters, limit, **kw)  # type: ignore[arg-type]
    return [(keys[int(n)], int(v)) for n, v in zip(table["need_id"], table["votes"], strict=True)]


def test_the_most_voted_needs_of_the_year_come_first_adding_up_every_cycle(db, world):
    # N5 has 2 votes in the barangay cycle and 2 in the youth cycle; N1 and N5 tie on 4 and
    # the older need comes first. N4 was on the ballot but nobody chose it: not listed.
    assert top(db, world, FY25) == [("N1", 4), ("N5", 4), ("N12", 3), ("N2", 2)]
    assert top(db, world, F(fiscal_year=2026)) == [("N11", 2), ("N1", 1)]
    assert top(db, world, F()) == [("N1", 5), ("N5", 4), ("N12", 3), ("N2", 2), ("N11", 2)]
    assert top(db, world, F(fiscal_year=2024)) == []
    assert top(db, world, FY25, limit=2) == [("N1", 4), ("N5", 4)]


def test_the_table_names_each_need_with_its_community_and_town(db, world):
    with db.uow() as uow:
        table = gaps.top_community_priorities(uow, F(fiscal_year=2026), 10)
    assert list(table.columns) == ["need_id", "title", "community", "municipality", "votes"]
    assert table.values.tolist() == [
        [world.needs["N11"], "Skills training, Kayaga", "OBC of Kayaga", "Kabacan", 2],
        [world.needs["N1"], "Level II water system, Fort Pikit", "OBC of Fort Pikit", "Pikit", 1],
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (F(fiscal_year=2025, region_code="XII"), [("N1", 4), ("N5", 4)]),
        (F(fiscal_year=2025, region_code="IX"), [("N12", 3), ("N2", 2)]),
        (F(fiscal_year=2025, sector="education"), [("N12", 3), ("N2", 2)]),
        (F(fiscal_year=2025, region_code="X"), []),  # N4 had no vote
    ],
    ids=["region-XII", "region-IX", "education", "region-X"],
)
def test_place_and_sector_filters_narrow_the_priorities(db, world, filters, expected):
    assert top(db, world, filters) == expected


def test_town_province_and_category_filters_use_ids(db, world):
    kabacan = F(fiscal_year=2025, municipality_id=world.municipalities["Kabacan"])
    assert top(db, world, kabacan) == [("N5", 4)]
    zds = F(fiscal_year=2025, province_id=world.provinces["Zamboanga del Sur"])
    assert top(db, world, zds) == [("N2", 2)]
    water = F(fiscal_year=2025, category_id=world.categories["Water and sanitation"])
    assert top(db, world, water) == [("N1", 4), ("N5", 4)]


def test_urgency_status_and_score_filters_do_not_hide_what_communities_voted_for(db, world):
    # N12 and N2 are short term, N2 is funded and scores 3.0; N1 and N5 are immediate.
    chosen = F(fiscal_year=2025, urgency="immediate", status="validated",
               min_priority=Decimal("3.4"))
    assert top(db, world, chosen) == [("N1", 4), ("N5", 4), ("N12", 3), ("N2", 2)]


def test_only_cycles_whose_voting_has_opened_count(db, world):
    # On 1 May 2025 the youth cycle (opening 1 June) had not opened: N5 has its 2 barangay votes.
    may = datetime(2025, 5, 1, tzinfo=UTC)
    assert may < YOUTH_CYCLE_OPENS
    assert top(db, world, FY25, now=may) == [("N1", 4), ("N12", 3), ("N2", 2), ("N5", 2)]
    with db.uow() as uow:
        assert gap_votes.ballots_cast(uow, 2025, now=may) == 7


def test_ballots_cast_per_year(db, world):
    with db.uow() as uow:
        assert [gap_votes.ballots_cast(uow, y) for y in (2024, 2025, 2026, None)] == [0, 9, 2, 11]


def test_without_filters_the_list_agrees_with_the_participatory_budgeting_service(db, world):
    with db.uow() as uow:
        service = [(n.need_id, n.votes) for n in top_voted_needs(uow, 2025)]
    assert [(world.needs[k], v) for k, v in top(db, world, FY25)] == service


def test_the_ranked_table_shows_votes_and_leaves_needs_on_no_ballot_empty(db, world):
    with db.uow() as uow:
        fy25 = gaps.unfunded_needs(uow, FY25).set_index("need_id")["votes"]
        fy26 = gaps.unfunded_needs(uow, F(fiscal_year=2026)).set_index("need_id")["votes"]
    n = world.needs
    assert [fy25[n[k]] for k in ("N1", "N5", "N12", "N4")] == [4, 4, 3, 0]
    assert pd.isna(fy25[n["N6"]])
    # FY2026 counts only the FY2026 cycle: N12 and N4 were on no FY2026 ballot.
    assert [fy26[n[k]] for k in ("N1", "N11")] == [1, 2]
    assert all(pd.isna(fy26[n[k]]) for k in ("N12", "N4", "N6"))


def test_the_downloads_carry_the_votes_column(db, world):
    with db.uow() as uow:
        data = gaps.unfunded_export(uow, F(fiscal_year=2025, region_code="XII"), "xlsx")
        text = gaps.unfunded_export(uow, F(fiscal_year=2025, urgency="long_term"), "csv")
    ws = load_workbook(BytesIO(data)).active
    header = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Need ID")
    col = [c.value for c in ws[header]].index("Votes") + 1
    # Region XII, highest priority first: N1 (4 votes), N5 (4), N6 (on no ballot).
    assert [ws.cell(r, col).value for r in range(header + 1, header + 4)] == [4, 4, None]
    assert ws.cell(header + 1, col).number_format == "#,##0"
    assert any("Votes: ballots that chose the need in participatory budgeting (FY 2025 cycles)"
               in str(ws.cell(r, 1).value) for r in range(2, header))
    header_row, *rows = csv.reader(StringIO(text.decode("utf-8-sig")))
    assert [row[header_row.index("Votes")] for row in rows] == [""]  # N6, on no ballot
