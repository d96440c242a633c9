"""Pure rules: need priority score, milestone overdue flag, execution rates, money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from obcms_core.domain.money import format_php, safe_rate, to_money
from obcms_core.domain.rules import (
    execution_rates,
    milestone_is_overdue,
    priority_score,
    quarter_of,
)


def test_priority_score_is_the_mean_of_four_terms_times_the_category_weight():
    # immediate 4, severity 5 -> 2, very high 2, 2,500 people -> capped at 2: mean 2.5
    assert priority_score("immediate", 5, "very_high", 2500) == Decimal("2.500")
    # long-term 1, severity 1 -> 0.4, very low 0.25, 500 people -> 0.5: mean 0.5375 × 1.2
    assert priority_score("long_term", 1, "very_low", 500, Decimal("1.2")) == Decimal("0.645")


def test_priority_score_rises_with_urgency_severity_and_reach():
    base = priority_score("medium_term", 3, "medium", 300)
    assert priority_score("immediate", 3, "medium", 300) > base
    assert priority_score("medium_term", 4, "medium", 300) > base
    assert priority_score("medium_term", 3, "medium", 900) > base


@pytest.mark.parametrize("severity", [0, 6])
def test_priority_score_refuses_a_severity_outside_one_to_five(severity):
    with pytest.raises(ValueError, match="severity"):
        priority_score("immediate", severity, "high", 10)


def test_a_milestone_past_its_target_and_not_completed_is_overdue():
    today = date(2026, 11, 25)
    assert milestone_is_overdue(date(2026, 11, 24), None, today)
    assert not milestone_is_overdue(date(2026, 11, 25), None, today)
    assert not milestone_is_overdue(date(2026, 1, 1), date(2026, 2, 1), today)
    assert not milestone_is_overdue(None, None, today)


def test_execution_rates_follow_the_budget_office_definitions():
    rates = execution_rates(Decimal(1000), Decimal(700), Decimal(350), Decimal(1200))
    assert rates.obligation_rate == Decimal("0.7000")
    assert rates.disbursement_rate == Decimal("0.5000")
    assert rates.utilisation == Decimal("0.2917")
    assert rates.under_obligated and not rates.over_budget


def test_execution_rates_flag_allotments_above_the_allocation_and_survive_zeros():
    rates = execution_rates(Decimal(1300), Decimal(0), Decimal(0), Decimal(1200))
    assert rates.over_budget
    assert rates.disbursement_rate is None
    assert execution_rates(Decimal(0), Decimal(0), Decimal(0), None).obligation_rate is None


def test_money_is_rounded_half_up_to_the_centavo_and_never_a_float():
    assert to_money("1,234.565") == Decimal("1234.57")
    assert to_money(0.1 + 0.2) == Decimal("0.30")
    assert to_money("₱ 60,153,195,042.00") == Decimal("60153195042.00")
    assert sum(to_money("0.10") for _ in range(10)) == Decimal("1.00")


@pytest.mark.parametrize("bad", ["abc", "", "NaN", "inf"])
def test_money_refuses_what_is_not_an_amount(bad):
    with pytest.raises(ValueError, match="not an amount"):
        to_money(bad)


def test_amounts_print_the_way_budget_documents_do():
    assert format_php(Decimal("1234567")) == "₱1,234,567.00"
    assert format_php("-5") == "−₱5.00"


def test_a_rate_over_zero_is_undefined_not_an_error():
    assert safe_rate(5, 0) is None
    assert safe_rate(1, 3) == Decimal("0.3333")


def test_quarters_follow_the_calendar_fiscal_year():
    assert [quarter_of(date(2025, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
