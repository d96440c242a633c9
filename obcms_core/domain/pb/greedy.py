"""Greedy counting: fund projects by votes, highest first, skipping those that no longer fit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

from obcms_core.domain.pb.election import Election, Number, exact
from obcms_core.domain.pb.profile import SupportProfile, Utility


def greedy_order(
    ids: Sequence[str],
    costs: Sequence[Fraction | int],
    support: Sequence[Fraction | int],
    exclude: Iterable[int] = (),
) -> list[int]:
    """Projects by satisfaction per peso (the vote count for cost utility), ties by project id."""
    skipped = set(exclude)

    def key(j: int) -> tuple[int, Fraction | int, str]:
        # satisfaction per peso = support x cost / cost; a free project with support comes first,
        # one without support counts as zero (pabutools' greedy_utilitarian_welfare does the same)
        if costs[j] == 0 and support[j] > 0:
            return (0, 0, ids[j])
        return (1, -support[j], ids[j])

    return sorted((j for j in range(len(ids)) if j not in skipped), key=key)


def _fill(
    ids: Sequence[str],
    costs: Sequence[Fraction | int],
    support: Sequence[Fraction | int],
    budget: Fraction | int,
    funded: Iterable[int],
) -> list[int]:
    chosen = list(funded)
    left = budget - sum(costs[j] for j in chosen)
    for j in greedy_order(ids, costs, support, exclude=chosen):
        if costs[j] <= left:
            chosen.append(j)
            left -= costs[j]
    return chosen


def greedy_fill(profile: SupportProfile, funded: Iterable[int] = ()) -> list[int]:
    """Complete a funded list with the most-voted projects that still fit the envelope."""
    return _fill(profile.ids, profile.costs, profile.support, profile.budget, funded)


def vote_totals(election: Election, utility: Utility = Utility.COST) -> list[Number]:
    """Votes per project (weighted): supporters, or points with cost_points on points ballots."""
    points = utility is Utility.COST_POINTS and election.vote_type.has_points
    if not points and election.unweighted:
        # An Election's ballots mark each project at most once (Election checks it), so every
        # mark is one supporter.
        return np.bincount(election.marks, minlength=len(election.projects)).tolist()
    position = {pid: i for i, pid in enumerate(election.project_ids)}
    totals: list[Number] = [0] * len(position)
    ballots = election.ballots
    if points:
        for ballot in ballots:
            if ballot.points is None:
                for pid in ballot.projects:
                    totals[position[pid]] += ballot.weight
                continue
            for pid, pts in zip(ballot.projects, ballot.points, strict=True):
                if pts > 0:
                    totals[position[pid]] += pts * ballot.weight
        return totals
    for ballot in ballots:
        for pid in ballot.projects:
            totals[position[pid]] += ballot.weight
    return totals


def _amount(value: Number) -> int | Fraction:
    """An exact amount: ints stay ints (the common case, and fast), anything else a Fraction."""
    return value if type(value) is int else exact(value)


def greedy(election: Election, utility: Utility = Utility.COST) -> tuple[str, ...]:
    """Fund projects in order of votes (points with cost_points), skipping those that don't fit."""
    support = [_amount(v) for v in vote_totals(election, utility)]
    costs = [_amount(p.cost) for p in election.projects]
    ids = election.project_ids
    return tuple(ids[j] for j in _fill(ids, costs, support, _amount(election.budget), ()))
