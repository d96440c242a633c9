"""The officer's constraints as linear rows over pesos, and a checker that names each breach.

Every constraint except the per-PPA ones is a row  sum_i a_i * x_i (<= or >=) b  over the
allocation x in pesos:

* envelope: total <= envelope;  ceilings by funding source and by sector;
* absorptive capacity: an MOA's total <= multiple x its last-year disbursement (MOAs without a
  disbursement record, NaN, are not capped);
* regional floors: coverage-weighted total of a region >= max(share x envelope,
  pesos per capita x population);
* GAD: for every MOA, GAD-tagged total >= share x MOA total, written as
  sum (gad_i - share) x_i >= 0, for every MOA with at least one GAD-tagged PPA competing.
  An MOA with none cannot show a GAD share at all; it is not zeroed but reported
  (`moas_without_gad`), since tagging is the MOA's to fix, not the allocation's.

Per PPA: 0 <= x_i <= c_i; x_i = 0 or x_i >= minimum viable amount; must-fund PPAs get their full
request; must-exclude PPAs get nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from obcms_core.domain.allocation.model import AllocationProblem, Array
from obcms_core.domain.money import format_php

LESS, MORE = "<=", ">="


php = format_php  # short name: messages quote many amounts


@dataclass(frozen=True, eq=False)
class AllocationRules:
    """What the budget officer imposes on a scenario (amounts in pesos)."""

    envelope: float
    source_ceilings: Mapping[str, float] = field(default_factory=dict)
    sector_ceilings: Mapping[str, float] = field(default_factory=dict)
    capacity_multiple: float | None = None
    region_floor_shares: Mapping[str, float] = field(default_factory=dict)
    region_floor_per_capita: Mapping[str, float] = field(default_factory=dict)
    gad_share: float = 0.05
    must_fund: frozenset[str] = frozenset()
    must_exclude: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        amounts = [self.envelope, *self.source_ceilings.values(), *self.sector_ceilings.values(),
                   *self.region_floor_per_capita.values()]
        if any(not math.isfinite(a) or a < 0 for a in amounts):
            raise ValueError("the envelope, ceilings and per-capita floors must be zero or more")
        if any(not 0 <= s <= 1 for s in self.region_floor_shares.values()):
            raise ValueError("regional floor shares must be between 0 and 1")
        if self.capacity_multiple is not None and not self.capacity_multiple > 0:
            raise ValueError("the absorptive-capacity multiple must be above zero")
        if not 0 <= self.gad_share < 1:
            raise ValueError("the GAD share must be at least 0 and below 1")
        object.__setattr__(self, "must_fund", frozenset(self.must_fund))
        object.__setattr__(self, "must_exclude", frozenset(self.must_exclude))


@dataclass(frozen=True, eq=False)
class Row:
    """One linear constraint over the pesos allocated to the PPAs in `idx`."""

    key: str  # stable identifier, e.g. "floor:Region XII"
    kind: str  # envelope, source, sector, capacity, floor, gad
    group: str  # the region, sector, MOA or source it concerns ("" for the envelope)
    label: str  # the constraint in words
    idx: Array
    coef: Array  # per peso allocated
    sense: str
    rhs: float


def _names(given: Mapping[str, float], known: Sequence[str], what: str) -> None:
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")


def regional_floors(problem: AllocationProblem, rules: AllocationRules) -> Array:
    """Each region's floor in pesos: the larger of its envelope share and per-capita amount."""
    _names(rules.region_floor_shares, problem.region_names, "regions")
    _names(rules.region_floor_per_capita, problem.region_names, "regions")
    return np.array([
        max(rules.region_floor_shares.get(r, 0.0) * rules.envelope,
            rules.region_floor_per_capita.get(r, 0.0) * float(problem.region_population[k]))
        for k, r in enumerate(problem.region_names)
    ])


def moa_capacity(problem: AllocationProblem, rules: AllocationRules) -> Array:
    """Each MOA's absorptive capacity in pesos (inf when uncapped)."""
    if rules.capacity_multiple is None:
        return np.full(len(problem.moa_names), np.inf)
    cap = rules.capacity_multiple * problem.moa_disbursement
    return np.where(np.isnan(cap), np.inf, cap)


def _members(codes: Array, count: int) -> list[Array]:
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(count + 1))
    return [order[bounds[k]:bounds[k + 1]] for k in range(count)]


