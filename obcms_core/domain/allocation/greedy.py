"""The quick estimate: fund PPAs in order of score per peso while every limit has room.

Order of work: must-fund PPAs in full; then, region by region, the best-scoring PPAs covering a
region until its floor is met; then every other PPA, best score per peso first, in full or in
part (never below its minimum viable amount) as far as the envelope, ceilings, MOA capacity and
GAD shares allow. A second pass picks up PPAs that a GAD share held back until the MOA's
GAD-tagged PPAs were funded. The regional-balance term is not pursued, only scored.

The result is always checked against every constraint; if the heuristic could not meet them
(the floors, typically) it says so instead of returning an allocation. Its distance to the LP
bound is reported when a bound is given.
"""

from __future__ import annotations

import math
import time
from collections import deque

import numpy as np

from obcms_core.domain.allocation.constraints import (
    LESS,
    AllocationRules,
    Row,
    check_allocation,
    constraint_rows,
    min_viable_amounts,
)
from obcms_core.domain.allocation.feasibility import CONFLICTS, conflicts
from obcms_core.domain.allocation.model import (
    AllocationProblem,
    ObjectiveWeights,
    objective_value,
    ppa_values,
)
from obcms_core.domain.allocation.result import (
    AllocationResult,
    SolveStatus,
    relative_gap,
    to_amounts,
    to_cents,
)


class _Ledger:
    """Amounts so far and the room left in every row, in plain lists for a fast inner loop."""

    def __init__(self, problem: AllocationProblem, rows: list[Row]) -> None:
        self.cost = problem.cost.tolist()
        self.x = [0.0] * problem.size
        # room = how far the row is from breaking; pressure = room used per peso
        self.room = [r.rhs if r.sense == LESS else -r.rhs for r in rows]
        rows_of: list[list[tuple[int, float]]] = [[] for _ in range(problem.size)]
        for k, row in enumerate(rows):
            pressure = row.coef if row.sense == LESS else -row.coef
            for i, p in zip(row.idx.tolist(), pressure.tolist(), strict=True):
                rows_of[i].append((k, p))
        self.rows_of = rows_of

    def limit(self, i: int) -> float:
        """The most PPA i can still receive, to the centavo."""
        best = self.cost[i] - self.x[i]
        for k, p in self.rows_of[i]:
            if p > 0:
                best = min(best, self.room[k] / p)
        return math.floor(max(best, 0.0) * 100 + 1e-6) / 100

    def add(self, i: int, amount: float) -> None:
        self.x[i] += amount
        for k, p in self.rows_of[i]:
            self.room[k] -= p * amount


def _offer(ledger: _Ledger, i: int, minimum: float, wanted: float | None = None) -> float:
    """Fund PPA i with what the limits allow (up to `wanted`), if that reaches its minimum."""
    amount = ledger.limit(i)
    if wanted is not None:
        amount = min(amount, max(wanted, minimum if ledger.x[i] == 0 else 0.0))
    if amount <= 0.005 or (ledger.x[i] == 0 and amount < minimum - 0.005):
        return 0.0
    ledger.add(i, amount)
    return amount


def _meet_floors(problem: AllocationProblem, rows: list[Row], ledger: _Ledger,
                 order: list[int], minimum: list[float]) -> None:
    """Fund the regions furthest below their floors first, one PPA at a time, so that shared
    limits (an MOA's capacity, a sector ceiling) are not used up by the first region alone."""
    floors = [(k, problem.region_names.index(row.group), row.rhs)
              for k, row in enumerate(rows) if row.kind == "floor"]
    queues = {k: deque(i for i in order if problem.coverage[i, r] > 0) for k, r, _ in floors}
    while True:
        open_floors = [(-ledger.room[k] / rhs, k, r) for k, r, rhs in floors
                       if -ledger.room[k] > 0.005 and queues[k]]
        if not open_floors:
            return
        _, k, r = max(open_floors)
        i = queues[k].popleft()
        _offer(ledger, i, minimum[i], -ledger.room[k] / problem.coverage[i, r])


def solve_greedy(
    problem: AllocationProblem,
    rules: AllocationRules,
    weights: ObjectiveWeights | None = None,
    *,
    bound: float | None = None,
) -> AllocationResult:
    """A fast allocation by score per peso; its gap is measured against `bound` if given."""
    weights = weights or ObjectiveWeights()
    found = conflicts(problem, rules)
    if found:
        return AllocationResult(SolveStatus.INFEASIBLE, "greedy", (), None, bound, None, 0.0,
                                0.0, (CONFLICTS, *found))
    started = time.perf_counter()
    rows = constraint_rows(problem, rules)
    ledger = _Ledger(problem, rows)
    built = time.perf_counter()
    minimum = min_viable_amounts(problem).tolist()
    open_ = np.ones(problem.size, dtype=bool)
    if rules.must_exclude:
        open_[problem.index_of(rules.must_exclude)] = False
    if rules.must_fund:
        for i in problem.index_of(rules.must_fund).tolist():
            ledger.add(i, ledger.cost[i])
            open_[i] = False
    order = np.argsort(-ppa_values(problem, weights) / problem.cost, kind="stable")
    order = order[open_[order]].tolist()
    _meet_floors(problem, rows, ledger, order, minimum)
    for _ in range(2):
        for i in order:
            _offer(ledger, i, minimum[i])
    x = np.array(ledger.x)
    limits = [row for row in rows if row.sense == LESS]
    cents = to_cents(problem, x / problem.cost, np.array(minimum), limits)
    amounts = cents / 100.0
    seconds = time.perf_counter() - built
    breaches = check_allocation(problem, rules, amounts)
    if breaches:
        return AllocationResult(SolveStatus.NOT_FOUND, "greedy", (), None, bound, None,
                                built - started, seconds,
                                ("The quick estimate could not meet every constraint:",
                                 *breaches))
    score = objective_value(problem, weights, amounts, rules.envelope)
    return AllocationResult(SolveStatus.FEASIBLE, "greedy", to_amounts(cents), score, bound,
                            relative_gap(score, bound), built - started, seconds)
