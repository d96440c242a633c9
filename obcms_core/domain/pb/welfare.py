"""Maximum total welfare: the affordable set of projects with the largest total satisfaction.

Satisfaction is cost utility (supporters x cost, or supporters' points x cost): the knapsack
    maximise sum_j x_j * cost_j * support_j   subject to   sum_j x_j * cost_j <= envelope.
Projects nobody supports add nothing and are never funded. Among equally good sets the tie is
broken project by project in id order: a project is funded when some best set that agrees with
the decisions already taken funds it (the lexicographically first best set). The model is built
from arrays and solved with HiGHS (CBC when HiGHS is unavailable); the answer is re-checked in
exact arithmetic.
"""

from __future__ import annotations

import os
import sys
from fractions import Fraction
from math import lcm

import pulp

from obcms_core.domain.pb.election import Election
from obcms_core.domain.pb.profile import SupportProfile, Utility, build_profile


class WelfareSolverError(RuntimeError):
    """No MILP solver could find an optimal selection."""


_banner_silenced = False


def _silence_highs_banner() -> None:
    """HiGHS prints a banner on stdout the first time it starts; keep it out of CLI output."""
    global _banner_silenced
    if _banner_silenced:
        return
    _banner_silenced = True
    try:
        import highspy
    except ImportError:
        return
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _solver() -> pulp.LpSolver:
    highs = pulp.HiGHS(msg=False, gapRel=0, gapAbs=0)
    if highs.available():
        _silence_highs_banner()
        return highs
    return pulp.PULP_CBC_CMD(msg=False, gapRel=0, gapAbs=0)


def _integers(values: list[Fraction]) -> list[int]:
    """The same numbers scaled by one common factor so that all are integers."""
    scale = 1
    for v in values:
        scale = lcm(scale, v.denominator)
    return [int(v * scale) for v in values]


def max_welfare_profile(profile: SupportProfile) -> list[int]:
    """Indices of the lexicographically first maximum-welfare set of projects that fits."""
    cand = [j for j in range(len(profile.ids)) if profile.support[j] > 0]
    cand.sort(key=lambda j: profile.ids[j])
    free = [j for j in cand if profile.costs[j] == 0]
    paid = [j for j in cand if profile.costs[j] > 0 and profile.costs[j] <= profile.budget]
    if not paid:
        return free
    *cost, cap = _integers([profile.costs[j] for j in paid] + [profile.budget])
    value = _integers([profile.costs[j] * profile.support[j] for j in paid])
    model = pulp.LpProblem("max_welfare", pulp.LpMaximize)
    x = [model.add_variable(f"x{i}", cat=pulp.LpBinary) for i in range(len(paid))]
    objective = pulp.lpDot(value, x)
    model += objective
    model += pulp.lpDot(cost, x) <= cap
    first = _solve(model, x)
    assert first is not None  # required=True raises instead
    best: list[bool] = first
    target = sum(v for v, take in zip(value, best, strict=True) if take)
    model += objective >= target  # integers: only best sets remain
    fixed_cost = 0
    for i in range(len(paid)):  # in id order: fund whenever some best set still does
        if not best[i] and fixed_cost + cost[i] > cap:
            x[i].lowBound, x[i].upBound = 0, 0
            continue
        if not best[i]:
            x[i].lowBound = 1
            trial = _solve(model, x, required=False)
            if trial is None:
                x[i].lowBound, x[i].upBound = 0, 0
                continue
            best = trial
        x[i].lowBound = x[i].upBound = 1
        fixed_cost += cost[i]
    chosen = [paid[i] for i in range(len(paid)) if best[i]]
    _verify(profile, chosen, cost, cap, value, target, paid)
    return free + chosen


def _solve(
    model: pulp.LpProblem, x: list[pulp.LpVariable], required: bool = True
) -> list[bool] | None:
    status = model.solve(_solver())
    if status != pulp.LpStatusOptimal:
        if required:
            raise WelfareSolverError(f"the solver stopped with status {pulp.LpStatus[status]}")
        return None
    return [(v.value() or 0) > 0.5 for v in x]


def _verify(
    profile: SupportProfile,
    chosen: list[int],
    cost: list[int],
    cap: int,
    value: list[int],
    target: int,
    paid: list[int],
) -> None:
    pos = {j: i for i, j in enumerate(paid)}
    if sum(cost[pos[j]] for j in chosen) > cap or sum(value[pos[j]] for j in chosen) < target:
        raise WelfareSolverError("the solver's selection does not pass the exact check")


def max_welfare(election: Election, utility: Utility = Utility.COST) -> tuple[str, ...]:
    """Fund the affordable set of projects that satisfies voters most in total (cost utility)."""
    profile = build_profile(election, utility)
    return tuple(profile.ids[j] for j in max_welfare_profile(profile))
