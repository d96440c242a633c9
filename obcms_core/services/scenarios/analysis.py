"""A scenario as the officer sees it: allocations beside the facts, violations, impact."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import BudgetScenario, ScenarioAllocation
from obcms_core.domain.allocation import AllocationProblem, check_allocation
from obcms_core.domain.allocation.constraints import moas_without_gad
from obcms_core.domain.money import format_php
from obcms_core.services.scenarios.impact import Impact, impact_of, need_links
from obcms_core.services.scenarios.problem import PPAFacts, build_problem, load_facts
from obcms_core.services.scenarios.rules import ScenarioRules
from obcms_core.services.scenarios.store import get_scenario


@dataclass(frozen=True)
class ScenarioView:
    """Everything the scenario pages show, computed once per load."""

    id: int
    name: str
    fiscal_year: int
    status: str
    envelope: Decimal
    rules: ScenarioRules
    table: pd.DataFrame  # facts + amount, justification, locked, region (main)
    facts: PPAFacts
    links: pd.DataFrame
    problem: AllocationProblem

    @property
    def allocated(self) -> Decimal:
        return Decimal(str(round(float(self.table["amount"].sum()), 2)))

    def violations(self, amounts: np.ndarray | None = None) -> list[str]:
        """Every constraint the allocation breaks, in words (empty when all hold)."""
        x = self.table["amount"].to_numpy(dtype=float) if amounts is None else amounts
        rules, unknown = self.rules.known_only(self.problem.ppa_ids)
        found = check_allocation(self.problem, rules.for_solver(float(self.envelope)), x)
        if unknown:
            found.append(
                f"Must-fund/excluded PPAs not in FY{self.fiscal_year}: {', '.join(unknown)}."
            )
        return found

    def notes(self) -> list[str]:
        """Warnings that are not breaches: MOAs that cannot show a GAD share at all."""
        if self.rules.gad_share <= 0:
            return []
        return [
            f"{moa} has no GAD-tagged PPA in FY{self.fiscal_year}, so it cannot show the "
            f"{self.rules.gad_share:.0%} GAD share: tag or add a GAD PPA."
            for moa in moas_without_gad(self.problem)
        ]

    def impact(self, amounts: np.ndarray | None = None) -> Impact:
        x = self.table["amount"].to_numpy(dtype=float) if amounts is None else amounts
        return impact_of(self.facts, self.links, x)


def load_view(uow: UnitOfWork, scenario_id: int) -> ScenarioView:
    """Load a scenario with its fiscal year's facts (one SQL aggregation per fact)."""
    scenario: BudgetScenario = get_scenario(uow, scenario_id)
    facts = load_facts(uow, scenario.fiscal_year)
    rules = ScenarioRules.from_json(scenario.rules)
    rows = uow.session.execute(
        select(
            ScenarioAllocation.ppa_id,
            ScenarioAllocation.amount,
            ScenarioAllocation.justification,
            ScenarioAllocation.locked,
        ).where(ScenarioAllocation.scenario_id == scenario_id)
    ).all()
    alloc = pd.DataFrame(rows, columns=["id", "amount", "justification", "locked"])
    table = facts.ppas.merge(alloc, on="id", how="left")
    table["amount"] = table["amount"].map(lambda v: float(v) if v is not None else 0.0).fillna(0.0)
    table["justification"] = table["justification"].fillna("")
    table["locked"] = table["locked"].fillna(False).astype(bool)
    regions = list(facts.regions["code"])
    table["region"] = [regions[k] for k in facts.coverage.argmax(axis=1)]
    return ScenarioView(
        id=scenario.id,
        name=scenario.name,
        fiscal_year=scenario.fiscal_year,
        status=scenario.status.value,
        envelope=Decimal(scenario.envelope),
        rules=rules,
        table=table,
        facts=facts,
        links=need_links(uow, facts),
        problem=build_problem(uow, facts, rules.min_viable_share),
    )


def totals_by(view: ScenarioView, dimension: str, amounts: np.ndarray | None = None) -> pd.Series:
    """Pesos per sector, MOA, funding source or region (regions by coverage shares)."""
    x = view.table["amount"].to_numpy(dtype=float) if amounts is None else np.asarray(amounts)
    if dimension == "region":
        return pd.Series(view.facts.coverage.T @ x, index=view.facts.regions["code"])
    return pd.Series(x, index=view.table[dimension]).groupby(level=0).sum()


def headline(view: ScenarioView) -> str:
    """'₱X of ₱Y allocated (Z %)'."""
    share = float(view.allocated / view.envelope) if view.envelope else 0.0
    return f"{format_php(view.allocated)} of {format_php(view.envelope)} allocated ({share:.1%})"
