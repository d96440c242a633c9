"""The executive overview on the hand-built dashboard world; expected figures worked out by hand.

FY2025's PPAs that are not rejected: MPW-2025-01 (₱10,000,000) and MBHTE-2025-02 (₱5,000,000);
MOH-2025-03 (₱2,000,000) was rejected. FY2024 has MOH-2024-01 (₱4,000,000) only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from dashboard_world import World, build_dashboard_world

from obcms_core.services.dashboards import executive
from obcms_core.services.database import Database

TODAY = date(2026, 5, 15)


@pytest.fixture
def world(db: Database) -> World:
    return build_dashboard_world(db)


def overview(db: Database, fiscal_year: int, today: date = TODAY) -> executive.ExecutiveOverview:
    with db.uow() as uow:
        return executive.executive_overview(uow, fiscal_year, today)


def test_fy2025_budget_and_its_execution_leave_out_the_rejected_ppa(db, world):
    fy = overview(db, 2025).current
    assert fy.ppas == 2
    assert fy.allocation == Decimal("15000000.00")
    assert fy.allotment == Decimal("12500000.00")  # 8,000,000 − 500,000 reverted + 5,000,000
    assert fy.obligation == Decimal("10000000.00")
    assert fy.disbursement == Decimal("4000000.00")
    assert fy.obligation_rate == Decimal("0.8000")
    assert fy.disbursement_rate == Decimal("0.4000")


def test_fy2025_unfunded_needs_and_policies_off_track(db, world):
    fy = overview(db, 2025).current
    assert (fy.unfunded_needs, fy.unfunded_cost) == (5, Decimal("6100000.00"))
    # On 2025-12-31: POL-1 (due 2025-09-30), POL-4 (due 2025-11-30, done only 2026-01-10),
    # POL-5 (due 2023-10-01). POL-3 is withdrawn; POL-4's cancelled milestone does not count.
    assert fy.policies_off_track == 3


def test_changes_compare_with_the_previous_fiscal_year(db, world):
    view = overview(db, 2025)
    assert view.previous is not None and view.previous.fiscal_year == 2024
    assert view.change("allocation") == Decimal("11000000.00")
    assert view.change("obligation") == Decimal("7000000.00")
    assert view.change("disbursement") == Decimal("1500000.00")
    assert view.change("unfunded_needs") == 2  # 5 against N1, N2, N12 in FY2024
    assert view.change("unfunded_cost") == Decimal("100000.00")
    assert view.change("policies_off_track") == 1  # POL-2 and POL-5 were off track in 2024


def test_the_first_year_with_ppas_has_no_changes_to_show(db, world):
    view = overview(db, 2024)
    assert view.previous is None and view.change("allocation") is None
    assert view.current.allocation == Decimal("4000000.00")
    assert view.current.disbursement == Decimal("2500000.00")


def test_a_year_in_progress_is_judged_on_today(db, world):
    fy26 = overview(db, 2026).current
    assert fy26.allocation == Decimal("6000000.00") and fy26.obligation == Decimal(0)
    assert fy26.obligation_rate is None
    # On 2026-05-15: POL-1 (due 2025-09-30), POL-2 (due 2026-03-31), POL-5. POL-4 was done.
    assert fy26.policies_off_track == 3
    assert overview(db, 2026).change("allocation") == Decimal("-9000000.00")


def test_off_track_policies_are_listed_oldest_overdue_milestone_first(db, world):
    with db.uow() as uow:
        table = executive.off_track_policies(uow, 2025, TODAY)
        late = executive.off_track_policies(uow, 2026, date(2026, 11, 25))
    assert table.values.tolist() == [
        ["POL-5", "Water governance", "Submitted", "Critical", 1, date(2023, 10, 1)],
        ["POL-1", "Halal enterprise support", "In implementation", "High", 1, date(2025, 9, 30)],
        ["POL-4", "Coastal protection", "In implementation", "Urgent", 1, date(2025, 11, 30)],
    ]
    assert dict(zip(late["reference_number"], late["overdue_milestones"], strict=True)) == {
        "POL-5": 1, "POL-1": 2, "POL-2": 1}


def test_execution_by_moa_and_by_year(db, world):
    with db.uow() as uow:
        by_moa = executive.execution_by_moa(uow, 2025)
        by_year = executive.execution_by_year(uow)
    m = Decimal
    assert by_moa.values.tolist() == [
        ["MPW", 1, m("10000000.00"), m("7500000.00"), m("6000000.00"), m("3000000.00"),
         m("0.8000"), m("0.5000")],
        ["MBHTE", 1, m("5000000.00"), m("5000000.00"), m("4000000.00"), m("1000000.00"),
         m("0.8000"), m("0.2500")],
    ]
    assert by_year.values.tolist() == [
        [2024, m("4000000.00"), m("4000000.00"), m("3000000.00"), m("2500000.00")],
        [2025, m("15000000.00"), m("12500000.00"), m("10000000.00"), m("4000000.00")],
        [2026, m("6000000.00"), m("0.00"), m("0.00"), m("0.00")],
    ]


def test_the_overview_opens_on_the_newest_year_with_an_enacted_budget(db, world):
    with db.uow() as uow:
        assert executive.default_fiscal_year(uow) == 2025  # FY2026 is still a draft


def test_an_empty_database_has_no_year_and_zero_figures(db):
    with db.uow() as uow:
        assert executive.default_fiscal_year(uow) is None
        fy = executive.year_figures(uow, 2025, TODAY)
    assert (fy.ppas, fy.allocation, fy.unfunded_needs, fy.policies_off_track) == (
        0, Decimal(0), 0, 0)


def test_changes_in_pesos_carry_a_plain_sign():
    assert executive.signed_php(Decimal("1500000")) == "+₱1,500,000.00"
    assert executive.signed_php(Decimal("-250.5")) == "-₱250.50"
    assert executive.signed_php(Decimal(0)) == "₱0.00"