def constraint_rows(problem: AllocationProblem, rules: AllocationRules) -> list[Row]:
    """Every group constraint of the scenario as a row over pesos."""
    n = problem.size
    everyone, ones = np.arange(n), np.ones(n)
    rows = [Row("envelope", "envelope", "", "the envelope", everyone, ones, LESS, rules.envelope)]
    for kind, ceilings, codes, names in (
        ("source", rules.source_ceilings, problem.source, problem.source_names),
        ("sector", rules.sector_ceilings, problem.sector, problem.sector_names),
    ):
        _names(ceilings, names, f"{kind}s")
        members = _members(codes, len(names))
        for k, name in enumerate(names):
            if name in ceilings:
                label = f"the {name} {'funding-source' if kind == 'source' else 'sector'} ceiling"
                idx = members[k]
                rows.append(Row(f"{kind}:{name}", kind, name, label, idx, np.ones(idx.size),
                                LESS, float(ceilings[name])))
    by_moa = _members(problem.moa, len(problem.moa_names))
    for k, cap in enumerate(moa_capacity(problem, rules)):
        if np.isfinite(cap):
            name, idx = problem.moa_names[k], by_moa[k]
            rows.append(Row(f"capacity:{name}", "capacity", name,
                            f"{name}'s absorptive capacity", idx, np.ones(idx.size), LESS,
                            float(cap)))
    for r, floor in enumerate(regional_floors(problem, rules)):
        if floor > 0:
            name = problem.region_names[r]
            idx = np.flatnonzero(problem.coverage[:, r] > 0)
            rows.append(Row(f"floor:{name}", "floor", name, f"{name}'s floor", idx,
                            problem.coverage[idx, r].copy(), MORE, float(floor)))
    if rules.gad_share > 0:
        for k, idx in enumerate(by_moa):
            if idx.size and problem.gad[idx].any():
                name = problem.moa_names[k]
                coef = problem.gad[idx].astype(float) - rules.gad_share
                rows.append(Row(f"gad:{name}", "gad", name, f"{name}'s GAD share", idx, coef,
                                MORE, 0.0))
    return rows


def min_viable_amounts(problem: AllocationProblem) -> Array:
    """Each PPA's smallest fundable amount in pesos, rounded up to the centavo."""
    return np.ceil(np.round(problem.min_fraction * problem.cost * 100, 6)) / 100


def row_message(problem: AllocationProblem, rules: AllocationRules, row: Row,
                amounts: Array) -> str:
    """A breach of one row, said the way a budget officer would say it."""
    got = float(row.coef @ amounts[row.idx])
    if row.kind == "gad":
        total = float(amounts[row.idx].sum())
        tagged = float(amounts[row.idx][problem.gad[row.idx]].sum())
        return (f"{row.group}'s GAD-tagged PPAs get {php(tagged)}, "
                f"{tagged / total:.1%} of its {php(total)} allocation; "
                f"the mandated share is {rules.gad_share:.0%}.")
    if row.kind == "floor":
        return (f"{row.group}'s floor is {php(row.rhs)} but it receives "
                f"{php(got)} ({php(row.rhs - got)} short).")
    subject = {
        "envelope": "The envelope is {cap} but the allocation totals {got}",
        "source": "The {group} ceiling is {cap} but PPAs funded from it get {got}",
        "sector": "The {group} sector ceiling is {cap} but its PPAs get {got}",
        "capacity": "{group} can absorb {cap} ({mult} × last year's disbursement) "
                    "but gets {got}",
    }[row.kind]
    text = subject.format(group=row.group, cap=php(row.rhs), got=php(got),
                          mult=f"{rules.capacity_multiple:g}" if rules.capacity_multiple else "")
    return f"{text} ({php(got - row.rhs)} over)."


def check_allocation(
    problem: AllocationProblem,
    rules: AllocationRules,
    amounts: Sequence[Decimal] | Array,
    tolerance: float = 1.0,
) -> list[str]:
    """Every constraint the allocation breaks, in words; empty when it honours them all.

    Group constraints may be off by `tolerance` pesos (solver precision and centavo rounding);
    per-PPA limits are checked to the centavo.
    """
    x = np.array([float(a) for a in amounts], dtype=float)
    if x.shape != (problem.size,):
        return [f"The allocation has {x.size} amounts for {problem.size} PPAs."]
    out: list[str] = []
    ids, cent = problem.ppa_ids, 0.005
    minimum = min_viable_amounts(problem)
    for i in np.flatnonzero((x < -cent) | (x > problem.cost + cent)):
        out.append(f"{ids[i]} gets {php(x[i])}, outside 0 to its request "
                   f"{php(problem.cost[i])}.")
    for i in np.flatnonzero((x > cent) & (x < minimum - cent)):
        out.append(f"{ids[i]} gets {php(x[i])}, below its minimum viable amount "
                   f"{php(minimum[i])}.")
    if rules.must_fund:
        for i in problem.index_of(rules.must_fund):
            if x[i] < problem.cost[i] - cent:
                out.append(f"{ids[i]} must be funded in full ({php(problem.cost[i])}) "
                           f"but gets {php(x[i])}.")
    if rules.must_exclude:
        for i in problem.index_of(rules.must_exclude):
            if x[i] > cent:
                out.append(f"{ids[i]} must be left out but gets {php(x[i])}.")
    for row in constraint_rows(problem, rules):
        lhs = float(row.coef @ x[row.idx])
        breach = lhs - row.rhs if row.sense == LESS else row.rhs - lhs
        if breach > tolerance:
            out.append(row_message(problem, rules, row, x))
    return out


def moas_without_gad(problem: AllocationProblem) -> list[str]:
    """MOAs with PPAs competing but none tagged for GAD: they cannot show the mandated share."""
    tagged = np.zeros(len(problem.moa_names), dtype=bool)
    present = np.zeros(len(problem.moa_names), dtype=bool)
    np.logical_or.at(tagged, problem.moa, problem.gad)
    present[problem.moa] = True
    return [name for k, name in enumerate(problem.moa_names) if present[k] and not tagged[k]]
