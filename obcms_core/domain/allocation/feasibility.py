"""Why no allocation can meet the settings, in words a budget officer can act on.

Two layers. `conflicts` does the arithmetic an officer would do by hand (must-fund PPAs against
the envelope and ceilings, floors against the envelope, GAD shares an MOA cannot reach) and
needs no solver. When those checks pass but the solver still finds no allocation, `loosening`
words the result of the elastic model: the smallest loosening, in pesos, that would make the
settings feasible.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from obcms_core.domain.allocation.constraints import (
    AllocationRules,
    moa_capacity,
    php,
    regional_floors,
)
from obcms_core.domain.allocation.model import AllocationProblem

NO_ALLOCATION = "No allocation meets every setting."
CONFLICTS = "No allocation meets every setting:"


def _group_totals(codes: np.ndarray, amounts: np.ndarray, count: int) -> np.ndarray:
    return np.bincount(codes, weights=amounts, minlength=count)


def conflicts(problem: AllocationProblem, rules: AllocationRules) -> list[str]:
    """Settings that contradict each other before any optimisation, each said in words."""
    out: list[str] = []
    both = sorted(rules.must_fund & rules.must_exclude)
    out += [f"{ppa} is both must-fund and must-exclude." for ppa in both]
    must = np.zeros(problem.size, dtype=bool)
    if rules.must_fund:
        must[problem.index_of(rules.must_fund)] = True
    excluded = np.zeros(problem.size, dtype=bool)
    if rules.must_exclude:
        excluded[problem.index_of(rules.must_exclude)] = True
    forced = np.where(must, problem.cost, 0.0)
    envelope = rules.envelope
    if forced.sum() > envelope + 0.005:
        out.append(f"The must-fund PPAs need {php(forced.sum())} but the envelope is "
                   f"{php(envelope)}.")
    for codes, names, ceilings, what in (
        (problem.source, problem.source_names, rules.source_ceilings, "the {} ceiling"),
        (problem.sector, problem.sector_names, rules.sector_ceilings, "the {} sector ceiling"),
    ):
        totals = _group_totals(codes, forced, len(names))
        for k, name in enumerate(names):
            if name in ceilings and totals[k] > ceilings[name] + 0.005:
                out.append(f"The must-fund PPAs under {what.format(name)} need "
                           f"{php(totals[k])} but the ceiling is "
                           f"{php(ceilings[name])}.")
    by_moa = _group_totals(problem.moa, forced, len(problem.moa_names))
    for k, cap in enumerate(moa_capacity(problem, rules)):
        if by_moa[k] > cap + 0.005:
            out.append(f"{problem.moa_names[k]}'s must-fund PPAs need {php(by_moa[k])} "
                       f"but it can absorb only {php(cap)}.")
    out += _floor_conflicts(problem, rules, forced, excluded)
    out += _gad_conflicts(problem, rules, forced, excluded)
    return out


def _floor_conflicts(
    problem: AllocationProblem, rules: AllocationRules, forced: np.ndarray, excluded: np.ndarray
) -> list[str]:
    out: list[str] = []
    floors = regional_floors(problem, rules)
    if floors.sum() > rules.envelope + 0.005:
        out.append(f"The regional floors need {php(floors.sum())} but the envelope is "
                   f"{php(rules.envelope)}.")
    else:
        # every peso lands in some region, so each region needs the larger of floor and
        # must-fund share, and together that must fit in the envelope
        needed = np.maximum(floors, problem.coverage.T @ forced).sum()
        if needed > rules.envelope + 0.005 and floors.sum() > 0:
            out.append(f"The regional floors and the must-fund PPAs together need "
                       f"{php(needed)} but the envelope is {php(rules.envelope)}.")
    reachable = problem.coverage.T @ np.where(excluded, 0.0, problem.cost)
    for r, name in enumerate(problem.region_names):
        if floors[r] > reachable[r] + 0.005:
            out.append(f"{name}'s floor is {php(floors[r])} but the PPAs that may be "
                       f"funded there request only {php(reachable[r])}.")
    return out


def _gad_conflicts(
    problem: AllocationProblem, rules: AllocationRules, forced: np.ndarray, excluded: np.ndarray
) -> list[str]:
    share = rules.gad_share
    if share <= 0:
        return []
    out: list[str] = []
    count = len(problem.moa_names)
    untagged = _group_totals(problem.moa, np.where(problem.gad, 0.0, forced), count)
    tagged = _group_totals(problem.moa,
                           np.where(problem.gad & ~excluded, problem.cost, 0.0), count)
    capacity = moa_capacity(problem, rules)
    has_tag = _group_totals(problem.moa, problem.gad.astype(float), count) > 0
    for k, name in enumerate(problem.moa_names):
        needed = untagged[k] * share / (1 - share)
        if untagged[k] <= 0 or not has_tag[k]:  # the GAD rule binds tagged MOAs only
            continue
        start = (f"{name} must fund {php(untagged[k])} of PPAs without a GAD tag, which needs "
                 f"{php(needed)} of GAD-tagged PPAs to reach {share:.0%}")
        if tagged[k] < needed - 0.005:
            out.append(f"{start}, but its GAD-tagged PPAs request only {php(tagged[k])}.")
        elif untagged[k] + needed > capacity[k] + 0.005:
            out.append(f"{start}, {php(untagged[k] + needed)} in all, but it can absorb only "
                       f"{php(capacity[k])}.")
    return out


def loosening(
    problem: AllocationProblem,
    rules: AllocationRules,
    slacks: Mapping[str, float],
    labels: Mapping[str, str],
) -> list[str]:
    """The elastic model's slacks (pesos, by row key) as the changes that would help."""
    out = [NO_ALLOCATION + " The smallest loosening that would allow one:"]
    for key, pesos in sorted(slacks.items(), key=lambda item: -item[1]):
        if pesos <= 1.0:
            continue
        kind, _, group = key.partition(":")
        amount = php(pesos)
        out.append({
            "envelope": f"the envelope would have to grow by {amount};",
            "source": f"{labels.get(key, key)} would have to rise by {amount};",
            "sector": f"{labels.get(key, key)} would have to rise by {amount};",
            "capacity": f"{group}'s absorptive capacity would have to rise by {amount};",
            "floor": f"{group}'s floor would have to fall by {amount};",
            "gad": f"{group}'s GAD-tagged PPAs fall {amount} short of the "
                   f"{rules.gad_share:.0%} share;",
            "must": f"{group} could not be funded in full ({amount} of it does not fit);",
        }.get(kind, f"{key}: {amount};"))
    if len(out) == 1:
        out.append("the minimum viable amounts of the PPAs that could meet the floors do not "
                   "fit together; lower some minimum viable amounts or floors.")
    return out
