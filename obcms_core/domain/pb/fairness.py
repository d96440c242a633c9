"""How fairly a PB result treats voters: reach, satisfaction, its spread, and shares by group."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from obcms_core.domain.pb.election import Ballot, Election


@dataclass(frozen=True)
class FairnessReport:
    """Voter-side measures of one result (satisfaction = pesos of funded projects supported)."""

    voters: float  # weighted
    share_with_a_funded_project: float  # voters who supported at least one funded project
    average_satisfaction: float  # pesos of funded projects each voter supported, on average
    average_satisfaction_share: float  # ... as a share of the envelope
    satisfaction_gini: float  # 0 = everyone equally satisfied, 1 = all of it to one voter


@dataclass(frozen=True)
class GroupShare:
    """One group's share of the voters (or population) against its share of the funding."""

    group: str
    voters: float
    voter_share: float
    population_share: float  # the given population share, else the voter share
    funding: float  # each funded project's cost split equally among its supporters
    funding_share: float
    ratio: float  # funding share / population share (1 = proportional)


def _satisfaction(election: Election, funded: set[str]) -> tuple[np.ndarray, np.ndarray]:
    cost = {p.id: float(p.cost) for p in election.projects}
    sat = np.array([sum(cost[p] for p in set(b.projects) & funded) for b in election.ballots])
    weight = np.array([float(b.weight) for b in election.ballots])
    return sat, weight


def gini(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Weighted Gini coefficient of non-negative values (0 when all are equal or all zero)."""
    w = np.ones_like(values, dtype=float) if weights is None else weights.astype(float)
    order = np.argsort(values, kind="stable")
    x, w = values[order].astype(float), w[order]
    total_w, total = w.sum(), float(np.dot(w, x))
    if total_w == 0 or total == 0:
        return 0.0
    # mean absolute difference over all weighted pairs, from cumulative sums of sorted values
    cum_w = np.cumsum(w) - w
    cum_x = np.cumsum(w * x) - w * x
    diff = float(np.sum(w * (x * cum_w - cum_x)))
    return 2 * diff / (2 * total_w * total)


def fairness(election: Election, selected: Iterable[str]) -> FairnessReport:
    """Share of voters with a funded project, their average satisfaction and its Gini spread."""
    funded = set(selected)
    sat, weight = _satisfaction(election, funded)
    voters = float(weight.sum())
    if voters == 0:
        return FairnessReport(0.0, 0.0, 0.0, 0.0, 0.0)
    reached = float(weight[sat > 0].sum())
    reached += float(weight[(sat == 0) & _supports_free(election, funded)].sum())
    average = float(np.dot(weight, sat)) / voters
    budget = float(election.budget)
    return FairnessReport(
        voters=voters,
        share_with_a_funded_project=reached / voters,
        average_satisfaction=average,
        average_satisfaction_share=average / budget if budget else 0.0,
        satisfaction_gini=gini(sat, weight),
    )


def _supports_free(election: Election, funded: set[str]) -> np.ndarray:
    free = {p.id for p in election.projects if p.cost == 0} & funded
    return np.array([bool(free & set(b.projects)) for b in election.ballots], dtype=bool)


def funding_by_group(
    election: Election,
    selected: Iterable[str],
    group_of: Callable[[Ballot], str | None],
    population_share: Mapping[str, float] | None = None,
) -> list[GroupShare]:
    """Each group's share of funding (costs split among backers) vs its voter/population share."""
    funded = set(selected)
    backers: dict[str, float] = dict.fromkeys(funded, 0.0)
    for b in election.ballots:
        for p in set(b.projects) & funded:
            backers[p] += float(b.weight)
    voters: dict[str, float] = {}
    money: dict[str, float] = {}
    for b in election.ballots:
        group = group_of(b)
        if group is None:
            continue
        voters[group] = voters.get(group, 0.0) + float(b.weight)
        share = sum(float(election.project(p).cost) / backers[p] for p in set(b.projects) & funded)
        money[group] = money.get(group, 0.0) + float(b.weight) * share
    all_voters, all_money = sum(voters.values()), sum(money.values())
    rows = []
    for group in sorted(voters):
        v_share = voters[group] / all_voters if all_voters else 0.0
        pop = population_share.get(group, 0.0) if population_share is not None else v_share
        f_share = money[group] / all_money if all_money else 0.0
        rows.append(
            GroupShare(
                group,
                voters[group],
                v_share,
                pop,
                money[group],
                f_share,
                f_share / pop if pop else float("nan"),
            )
        )
    return rows
