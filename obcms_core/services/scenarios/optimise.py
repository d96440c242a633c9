"""Running the optimiser on a scenario, storing the explained result, applying it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import OptimisationRun, ScenarioAllocation
from obcms_core.domain.access import Actor
from obcms_core.domain.allocation import (
    AllocationProblem,
    AllocationResult,
    ObjectiveWeights,
    left_out_reasons,
    marginal_values,
    solve_greedy,
    solve_milp,
)
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import NotFound, ValidationFailed
from obcms_core.domain.money import format_php
from obcms_core.services import audit
from obcms_core.services.scenarios.analysis import ScenarioView, load_view
from obcms_core.services.scenarios.rules import ScenarioRules
from obcms_core.services.scenarios.store import EDITORS, create_scenario, require

SOLVERS = ("highs", "cbc", "greedy")


@dataclass(frozen=True)
class OptimiserSettings:
    weights: ObjectiveWeights = ObjectiveWeights()
    solver: str = "highs"
    time_limit: float = 10.0
    honour_locks: bool = True

    def __post_init__(self) -> None:
        if self.solver not in SOLVERS:
            raise ValidationFailed(f"Unknown solver '{self.solver}'; choose one of {SOLVERS}.")
        if not 1 <= self.time_limit <= 600:
            raise ValidationFailed("The time limit must be between 1 and 600 seconds.")


def _with_locks(
    view: ScenarioView, rules: ScenarioRules
) -> tuple[AllocationProblem, ScenarioRules]:
    """Locked rows keep their amounts: full → must fund, zero → excluded, partial → fixed."""
    problem = view.problem
    cost = problem.cost.copy()
    minimum = problem.min_fraction.copy()
    scale = np.ones(problem.size)
    must_fund, must_exclude = set(rules.must_fund), set(rules.must_exclude)
    for i, row in enumerate(view.table.itertuples()):
        if not row.locked:
            continue
        if row.amount <= 0:
            must_exclude.add(row.code)
        else:
            scale[i] = min(row.amount / cost[i], 1.0)
            cost[i], minimum[i] = min(row.amount, cost[i]), 1.0
            must_fund.add(row.code)
    fixed = dataclasses.replace(
        problem,
        cost=cost,
        min_fraction=minimum,
        needs_value=problem.needs_value * scale,
        population=problem.population * scale,
        urgency=problem.urgency * scale,
        votes=problem.votes * scale,
    )
    new_rules = dataclasses.replace(
        rules, must_fund=sorted(must_fund - must_exclude), must_exclude=sorted(must_exclude)
    )
    return fixed, new_rules


def _solve(problem: AllocationProblem, rules: Any, settings: OptimiserSettings) -> AllocationResult:
    if settings.solver == "greedy":
        from obcms_core.domain.allocation import solve_relaxation

        relax = solve_relaxation(problem, rules, settings.weights)
        return solve_greedy(problem, rules, settings.weights, bound=relax.objective)
    return solve_milp(
        problem, rules, settings.weights, solver=settings.solver, time_limit=settings.time_limit
    )


def run_optimiser(
    uow: UnitOfWork,
    scenario_id: int,
    actor: Actor,
    settings: OptimiserSettings,
    source: ChangeSource = ChangeSource.UI,
) -> int:
    """Optimise a scenario's fiscal year under its envelope and rules; returns the run id."""
    require(actor, EDITORS, "run the optimiser")
    view = load_view(uow, scenario_id)
    rules, unknown = view.rules.known_only(view.problem.ppa_ids)
    if unknown:
        raise ValidationFailed(
            f"Remove PPAs that are not in FY{view.fiscal_year} from the rules first: "
            f"{', '.join(unknown)}."
        )
    if settings.honour_locks:
        problem, rules = _with_locks(view, rules)
    else:
        problem = view.problem
    solver_rules = rules.for_solver(float(view.envelope))
    result = _solve(problem, solver_rules, settings)
    explained: dict[str, Any] = {"messages": list(result.messages)}
    if result.has_allocation:
        amounts = result.amounts_array()
        explained["amounts"] = {
            code: str(a) for code, a in zip(problem.ppa_ids, result.amounts, strict=True)
        }
        explained["binding"] = [b.label for b in result.binding]
        if result.relaxation is not None and result.relaxation.feasible:
            explained["marginal"] = [
                m.sentence
                for m in marginal_values(problem, solver_rules, settings.weights, result.relaxation)
            ]
        explained["left_out"] = left_out_reasons(problem, solver_rules, settings.weights, result)
        base = view.table["amount"].to_numpy(dtype=float)
        explained["impact_before"] = view.impact(base).as_row()
        explained["impact_after"] = view.impact(amounts).as_row()
    run = OptimisationRun(
        scenario_id=scenario_id,
        fiscal_year=view.fiscal_year,
        created_by=actor.username,
        solver=result.solver,
        status=result.status.value,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        seconds=result.build_seconds + result.solve_seconds,
        settings={
            **dataclasses.asdict(settings),
            "rules": view.rules.to_json(),
            "envelope": str(view.envelope),
            "votes_year": view.facts.votes_year,
        },
        result=explained,
    )
    uow.session.add(run)
    uow.session.flush()
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="optimise",
        entity="scenario",
        entity_id=scenario_id,
        after={"run": run.id, "status": run.status, "gap": run.gap},
    )
    return run.id


def get_run(uow: UnitOfWork, run_id: int) -> OptimisationRun:
    run = uow.session.get(OptimisationRun, run_id)
    if run is None:
        raise NotFound(f"There is no optimiser run {run_id}.")
    return run


def apply_run(
    uow: UnitOfWork, run_id: int, actor: Actor, name: str, source: ChangeSource = ChangeSource.UI
) -> int:
    """Turn an optimiser result into a new editable draft scenario; returns its id."""
    run = get_run(uow, run_id)
    amounts = run.result.get("amounts")
    if not amounts or run.scenario_id is None:
        raise ValidationFailed("This run found no allocation to apply.")
    new_id = create_scenario(
        uow,
        actor,
        name=name,
        fiscal_year=run.fiscal_year,
        based_on=run.scenario_id,
        envelope=Decimal(run.settings["envelope"]),
        rules=ScenarioRules.from_json(run.settings["rules"]),
        description=f"Optimiser run {run.id} ({run.solver}, gap {run.gap or 0:.2%}).",
        source=source,
    )
    view = load_view(uow, new_id)
    by_code = dict(zip(view.table["code"], view.table["id"], strict=True))
    for code, amount in amounts.items():
        alloc = uow.session.get(ScenarioAllocation, (new_id, int(by_code[code])))
        if alloc is not None:
            value = Decimal(amount)
            alloc.justification = (
                f"Optimiser run {run.id}: "
                + ("funded" if value > 0 else "left out")
                + (f" at {format_php(value)}" if value > 0 else "")
            )
            alloc.amount = value
    return new_id
