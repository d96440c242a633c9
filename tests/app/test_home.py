"""Home figures: each metric equals the same figure counted directly in SQL."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from workbench_harness import metrics, signed_in, texts

from obcms_core.domain.money import format_php
from obcms_core.services.database import Database


def expected_figures(db: Database, fiscal_year: int | None = None) -> dict[str, str]:
    with db.engine.connect() as conn:
        total = conn.scalar(text("SELECT count(*) FROM need"))
        unfunded, cost = conn.execute(text(
            "SELECT count(*), coalesce(sum(estimated_cost), 0) FROM need n "
            "WHERE n.status IN ('validated', 'prioritized') "
            "AND NOT EXISTS (SELECT 1 FROM need_ppa_link l WHERE l.need_id = n.id)"
        )).one()
        fy = fiscal_year or conn.scalar(
            text("SELECT max(fiscal_year) FROM ppa WHERE budget_allocation IS NOT NULL"))
        budget = conn.scalar(
            text("SELECT coalesce(sum(budget_allocation), 0) FROM ppa WHERE fiscal_year = :fy"),
            {"fy": fy},
        )
    return {
        "Community needs": f"{total:,}",
        "Unfunded needs": f"{unfunded:,}",
        "Cost of unfunded needs": format_php(Decimal(str(cost))),
        f"FY {fy} budget": format_php(Decimal(str(budget))),
    }


def test_home_figures_equal_a_direct_sql_count(sample_db: Database) -> None:
    at = signed_in("budget")
    assert not at.exception
    assert metrics(at) == expected_figures(sample_db)
    # The sample was built so that these figures are not trivial.
    assert metrics(at)["Unfunded needs"] == "3"
    assert metrics(at)["Cost of unfunded needs"] == "₱3,600,000.00"
    assert metrics(at)["FY 2025 budget"] == "₱83,750,000.50"


def test_choosing_another_fiscal_year_changes_the_budget_figure(sample_db: Database) -> None:
    at = signed_in("executive")
    at.selectbox(key="home_fy").select(2024).run()
    assert metrics(at) == expected_figures(sample_db, 2024)
    assert metrics(at)["FY 2024 budget"] == "₱5,000,000.00"


def test_home_lists_ppas_by_approval_status_in_words(sample_db: Database) -> None:
    at = signed_in("planner")
    by_status = at.dataframe[0].value
    assert dict(zip(by_status["approval_status"], by_status["ppas"], strict=True)) == {
        "Budget review": 1, "Draft": 1, "Executive approval": 1, "Technical review": 1,
    }
    assert "FY 2025 budget by MOA (top 15)" in texts(at.subheader)
