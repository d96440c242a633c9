"""Ballots grouped for counting: identical ballots merge; each project keeps supporter arrays."""

from __future__ import annotations

from collections.abc import Sequence
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
    # per project: its supporters' total weight, and the largest 1 / utility among them. They
    # turn the rounding of budgets (absolute, on the scale of the starting budget) into margins
    # on what supporters hold together and on the price at which one can no longer pay in full.
    weight_sum: tuple[float, ...]
    inv_util_max: tuple[float, ...]
    # per project: the utility per voter when every supporter has the same (approval ballots),
    # else None; tables of supporters x budgets then scale by one number instead of a column
    uniform_util: tuple[float | None, ...]

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


# per group its weight; per project its supporting groups and, on points ballots, their points
Grouped = tuple[list[Number], list[list[int]] | list[IntArray], list[list[Number]] | None]


def _group_points(election: Election, position: dict[str, int]) -> Grouped:
    """Ballot groups' weights, each project's supporting groups and the points they gave it."""
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


def _group_approvals(election: Election, position: dict[str, int]) -> Grouped:
    """Ballot groups' weights and each project's supporting groups (every factor is 1)."""
    # Each ballot becomes a row of bits, one per project (64 projects to a word); identical rows
    # are one group, numbered in order of first appearance.
    n, voters = len(position), len(election.ballots)
    words = max(1, (n + 63) // 64)
    marks = election.marks
    # A ballot marks a project at most once, so the sum of its bits is their union; sums run
    # as differences of a running total (uint64 arithmetic wraps, and the differences stay exact).
    bits = np.left_shift(np.uint64(1), (marks % 64).astype(np.uint64))
    ends = np.cumsum(election.lengths)
    starts = ends - election.lengths
    word_of = marks // 64
    rows = np.empty((voters, words), dtype=np.uint64)
    for w in range(words):
        running = np.zeros(len(marks) + 1, dtype=np.uint64)
        np.cumsum(np.where(word_of == w, bits, np.uint64(0)), out=running[1:])
        rows[:, w] = running[ends] - running[starts]
    distinct = rows[:, 0] if words == 1 else rows
    _, first, inverse = np.unique(distinct, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    group_of = rank[inverse.reshape(-1)]
    weights: list[Number]
    if election.unweighted:
        weights = np.bincount(group_of, minlength=len(order)).tolist()
    else:
        weights = [0] * len(order)
        for g, ballot in zip(group_of.tolist(), election.ballots, strict=True):
            weights[g] += ballot.weight
    # each group's projects are those of its first ballot: list them as (project, group) pairs
    # and sort by project (stably, so each project's groups stay in ascending order)
    first_ballot = first[order]
    sizes = election.lengths[first_ballot]
    group_ids = np.repeat(np.arange(len(order), dtype=np.intp), sizes)
    within = np.arange(len(group_ids), dtype=np.intp) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    projects = marks[np.repeat(starts[first_ballot], sizes) + within]
    by_project = np.argsort(projects, kind="stable")
    bounds = np.cumsum(np.bincount(projects, minlength=n))[:-1]
    members = np.split(group_ids[by_project], bounds) if n else []
    return weights, members, None


def build_profile(election: Election, utility: Utility = Utility.COST) -> SupportProfile:
    """Group identical ballots and index each project's supporters."""
    use_points = utility is Utility.COST_POINTS and election.vote_type.has_points
    position = {pid: i for i, pid in enumerate(election.project_ids)}
    group = _group_points if use_points else _group_approvals
    raw_weights, members, points = group(election, position)
    supporters = tuple(np.asarray(m, dtype=np.intp) for m in members)
    factors: Sequence[Sequence[Number]] = (
        [(1,) * len(m) for m in supporters] if points is None else points
    )
    if election.unweighted:
        weight_f = np.array(raw_weights, dtype=np.float64)  # counts of identical ballots
    else:
        weight_f = np.array([float(w) for w in raw_weights], dtype=np.float64)
    factor_f = tuple(
        np.ones(len(m)) if points is None else np.array(fs, dtype=np.float64)
        for m, fs in zip(supporters, factors, strict=True)
    )
    integral = (election.unweighted or all(isinstance(w, int) for w in raw_weights)) and (
        points is None or all(isinstance(f, int) for fs in points for f in fs)
    )
    if integral:  # exact in int64: no Fraction sums over every supporter
        int_w = np.array(raw_weights, dtype=np.int64)
        support = tuple(
            Fraction(int((int_w[m] * f.astype(np.int64)).sum()))
            for m, f in zip(supporters, factor_f, strict=True)
        )
    else:
        support = tuple(
            sum(
                (exact(raw_weights[g]) * exact(f) for g, f in zip(m.tolist(), fs, strict=True)),
                Fraction(0),
            )
            for m, fs in zip(supporters, factors, strict=True)
        )
    costs = tuple(exact(p.cost) for p in election.projects)
    sup_weight = tuple(weight_f[m] for m in supporters)
    sup_util = tuple(float(c) * f for c, f in zip(costs, factor_f, strict=True))
    sup_inv_util = tuple(
        1.0 / u if c > 0 else np.zeros_like(u) for c, u in zip(costs, sup_util, strict=True)
    )
    return SupportProfile(
        ids=election.project_ids,
        costs=costs,
        cost_f=np.array([float(c) for c in costs], dtype=np.float64),
        budget=exact(election.budget),
        total_weight=election.total_weight,
        weight=tuple(raw_weights),
        weight_f=weight_f,
        supporters=supporters,
        factor=tuple(map(tuple, factors)),
        factor_f=factor_f,
        sup_weight=sup_weight,
        sup_util=sup_util,
        sup_wutil=tuple(w * u for w, u in zip(sup_weight, sup_util, strict=True)),
        sup_inv_util=sup_inv_util,
        support_f=np.array([float(x) for x in support], dtype=np.float64),
        support=support,
        weight_sum=tuple(float(w.sum()) for w in sup_weight),
        inv_util_max=tuple(float(i.max(initial=0.0)) for i in sup_inv_util),
        uniform_util=tuple(
            float(u[0]) if u.size and u.min() == u.max() else None for u in sup_util
        ),
    )
