"""The gap analysis on the hand-built dashboard world; expected figures are worked out by hand.

In scope for FY2025 (validated or prioritized, recorded by 2025-12-31): N1 N2 N3 N4 N5 N6 N10 N12
(N11 was recorded in 2026). Funded by a PPA that is not rejected, of FY2025 or earlier: N2
(MBHTE-2025-02), N3 (MOH-2024-01, half), N10 (MPW-2025-01, 60 %). N4's only PPA was rejected and
N5's PPA is of FY2026, so the unfunded needs are N1 N4 N5 N6 N12.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from dashboard_world import World, build_dashboard_world
from openpyxl import load_workbook
from sqlalchemy import func, select

from obcms_core.adapters.orm import AuditLog, Need, NeedPPALink
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import NotFound, PermissionDenied, ValidationFailed
from obcms_core.services.dashboards import gap_actions, gaps
from obcms_core.services.dashboards.filters import DashboardFilters as F
from obcms_core.services.dashboards.filters import filter_lines, filter_summary
from obcms_core.services.database import Database

PLANNER = Actor("planner", Role.PLANNER)
FY25 = F(fiscal_year=2025)


@pytest.fixture
def world(db: Database) -> World:
    return build_dashboard_world(db)


def summary(db: Database, filters: F) -> gaps.GapSummary:
    with db.uow() as uow:
        return gaps.gap_summary(uow, filters)


def test_fy2025_counts_five_unfunded_needs_costing_six_million_one_hundred_thousand(db, world):
    got = summary(db, FY25)
    assert (got.needs_in_scope, got.funded_needs, got.unfunded_needs) == (8, 3, 5)
    assert got.affected_population == 400 + 120 + 600 + 150 + 80
    assert got.unfunded_cost == Decimal("6100000.00")  # N6 has no estimate
    assert got.uncosted_needs == 1
    assert got.funded_share == Decimal("0.3750")


def test_a_later_fiscal_year_counts_its_own_ppas_and_needs_recorded_that_year(db, world):
    fy26 = summary(db, F(fiscal_year=2026))  # N5 funded by the FY2026 road; N11 recorded
    assert (fy26.needs_in_scope, fy26.unfunded_needs) == (9, 5)
    assert fy26.unfunded_cost == Decimal("5500000.00")
    assert fy26.affected_population == 950
    fy24 = summary(db, F(fiscal_year=2024))  # only N1 N2 N3 N12 recorded; N3 funded
    assert (fy24.needs_in_scope, fy24.unfunded_needs) == (4, 3)
    assert fy24.unfunded_cost == Decimal("6000000.00")
    assert fy24.funded_share == Decimal("0.2500")


@pytest.mark.parametrize(
    ("filters", "needs", "cost"),
    [
        (F(fiscal_year=2025, region_code="XII"), 3, "4200000.00"),
        (F(fiscal_year=2025, region_code="IX"), 1, "1000000.00"),
        (F(fiscal_year=2025, urgency="immediate"), 2, "4200000.00"),
        (F(fiscal_year=2025, status="prioritized"), 3, "3100000.00"),
        (F(fiscal_year=2025, sector="infrastructure"), 2, "4200000.00"),
        (F(fiscal_year=2025, min_priority=Decimal("3.0")), 2, "4200000.00"),
    ],
    ids=["region-XII", "region-IX", "immediate", "prioritized", "infrastructure", "score>=3"],
)
def test_each_filter_narrows_the_unfunded_needs(db, world, filters, needs, cost):
    got = summary(db, filters)
    assert (got.unfunded_needs, got.unfunded_cost) == (needs, Decimal(cost))


def test_place_and_category_filters_use_ids(db, world):
    pikit = F(fiscal_year=2025, municipality_id=world.municipalities["Pikit"])
    assert (summary(db, pikit).unfunded_needs, summary(db, pikit).unfunded_cost) == (
        2, Decimal("3000000.00"))
    cotabato = summary(db, F(fiscal_year=2025, province_id=world.provinces["Cotabato"]))
    assert cotabato.unfunded_needs == 3
    education = summary(db, F(fiscal_year=2025, category_id=world.categories["Education"]))
    assert (education.needs_in_scope, education.unfunded_needs) == (3, 2)


def test_filters_that_match_nothing_give_zeros_and_no_share(db, world):
    got = summary(db, F(fiscal_year=2025, region_code="IX", urgency="long_term"))
    assert (got.needs_in_scope, got.unfunded_needs, got.unfunded_cost) == (0, 0, Decimal(0))
    assert got.funded_share is None
    with db.uow() as uow:
        assert gaps.unfunded_needs(uow, F(region_code="IX", urgency="long_term")).empty


def test_the_filters_are_said_in_words_for_the_downloads(db, world):
    chosen = F(fiscal_year=2025, region_code="XII", province_id=world.provinces["Cotabato"],
               municipality_id=world.municipalities["Pikit"], sector="education",
               category_id=world.categories["Education"], urgency="long_term",
               status="validated", min_priority=Decimal("1.5"))
    with db.uow() as uow:
        assert filter_lines(uow, chosen) == [
            "Fiscal year: 2025", "Region: Region XII – SOCCSKSARGEN", "Province: Cotabato",
            "City / municipality: Pikit", "Sector: Education", "Category: Education",
            "Urgency: Long term", "Status: Validated", "Minimum priority score: 1.5",
        ]
        assert filter_summary(uow, F()) == "Fiscal year: all years; no other filter"
        assert gaps.unfunded_needs(uow, chosen)["title"].tolist() == [
            "Learning materials, Inug-ug"]


def test_bad_filter_values_are_refused_in_words():
    with pytest.raises(ValidationFailed, match="minimum priority score cannot be below zero"):
        F(min_priority=Decimal("-1"))
    with pytest.raises(ValidationFailed, match="'soon' is not a need urgency"):
        F(urgency="soon")


def test_unfunded_cost_by_region_and_sector(db, world):
    with db.uow() as uow:
        table = gaps.cost_by_region_sector(uow, FY25)
    assert table.values.tolist() == [
        ["IX", "Education", 1, Decimal("1000000.00")],
        ["X", "Economic development", 1, Decimal("900000.00")],
        ["XII", "Education", 1, Decimal("0.00")],
        ["XII", "Infrastructure", 2, Decimal("4200000.00")],
    ]


def test_urgency_mix_lists_every_urgency_most_urgent_first(db, world):
    with db.uow() as uow:
        table = gaps.urgency_mix(uow, FY25)
    assert table.values.tolist() == [
        ["Immediate", 2, Decimal("4200000.00")],
        ["Short term", 1, Decimal("1000000.00")],
        ["Medium term", 1, Decimal("900000.00")],
        ["Long term", 1, Decimal("0.00")],
    ]


def test_municipalities_ranked_by_unfunded_cost_per_obc_resident(db, world):
    with db.uow() as uow:
        table = gaps.top_municipalities_per_resident(uow, FY25)
        fy26 = gaps.top_municipalities_per_resident(uow, F(fiscal_year=2026), limit=2)
    # Pikit 3,000,000 / (1,200 + 800); Tubod 900,000 / 900; Kabacan 1,200,000 / 1,500;
    # Dipolog 1,000,000 / 2,000. Pagadian has no unfunded need.
    assert list(table["municipality"]) == ["Pikit", "Tubod", "Kabacan", "Dipolog City"]
    assert list(table["cost_per_resident"]) == [
        Decimal("1500.00"), Decimal("1000.00"), Decimal("800.00"), Decimal("500.00")]
    assert list(table["obc_population"]) == [2000, 900, 1500, 2000]
    assert list(fy26["municipality"]) == ["Pikit", "Tubod"]


def test_the_ranked_table_lists_unfunded_needs_by_priority_score(db, world):
    with db.uow() as uow:
        table = gaps.unfunded_needs(uow, FY25)
        second_page = gaps.unfunded_needs(uow, FY25, limit=2, offset=2)
    ids = {v: k for k, v in world.needs.items()}
    assert [ids[i] for i in table["need_id"]] == ["N1", "N5", "N12", "N4", "N6"]
    assert [ids[i] for i in second_page["need_id"]] == ["N12", "N4"]
    first = table.iloc[0]
    assert (first["community"], first["municipality"], first["province"], first["region"]) == (
        "OBC of Fort Pikit", "Pikit", "Cotabato", "XII")
    assert (first["urgency"], first["status"], first["estimated_cost"]) == (
        "Immediate", "Validated", Decimal("3000000.00"))
    scholarships = table.set_index("need_id").loc[world.needs["N12"]]
    assert (scholarships["forwarded_to"], scholarships["forwarded_on"]) == (
        "MBHTE", date(2025, 1, 5))


def test_top_community_priorities_has_its_columns_and_no_rows_before_any_vote(db, world):
    with db.uow() as uow:
        table = gaps.top_community_priorities(uow, FY25, 10)
    assert list(table.columns) == ["need_id", "title", "community", "municipality", "votes"]
    assert table.empty


def test_the_xlsx_download_is_a_readable_sheet_of_what_the_filters_show(db, world):
    filters = F(fiscal_year=2025, region_code="XII")
    with db.uow() as uow:
        data = gaps.unfunded_export(uow, filters, "xlsx")
    ws = load_workbook(BytesIO(data)).active
    assert ws["A1"].value == "Unfunded community needs — FY 2025"
    assert ws["A2"].value == (
        "Filters applied: Fiscal year: 2025; Region: Region XII – SOCCSKSARGEN")
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Need ID")
    assert ws.freeze_panes == f"A{header + 1}"
    titles = [ws.cell(r, 2).value for r in range(header + 1, header + 4)]
    assert titles == ["Level II water system, Fort Pikit", "Deep wells, Kayaga",
                      "Learning materials, Inug-ug"]
    cost_col = [c.value for c in ws[header]].index("Estimated cost (₱)") + 1
    assert ws.cell(header + 1, cost_col).number_format == '"₱"#,##0.00'
    assert ws.cell(header + 4, 1).value == "Total"
    assert ws.cell(header + 4, cost_col).value == Decimal("4200000.00")
    assert ws.column_dimensions["B"].width == 42


def test_a_download_that_matches_nothing_says_so_under_its_header(db, world):
    with db.uow() as uow:
        data = gaps.unfunded_export(uow, F(fiscal_year=2025, min_priority=Decimal(900)), "xlsx")
        text = gaps.unfunded_export(uow, F(fiscal_year=2025, min_priority=Decimal(900)), "csv")
    ws = load_workbook(BytesIO(data)).active
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Need ID")
    assert ws.cell(header + 1, 1).value == "No unfunded need matches these filters."
    assert len(text.decode("utf-8-sig").splitlines()) == 1  # the header only


def test_the_csv_download_has_the_same_rows_with_plain_amounts(db, world):
    with db.uow() as uow:
        text = gaps.unfunded_export(uow, F(fiscal_year=2025, urgency="immediate"), "csv")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Need ID,Need,Community,")
    assert len(lines) == 3
    assert ",3000000.00," in lines[1] and "Deep wells, Kayaga" in lines[2]


# Actions: forwarding to a MOA and linking to a PPA.


def audit_rows(db: Database) -> list[tuple[str, ...]]:
    with db.uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(AuditLog.username, AuditLog.action, AuditLog.entity_id).order_by(AuditLog.id))]


def test_a_planner_forwards_a_need_to_a_moa_and_it_is_audited(db, world):
    with db.uow() as uow:
        moa = gap_actions.forward_need(uow, world.needs["N1"], world.organisations["MAFAR"],
                                       PLANNER, today=date(2026, 1, 20))
        uow.commit()
    assert moa == "MAFAR"
    with db.uow() as uow:
        need = uow.session.get(Need, world.needs["N1"])
        assert (need.forwarded_to_id, need.forwarded_on, need.forwarded_by) == (
            world.organisations["MAFAR"], date(2026, 1, 20), "planner")
        entry = uow.session.scalars(select(AuditLog)).one()
        assert (entry.action, entry.entity, entry.entity_id) == ("forward", "need",
                                                                 str(world.needs["N1"]))
        assert entry.after["forwarded_to"] == "MAFAR" and entry.before["forwarded_to_id"] is None
    assert summary(db, FY25).unfunded_needs == 5  # forwarding is not funding


@pytest.mark.parametrize(
    ("need", "org", "actor", "error", "message"),
    [
        ("N12", "MAFAR", PLANNER, ValidationFailed,
         "Need #{N12} was already forwarded to MBHTE on 2025-01-05 by planner."),
        ("N1", "PIKIT-LGU", PLANNER, ValidationFailed, "PIKIT-LGU is not a MOA"),
        ("N1", "MSSD", PLANNER, ValidationFailed, "MSSD is no longer active"),
        ("N7", "MAFAR", PLANNER, ValidationFailed, "Need #{N7} is identified"),
        ("N1", "MAFAR", Actor("ana", Role.ANALYST), PermissionDenied, "Only planners"),
    ],
    ids=["already-forwarded", "not-a-moa", "inactive-moa", "not-validated", "analyst"],
)
def test_a_refused_forward_changes_nothing(db, world, need, org, actor, error, message):
    before = summary(db, FY25)
    with db.uow() as uow, pytest.raises(error) as refused:
        gap_actions.forward_need(uow, world.needs[need], world.organisations[org], actor)
        uow.commit()
    assert message.format(**world.needs) in str(refused.value)
    with db.uow() as uow:
        assert uow.session.get(Need, world.needs["N1"]).forwarded_to_id is None
        assert uow.session.get(Need, world.needs["N12"]).forwarded_by == "planner"
    assert audit_rows(db) == [] and summary(db, FY25) == before


def test_linking_a_need_to_a_ppa_of_the_year_funds_it_and_is_audited(db, world):
    with db.uow() as uow:
        code = gap_actions.link_need_to_ppa(uow, world.needs["N1"], world.ppas["MPW-2025-01"],
                                            Actor("bo", Role.BUDGET_OFFICER), fiscal_year=2025)
        uow.commit()
    assert code == "MPW-2025-01"
    got = summary(db, FY25)
    assert (got.unfunded_needs, got.unfunded_cost) == (4, Decimal("3100000.00"))
    assert audit_rows(db) == [("bo", "link_ppa", str(world.needs["N1"]))]
    with db.uow() as uow:
        link = uow.session.get(NeedPPALink, (world.needs["N1"], world.ppas["MPW-2025-01"]))
        assert (link.share, link.linked_by) == (Decimal("1.0000"), "bo")


def test_a_partial_link_may_fill_what_other_ppas_leave(db, world):
    with db.uow() as uow:  # N10 is 60 % covered by MPW-2025-01
        gap_actions.link_need_to_ppa(uow, world.needs["N10"], world.ppas["MBHTE-2025-02"],
                                     PLANNER, fiscal_year=2025, share="0.4")
        uow.commit()
    assert len(audit_rows(db)) == 1


@pytest.mark.parametrize(
    ("need", "ppa", "share", "actor", "error", "message"),
    [
        ("N1", "MOH-2024-01", "1", PLANNER, ValidationFailed,
         "MOH-2024-01 is a PPA of FY 2024, and you are looking at FY 2025."),
        ("N1", "MOH-2025-03", "1", PLANNER, ValidationFailed, "MOH-2025-03 was rejected"),
        ("N10", "MPW-2025-01", "0.1", PLANNER, ValidationFailed,
         "Need #{N10} is already linked to MPW-2025-01."),
        ("N10", "MBHTE-2025-02", "0.5", PLANNER, ValidationFailed,
         "Other PPAs already cover 60% of need #{N10}, so at most 40% is left to link."),
        ("N1", "MPW-2025-01", "0", PLANNER, ValidationFailed, "above 0 % and at most 100 %"),
        ("N1", "MPW-2025-01", "1.5", PLANNER, ValidationFailed, "above 0 % and at most 100 %"),
        ("N8", "MPW-2025-01", "1", PLANNER, ValidationFailed, "Need #{N8} is completed"),
        ("N1", "MPW-2025-01", "1", Actor("exec", Role.EXECUTIVE), PermissionDenied,
         "Only planners"),
    ],
    ids=["other-year", "rejected-ppa", "already-linked", "over-100", "zero", "above-one",
         "completed-need", "executive"],
)
def test_a_refused_link_changes_nothing(db, world, need, ppa, share, actor, error, message):
    with db.uow() as uow:
        links = uow.session.scalar(select(func.count()).select_from(NeedPPALink))
    with db.uow() as uow, pytest.raises(error) as refused:
        gap_actions.link_need_to_ppa(uow, world.needs[need], world.ppas[ppa], actor,
                                     fiscal_year=2025, share=share)
        uow.commit()
    assert message.format(**world.needs) in str(refused.value)
    with db.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(NeedPPALink)) == links
    assert audit_rows(db) == []


def test_an_unknown_need_or_ppa_is_named(db, world):
    with db.uow() as uow, pytest.raises(NotFound, match="There is no need #999999"):
        gap_actions.forward_need(uow, 999999, world.organisations["MAFAR"], PLANNER)
    with db.uow() as uow, pytest.raises(NotFound, match="There is no PPA #999999"):
        gap_actions.link_need_to_ppa(uow, world.needs["N1"], 999999, PLANNER, fiscal_year=2025)


def test_ppa_choices_put_ppas_covering_the_needs_region_first_and_leave_out_rejected(db, world):
    with db.uow() as uow:
        for_pikit = gap_actions.ppa_choices(uow, 2025, world.needs["N1"])  # region XII
        for_miputak = gap_actions.ppa_choices(uow, 2025, world.needs["N12"])  # region IX
        moas = gap_actions.moa_choices(uow)
    assert [label.split(" — ")[0] for _i, label in for_pikit] == ["MPW-2025-01", "MBHTE-2025-02"]
    assert [label.split(" — ")[0] for _i, label in for_miputak] == [
        "MBHTE-2025-02", "MPW-2025-01"]
    assert [label.split(" — ")[0] for _i, label in moas] == ["MAFAR", "MBHTE", "MOH", "MPW"]
