"""Small allocation problems for tests: a hand builder, a hypothesis strategy, brute force."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st
from scipy.optimize import linprog

from obcms_core.domain.allocation import AllocationProblem, AllocationRules, ObjectiveWeights
from obcms_core.domain.allocation.constraints import LESS, constraint_rows
from obcms_core.domain.allocation.model import fair_shares, objective_value, ppa_values

REGIONS = ("Region IX", "Region XII")
MILLION = 1_000_000.0


def make_problem(
    cost: Sequence[float],
    *,
    needs: Sequence[float] | None = None,
    min_fraction: Sequence[float] | None = None,
    region: Sequence[int] | None = None,
    sector: Sequence[int] | None = None,
    moa: Sequence[int] | None = None,
    source: Sequence[int] | None = None,
    gad: Sequence[bool] | None = None,
    population: Sequence[float] | None = None,
    urgency: Sequence[float] | None = None,
    coverage: Sequence[Sequence[float]] | None = None,
    disbursement: Sequence[float] = (np.nan, np.nan),
    last_year: Sequence[float] | None = None,
    votes: Sequence[float] | None = None,
) -> AllocationProblem:
    """A problem over two regions, two sectors, two MOAs and two sources; amounts in pesos."""
    n = len(cost)
    if coverage is None:
        coverage = np.eye(2)[list(region or [0] * n)]
    return AllocationProblem(
        ppa_ids=tuple(f"P{i + 1}" for i in range(n)),
        cost=cost, min_fraction=min_fraction or [1.0] * n,
        needs_value=needs or [1.0] * n, population=population or [100.0] * n,
        urgency=urgency or [1.0] * n, coverage=coverage,
        sector=sector or [0] * n, moa=moa or [0] * n, source=source or [0] * n,
        gad=gad or [True] * n, last_year=last_year or list(cost),
        region_names=REGIONS, region_population=[1000.0, 3000.0],
        sector_names=("economic", "social"), moa_names=("MOA A", "MOA B"),
        source_names=("gaab", "sdf"), moa_disbursement=disbursement,
        **({"votes": votes} if votes is not None else {}),
    )


@st.composite
def scenarios(draw: st.DrawFn, max_ppas: int = 6) -> tuple[AllocationProblem, AllocationRules,
                                                              ObjectiveWeights]:
    """A random small problem and scenario; some are infeasible on purpose."""
    n = draw(st.integers(1, max_ppas))
    ints = st.integers(0, 1)
    cost = [draw(st.integers(1, 40)) * 250_000.0 for _ in range(n)]
    split = [draw(st.sampled_from([0.0, 0.0, 0.3, 0.5])) for _ in range(n)]
    primary = [draw(ints) for _ in range(n)]
    coverage = [[1 - s, s] if p == 0 else [s, 1 - s] for p, s in zip(primary, split, strict=True)]
    problem = make_problem(
        cost,
        needs=[float(draw(st.integers(0, 10))) for _ in range(n)],
        min_fraction=[draw(st.sampled_from([1.0, 1.0, 0.5, 0.25])) for _ in range(n)],
        coverage=coverage,
        sector=[draw(ints) for _ in range(n)], moa=[draw(ints) for _ in range(n)],
        source=[draw(ints) for _ in range(n)], gad=[draw(st.booleans()) for _ in range(n)],
        population=[float(draw(st.integers(0, 5000))) for _ in range(n)],
        urgency=[float(draw(st.integers(1, 4))) for _ in range(n)],
        disbursement=[draw(st.sampled_from([np.nan, 2 * MILLION, 6 * MILLION])) for _ in "ab"],
    )
    total = sum(cost)
    envelope = round(total * draw(st.floats(0.1, 1.2)), -3)
    optional = st.one_of(st.none(), st.floats(0.1, 0.9))
    sector_cap, source_cap, floor = draw(optional), draw(optional), draw(optional)
    ids = list(problem.ppa_ids)
    must_fund = frozenset(p for p in [draw(st.sampled_from([None, None, *ids]))] if p)
    others = [p for p in ids if p not in must_fund]
    must_exclude = frozenset(p for p in [draw(st.sampled_from([None, None, *others]))] if p)
    rules = AllocationRules(
        envelope=envelope,
        sector_ceilings={"economic": sector_cap * envelope} if sector_cap else {},
        source_ceilings={"sdf": source_cap * envelope} if source_cap else {},
        capacity_multiple=draw(st.sampled_from([None, 1.0, 2.0])),
        region_floor_shares={"Region XII": floor * 0.5} if floor else {},
        region_floor_per_capita={"Region IX": draw(st.sampled_from([0.0, 0.0, 0.0, 500.0]))},
        gad_share=draw(st.sampled_from([0.0, 0.05, 0.3])),
        must_fund=must_fund,
        must_exclude=must_exclude,
    )
    weights = ObjectiveWeights(
        needs=draw(st.sampled_from([0.0, 1.0])), population=draw(st.sampled_from([0.0, 0.5])),
        urgency=draw(st.sampled_from([0.0, 0.2])), balance=draw(st.sampled_from([0.0, 0.3])),
    )
    return problem, rules, weights


def brute_force(
    problem: AllocationProblem, rules: AllocationRules, weights: ObjectiveWeights
) -> float | None:
    """The best score over every choice of funded PPAs (an LP for each choice), or None."""
    rows = constraint_rows(problem, rules)
    values = ppa_values(problem, weights)
    n = problem.size
    fixed_in = {problem.ppa_ids.index(p) for p in rules.must_fund}
    fixed_out = {problem.ppa_ids.index(p) for p in rules.must_exclude}
    fair = fair_shares(problem, rules.envelope)
    balance = weights.balance > 0
    best: float | None = None
    for chosen in itertools.product([0, 1], repeat=n):
        if any(chosen[i] == 0 for i in fixed_in) or any(chosen[i] for i in fixed_out):
            continue
        lows = [(1.0 if i in fixed_in else problem.min_fraction[i]) if chosen[i] else 0.0
                for i in range(n)]
        bounds = [(lo, 1.0 if chosen[i] else 0.0) for i, lo in enumerate(lows)]
        a_ub, b_ub = [], []
        for row in rows:  # in funded fractions; >= rows negated
            line = np.zeros(n + balance)
            line[row.idx] = row.coef * problem.cost[row.idx]
            sign = 1.0 if row.sense == LESS else -1.0
            a_ub.append(sign * line / MILLION)
            b_ub.append(sign * row.rhs / MILLION)
        c = -np.append(values, weights.balance * n) if balance else -values
        if balance:
            bounds.append((0.0, 1.0))
            for r in range(len(problem.region_names)):
                if fair[r] > 0:  # t * fair_r <= what region r receives
                    line = np.zeros(n + 1)
                    line[:n] = -problem.coverage[:, r] * problem.cost / MILLION
                    line[n] = fair[r] / MILLION
                    a_ub.append(line)
                    b_ub.append(0.0)
        solved = linprog(c, A_ub=np.array(a_ub), b_ub=np.array(b_ub), bounds=bounds,
                         method="highs")
        if solved.status == 0:
            score = objective_value(problem, weights, solved.x[:n] * problem.cost,
                                    rules.envelope)
            best = score if best is None else max(best, score)
    return best
