"""Ballots grouped for counting: identical ballots merge; each project keeps supporter arrays."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from obcms_core.domain.pb.election import Election, Number, exact

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


class Utility(StrEnum):
    """How much a funded project is worth to a voter who supported it."""

    # the project's cost, for every project on the ballot (pabutools' Cost_Sat); ranked and
    # cumulative ballots count as approval of every project they list
    COST = "cost"
    # the project's cost times the points or score the voter gave it (cumulative, scoring)
    COST_POINTS = "cost_points"


@dataclass(frozen=True)
class SupportProfile:
    """Grouped supporters per project, in float64 for speed and exact values for re-checks."""

    ids: tuple[str, ...]
    costs: tuple[Fraction, ...]
    cost_f: FloatArray
    budget: Fraction
    total_weight: Fraction
    weight: tuple[Number, ...]  # per group: number of identical ballots times voter weight
    weight_f: FloatArray
    supporters: tuple[IntArray, ...]  # per project: the groups supporting it
    factor: tuple[tuple[Number, ...], ...]  # per project and supporter: points (1 for approval)
    factor_f: tuple[FloatArray, ...]
    sup_weight: tuple[FloatArray, ...]  # per project and supporter: the group's weight
    sup_util: tuple[FloatArray, ...]  # per project and supporter: utility per voter (cost x points)
    sup_wutil: tuple[FloatArray, ...]  # the same times the group's weight
    sup_inv_util: tuple[FloatArray, ...]  # 1 / utility per voter
    support_f: FloatArray
    support: tuple[Fraction, ...]  # per project: weighted sum of the factors of its supporters

    @property
    def n_groups(self) -> int:
        """Number of distinct ballots."""
        return len(self.weight)

    def unit_share(self, j: int) -> Fraction:
        """The exact price per unit of utility when every supporter can pay: 1 / support."""
        return 1 / self.support[j]

    def exact_weight(self, g: int) -> Fraction:
        """The exact weight of a ballot group."""
        return exact(self.weight[g])


def _group_points(
    election: Election, position: dict[str, int]
) -> tuple[list[Number], list[list[int]], list[list[Number]]]:
    groups: dict[tuple[tuple[int, Number], ...], Number] = {}
    for ballot in election.ballots:
        pairs = zip(ballot.projects, ballot.points or (1,) * len(ballot.projects), strict=True)
        given = {position[p]: v for p, v in pairs}
        key = tuple(sorted((j, v) for j, v in given.items() if v > 0))
        groups[key] = groups.get(key, 0) + ballot.weight
    members: list[list[int]] = [[] for _ in position]
    factors: list[list[Number]] = [[] for _ in position]
    for g, key in enumerate(groups):
        for j, pts in key:
            members[j].append(g)
            factors[j].append(pts)
    return list(groups.values()), members, factors


def _group_approvals(
    election: Election, position: dict[str, int]
) -> tuple[list[Number], list[list[int]], list[list[Number]]]:
    groups: dict[tuple[int, ...], Number] = {}
    if election.unweighted:
        # identical ballots are counted together first; an Election's ballots mark each
        # project once, so a sorted tuple of positions names the set of projects
        for marks, count in Counter(election.marked()).items():
            key = tuple(sorted(map(position.__getitem__, marks)))
            groups[key] = groups.get(key, 0) + count
    else:
        for ballot in election.ballots:
            key = tuple(sorted(map(position.__getitem__, ballot.projects)))
            groups[key] = groups.get(key, 0) + ballot.weight
    members: list[list[int]] = [[] for _ in position]
    for g, key in enumerate(groups):
        for j in key:
            members[j].append(g)
    factors: list[list[Number]] = [[1] * len(m) for m in members]
    return list(groups.values()), members, factors


def build_profile(election: Election, utility: Utility = Utility.COST) -> SupportProfile:
    """Group identical ballots and index each project's supporters."""
    use_points = utility is Utility.COST_POINTS and election.vote_type.has_points
    position = {pid: i for i, pid in enumerate(election.project_ids)}
    group = _group_points if use_points else _group_approvals
    raw_weights, members, factors = group(election, position)
    weight_f = np.array([float(w) for w in raw_weights], dtype=np.float64)
    supporters = tuple(np.array(m, dtype=np.intp) for m in members)
    factor_f = tuple(np.array(fs, dtype=np.float64) for fs in factors)
    integral = all(isinstance(w, int) for w in raw_weights) and (
        not use_points or all(isinstance(f, int) for fs in factors for f in fs)
    )
    if integral:  # exact in int64: no Fraction sums over every supporter
        int_w = np.array(raw_weights, dtype=np.int64)
        support = tuple(
            Fraction(int((int_w[m] * f.astype(np.int64)).sum()))
            for m, f in zip(supporters, factor_f, strict=True)
        )
    else:
        support = tuple(
            sum((exact(raw_weights[g]) * exact(f) for g, f in zip(m, fs, strict=True)), Fraction(0))
            for m, fs in zip(members, factors, strict=True)
        )
    costs = tuple(exact(p.cost) for p in election.projects)
    sup_weight = tuple(weight_f[m] for m in supporters)
    sup_util = tuple(float(c) * f for c, f in zip(costs, factor_f, strict=True))
    return SupportProfile(
        ids=election.project_ids,
        costs=costs,
        cost_f=np.array([float(c) for c in costs], dtype=np.float64),
        budget=exact(election.budget),
        total_weight=exact(sum((b.weight for b in election.ballots), 0)),
        weight=tuple(raw_weights),
        weight_f=weight_f,
        supporters=supporters,
        factor=tuple(tuple(fs) for fs in factors),
        factor_f=factor_f,
        sup_weight=sup_weight,
        sup_util=sup_util,
        sup_wutil=tuple(w * u for w, u in zip(sup_weight, sup_util, strict=True)),
        sup_inv_util=tuple(
            1.0 / u if c > 0 else np.zeros_like(u) for c, u in zip(costs, sup_util, strict=True)
        ),
        support_f=np.array([float(x) for x in support], dtype=np.float64),
        support=support,
    )
