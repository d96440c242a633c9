"""The allocation MILP (or its LP relaxation) as a PuLP model, built from arrays.

Variables: f_i in [0, 1], the funded fraction of PPA i. An all-or-nothing PPA (m_i = 1) has a
binary f_i; a PPA that may be partly funded gets a binary y_i with m_i y_i <= f_i <= y_i. The
LP relaxation drops integrality, which leaves exactly 0 <= f_i <= 1. Must-fund PPAs have
f_i = 1, must-exclude PPAs f_i = 0 (bounds). Group rows are written in millions of pesos so
that coefficients stay near 1 for the solvers.

The elastic variant adds a non-negative slack to every group row and to every must-fund PPA and
minimises the pesos of slack: it finds the smallest loosening that makes the settings feasible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pulp

from obcms_core.domain.allocation.constraints import (
    LESS,
    AllocationRules,
    Row,
    constraint_rows,
)
from obcms_core.domain.allocation.model import (
    AllocationProblem,
    ObjectiveWeights,
    fair_shares,
    ppa_values,
)

SCALE = 1e6  # one unit in a row is one million pesos


@dataclass(eq=False)
class Built:
    """A PuLP model with handles on the variables and rows explanations need."""

    prob: pulp.LpProblem
    fraction: list[pulp.LpVariable]  # f_i per PPA
    rows: list[Row]
    constraints: dict[str, pulp.LpConstraint]  # by row key (and balance:<region>)
    slacks: dict[str, pulp.LpVariable] = field(default_factory=dict)  # elastic only
    seconds: float = 0.0


def _expr(pairs: list[tuple[pulp.LpVariable, float]]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(pairs)


def _variables(
    prob: pulp.LpProblem, problem: AllocationProblem, rules: AllocationRules, relax: bool,
    elastic: bool,
) -> tuple[list[pulp.LpVariable], list[pulp.LpConstraint]]:
    n = problem.size
    low, high = np.zeros(n), np.ones(n)
    if rules.must_fund and not elastic:
        low[problem.index_of(rules.must_fund)] = 1.0
    if rules.must_exclude:
        high[problem.index_of(rules.must_exclude)] = 0.0
    low = np.minimum(low, high)  # a PPA both forced in and out is reported by the pre-checks
    whole = (problem.min_fraction >= 1.0) & (not relax)
    f: list[pulp.LpVariable] = [
        prob.add_variable(f"f{i:06d}", lo, hi, pulp.LpInteger if w else pulp.LpContinuous)
        for i, (lo, hi, w) in enumerate(zip(low.tolist(), high.tolist(), whole.tolist(),
                                            strict=True))
    ]
    links: list[pulp.LpConstraint] = []
    if not relax:
        for i in np.flatnonzero(~whole).tolist():
            y = prob.add_variable(f"y{i:06d}", low[i], high[i], pulp.LpInteger)
            m = float(problem.min_fraction[i])
            links.append(pulp.LpConstraint(_expr([(f[i], 1.0), (y, -1.0)]), -1, f"u{i:06d}", 0))
            links.append(pulp.LpConstraint(_expr([(f[i], 1.0), (y, -m)]), 1, f"l{i:06d}", 0))
    return f, links


def build_model(
    problem: AllocationProblem,
    rules: AllocationRules,
    weights: ObjectiveWeights,
    *,
    relax: bool = False,
    elastic: bool = False,
) -> Built:
    """The optimisation model for a scenario, ready for a PuLP solver."""
    started = time.perf_counter()
    rows = constraint_rows(problem, rules)
    sense = pulp.LpMinimize if elastic else pulp.LpMaximize
    prob = pulp.LpProblem("allocation", sense)
    f, links = _variables(prob, problem, rules, relax, elastic)
    built = Built(prob, f, rows, {})
    scaled_cost = problem.cost / SCALE
    penalties: list[tuple[pulp.LpVariable, float]] = []
    for k, row in enumerate(rows):
        coefs = (row.coef * scaled_cost[row.idx]).tolist()
        pairs = [(f[i], c) for i, c in zip(row.idx.tolist(), coefs, strict=True) if c != 0]
        if elastic:
            slack = prob.add_variable(f"s{k:05d}", 0)
            pairs.append((slack, -1.0 if row.sense == LESS else 1.0))
            built.slacks[row.key] = slack
            penalties.append((slack, 1.0))
        constraint = pulp.LpConstraint(_expr(pairs), -1 if row.sense == LESS else 1,
                                       f"r{k:05d}", row.rhs / SCALE)
        prob.addConstraint(constraint)
        built.constraints[row.key] = constraint
    for link in links:
        prob.addConstraint(link)
    if elastic:
        for i in (problem.index_of(rules.must_fund) if rules.must_fund else []):
            slack = prob.add_variable(f"m{i:06d}", 0, 1)
            prob.addConstraint(pulp.LpConstraint(_expr([(f[i], 1.0), (slack, 1.0)]), 1,
                                                 f"must{i:06d}", 1.0))
            built.slacks[f"must:{problem.ppa_ids[i]}"] = slack
            penalties.append((slack, float(scaled_cost[i])))
        prob.setObjective(_expr(penalties))
    else:
        value = ppa_values(problem, weights).tolist()
        objective = [(v, c) for v, c in zip(f, value, strict=True) if c != 0]
        if weights.balance > 0:
            objective.append((_balance(problem, rules, f, built), weights.balance * problem.size))
        prob.setObjective(_expr(objective))
    built.seconds = time.perf_counter() - started
    return built


def _balance(
    problem: AllocationProblem, rules: AllocationRules, f: list[pulp.LpVariable], built: Built
) -> pulp.LpVariable:
    """t <= what region r receives / its per-capita fair share, for every region, and t <= 1."""
    t = built.prob.add_variable("balance", 0, 1)
    fair = fair_shares(problem, rules.envelope) / SCALE
    for r, name in enumerate(problem.region_names):
        idx = np.flatnonzero(problem.coverage[:, r] > 0)
        if fair[r] <= 0:
            continue
        coefs = (problem.coverage[idx, r] * problem.cost[idx] / SCALE).tolist()
        pairs = [(f[i], c) for i, c in zip(idx.tolist(), coefs, strict=True)]
        pairs.append((t, -float(fair[r])))
        constraint = pulp.LpConstraint(_expr(pairs), 1, f"b{r:03d}", 0.0)
        built.prob.addConstraint(constraint)
        built.constraints[f"balance:{name}"] = constraint
    return t
