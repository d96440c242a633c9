"""Pure budget-office rules: need priority score, milestone overdue flag, execution rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from obcms_core.domain.enums import Feasibility, Urgency
from obcms_core.domain.money import safe_rate

URGENCY_WEIGHT = {
    Urgency.IMMEDIATE: Decimal(4),
    Urgency.SHORT_TERM: Decimal(3),
    Urgency.MEDIUM_TERM: Decimal(2),
    Urgency.LONG_TERM: Decimal(1),
}
FEASIBILITY_WEIGHT = {
    Feasibility.VERY_HIGH: Decimal(2),
    Feasibility.HIGH: Decimal("1.5"),
    Feasibility.MEDIUM: Decimal(1),
    Feasibility.LOW: Decimal("0.5"),
    Feasibility.VERY_LOW: Decimal("0.25"),
}
UNDER_OBLIGATION_THRESHOLD = Decimal("0.75")
CEILING_WARNING = Decimal("0.90")


def priority_score(
    urgency: Urgency | str,
    severity: int,
    feasibility: Feasibility | str,
    affected_population: int,
    category_weight: Decimal | float | str = Decimal(1),
) -> Decimal:
    """Mean of urgency, severity, feasibility and reach terms, times the category weight."""
    if not 1 <= int(severity) <= 5:
        raise ValueError("severity must be between 1 and 5")
    if affected_population < 0:
        raise ValueError("affected population cannot be negative")
    terms = (
        URGENCY_WEIGHT[Urgency(urgency)],
        Decimal(int(severity)) / 5 * 2,
        FEASIBILITY_WEIGHT[Feasibility(feasibility)],
        min(Decimal(affected_population) / 1000, Decimal(2)),
    )
    score = sum(terms, Decimal(0)) / 4 * Decimal(str(category_weight))
    return score.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def milestone_is_overdue(target_date: date | None, completed_on: date | None, today: date) -> bool:
    """A milestone is overdue when its target date has passed and it is not completed."""
    return target_date is not None and completed_on is None and target_date < today


@dataclass(frozen=True)
class ExecutionRates:
    """Obligation, disbursement and utilisation rates of one PPA's funding flows."""

    obligation_rate: Decimal | None
    disbursement_rate: Decimal | None
    utilisation: Decimal | None
    over_budget: bool
    under_obligated: bool


def execution_rates(
    allotments: Decimal, obligations: Decimal, disbursements: Decimal, allocation: Decimal | None
) -> ExecutionRates:
    """Obligations ÷ allotments, disbursements ÷ obligations, disbursements ÷ allocation."""
    obligation_rate = safe_rate(obligations, allotments)
    return ExecutionRates(
        obligation_rate=obligation_rate,
        disbursement_rate=safe_rate(disbursements, obligations),
        utilisation=safe_rate(disbursements, allocation or 0),
        over_budget=allocation is not None and allotments > allocation,
        under_obligated=obligation_rate is not None
        and obligation_rate < UNDER_OBLIGATION_THRESHOLD,
    )


def quarter_of(day: date) -> int:
    """The fiscal quarter (1–4) of a date; the BARMM fiscal year is the calendar year."""
    return (day.month - 1) // 3 + 1
