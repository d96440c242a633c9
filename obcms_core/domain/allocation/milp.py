"""The exact optimiser: the allocation MILP solved by HiGHS (default) or CBC, within a time limit.

`solve_milp` first runs the hand checks of `feasibility.conflicts`; then solves the LP
relaxation (its optimum is an upper bound on any allocation's score, and its duals feed the
explanations); then the MILP. The bound reported is the tighter of the LP bound and the
solver's own MIP bound; the gap is (bound - score) / bound for the rounded allocation. When the
solver proves the settings infeasible, the elastic model says what would have to give.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import replace

import numpy as np
import pulp

from obcms_core.domain.allocation.constraints import (
    LESS,
    AllocationRules,
    check_allocation,
    min_viable_amounts,
)
from obcms_core.domain.allocation.explain import binding_constraints
from obcms_core.domain.allocation.feasibility import CONFLICTS, conflicts, loosening
from obcms_core.domain.allocation.formulation import SCALE, Built, build_model
from obcms_core.domain.allocation.greedy import solve_greedy
from obcms_core.domain.allocation.model import AllocationProblem, ObjectiveWeights, objective_value
from obcms_core.domain.allocation.result import (
    AllocationResult,
    Binding,
    Relaxation,
    SolveStatus,
    relative_gap,
    to_amounts,
    to_cents,
)

SOLVERS = ("highs", "cbc")
ROUNDING = 1e-6  # relative score lost to centavo rounding, not counted against the gap
DIAGNOSIS_SECONDS = 5.0
_STATUS = {
    pulp.LpSolutionOptimal: SolveStatus.OPTIMAL,
    pulp.LpSolutionIntegerFeasible: SolveStatus.FEASIBLE,
    pulp.LpSolutionInfeasible: SolveStatus.INFEASIBLE,
    pulp.LpSolutionNoSolutionFound: SolveStatus.TIME_LIMIT,
}


def _cbc_path() -> str:
    """A CBC on the PATH, else the one bundled with PuLP 3."""
    bundled = getattr(pulp.apis.coin_api, "pulp_cbc_path", "")
    found = shutil.which("cbc") or (bundled if os.path.exists(bundled) else None)
    if found is None:
        raise RuntimeError("CBC is not installed; use the HiGHS solver")
    return found


def _run(built: Built, solver: str, time_limit: float, gap: float) -> tuple[str, float | None]:
    """Solve in place; the solver actually used and its bound on the objective, if known."""
    if solver == "highs" and pulp.HiGHS().available():
        engine = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=gap)
        built.prob.solve(engine)
        info = built.prob.solverModel.getInfo()
        sign = -1.0 if built.prob.sense == pulp.LpMaximize else 1.0
        bound = info.mip_dual_bound if info.mip_node_count >= 0 else None
        return "highs", (sign * bound if bound is not None and np.isfinite(bound) else None)
    handle, log_path = tempfile.mkstemp(suffix=".log")
    os.close(handle)
    try:
        engine = pulp.COIN_CMD(path=_cbc_path(), msg=False, timeLimit=time_limit, gapRel=gap,
                               logPath=log_path)
        built.prob.solve(engine)
        with open(log_path, encoding="utf-8", errors="replace") as log:
            # the closing summary states the bound in the model's own sense
            found = re.search(r"(?:Lower|Upper) bound:\s+(-?[\d.eE+-]+)", log.read())
    finally:
        os.unlink(log_path)
    return "cbc", float(found.group(1)) if found else None


def _fractions(built: Built) -> np.ndarray:
    return np.array([v.varValue or 0.0 for v in built.fraction], dtype=float)


def solve_relaxation(
    problem: AllocationProblem,
    rules: AllocationRules,
    weights: ObjectiveWeights,
    solver: str = "highs",
) -> Relaxation:
    """The best score if PPAs could be funded in any fraction: a bound, with shadow prices."""
    built = build_model(problem, rules, weights, relax=True)
    started = time.perf_counter()
    used, _ = _run(built, solver, 60.0, 0.0)
    seconds = time.perf_counter() - started
    if built.prob.sol_status != pulp.LpSolutionOptimal:
        return Relaxation(False, None, np.zeros(problem.size), {}, used, built.seconds, seconds)
    # PuLP hands HiGHS and CBC a minimisation of -score: flip to "score per extra unit of room"
    flip = -1.0 if used == "highs" else 1.0
    duals = {key: flip * float(c.pi or 0.0) for key, c in built.constraints.items()}
    objective = float(pulp.value(built.prob.objective) or 0.0)
    return Relaxation(True, objective, _fractions(built), duals, used, built.seconds, seconds)


def _infeasible(solver: str, messages: list[str], build: float, solve: float,
                relaxation: Relaxation | None = None) -> AllocationResult:
    return AllocationResult(SolveStatus.INFEASIBLE, solver, (), None, None, None, build, solve,
                            tuple(messages), relaxation=relaxation)


def diagnose(
    problem: AllocationProblem, rules: AllocationRules, solver: str = "highs",
    time_limit: float = 10.0,
) -> list[str]:
    """Why the settings admit no allocation: hand checks first, then the elastic model."""
    found = conflicts(problem, rules)
    if found:
        return [CONFLICTS, *found]
    built = build_model(problem, rules, ObjectiveWeights(), elastic=True)
    # the diagnosis is worth a few seconds even when the officer asked for a quick solve
    _run(built, solver, max(time_limit, DIAGNOSIS_SECONDS), 1e-6)
    if built.prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return [CONFLICTS, "the settings conflict, but the solver could not work out which "
                           "ones in the time allowed; loosen floors, ceilings or must-fund "
                           "lists and try again."]
    slacks = {key: float(v.varValue or 0.0) * SCALE for key, v in built.slacks.items()}
    for key in [k for k in slacks if k.startswith("must:")]:
        # a must-fund slack is the unfunded fraction of that PPA's request
        request = float(problem.cost[problem.ppa_ids.index(key[5:])])
        slacks[key] = float(built.slacks[key].varValue or 0.0) * request
    labels = {row.key: row.label for row in built.rows}
    return loosening(problem, rules, slacks, labels)


def _quick_estimate(
    problem: AllocationProblem, rules: AllocationRules, weights: ObjectiveWeights, used: str,
    solver_bound: float | None, relaxation: Relaxation | None, build: float, solve: float,
) -> AllocationResult:
    """When time runs out before the solver finds any allocation, fall back on the greedy one."""
    bounds = [b for b in (solver_bound, relaxation.objective if relaxation else None)
              if b is not None]
    greedy = solve_greedy(problem, rules, weights, bound=min(bounds) if bounds else None)
    note = "The time limit ran out before the solver found an allocation"
    if not greedy.has_allocation:
        return AllocationResult(SolveStatus.TIME_LIMIT, used, (), None, greedy.bound, None,
                                build, solve, (f"{note}; allow more time.",),
                                relaxation=relaxation)
    return replace(greedy, solver=f"{used}+greedy", build_seconds=build + greedy.build_seconds,
                   solve_seconds=solve + greedy.solve_seconds, relaxation=relaxation,
                   messages=(f"{note}; this is the quick estimate (allow more time for a "
                             f"better one).",))


def solve_milp(
    problem: AllocationProblem,
    rules: AllocationRules,
    weights: ObjectiveWeights | None = None,
    *,
    solver: str = "highs",
    time_limit: float = 10.0,
    gap: float = 0.005,
    explain: bool = True,
) -> AllocationResult:
    """The best allocation the solver finds in the time allowed, with its bound and gap."""
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}")
    if not time_limit >= 0 or not 0 <= gap < 1:
        raise ValueError("the time limit must be zero or more and the gap between 0 and 1")
    weights = weights or ObjectiveWeights()
    found = conflicts(problem, rules)
    if found:
        return _infeasible(solver, [CONFLICTS, *found], 0.0, 0.0)
    relaxation = solve_relaxation(problem, rules, weights, solver) if explain else None
    if relaxation is not None and not relaxation.feasible:
        return _infeasible(relaxation.solver, diagnose(problem, rules, solver, time_limit),
                           relaxation.build_seconds, relaxation.solve_seconds, relaxation)
    built = build_model(problem, rules, weights)
    started = time.perf_counter()
    used, solver_bound = _run(built, solver, time_limit, gap)
    seconds = time.perf_counter() - started
    status = _STATUS.get(built.prob.sol_status, SolveStatus.TIME_LIMIT)
    if built.prob.status == pulp.LpStatusInfeasible:  # CBC: "integer infeasible"
        status = SolveStatus.INFEASIBLE
    if status is SolveStatus.INFEASIBLE:
        return _infeasible(used, diagnose(problem, rules, solver, time_limit), built.seconds,
                           seconds, relaxation)
    if status is SolveStatus.TIME_LIMIT:
        return _quick_estimate(problem, rules, weights, used, solver_bound, relaxation,
                               built.seconds, seconds)
    limits = [row for row in built.rows if row.sense == LESS]
    cents = to_cents(problem, _fractions(built), min_viable_amounts(problem), limits)
    amounts = cents / 100.0
    score = objective_value(problem, weights, amounts, rules.envelope)
    lp_bound = relaxation.objective if relaxation is not None else None
    bounds = [b for b in (solver_bound, lp_bound) if b is not None]
    bound = max(min(bounds), score) if bounds else None
    result_gap = relative_gap(score, bound)
    if status is SolveStatus.OPTIMAL and result_gap is not None and result_gap > gap + ROUNDING:
        status = SolveStatus.FEASIBLE
    messages = tuple(check_allocation(problem, rules, amounts))
    binding: tuple[Binding, ...] = ()
    if explain:
        binding = binding_constraints(problem, rules, amounts, relaxation)
    return AllocationResult(status, used, to_amounts(cents), score, bound, result_gap,
                            built.seconds, seconds, messages, binding, relaxation)
