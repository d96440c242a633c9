"""Test-oracle helpers: our Election as a pabutools instance and profile (pabutools is GPL: it
is used here, in tests and bench only, never by obcms_core)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    OrdinalBallot,
    OrdinalProfile,
    Project,
)
from pabutools.fractions import frac
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    max_additive_utilitarian_welfare,
    method_of_equal_shares,
)

from obcms_core.domain.pb.election import Election, VoteType
from tests.oracle.pabutools_sat import PointsCostSat


def to_pabutools(election: Election) -> tuple[Any, Any]:
    """The same election as pabutools objects (weights must be 1)."""
    instance = Instance()
    by_id = {}
    for p in election.projects:
        cost = Fraction(p.cost)
        by_id[p.id] = Project(p.id, int(cost) if cost.denominator == 1 else frac(cost))
        instance.add(by_id[p.id])
    instance.budget_limit = frac(Fraction(election.budget))
    kind = election.vote_type
    if kind in (VoteType.CUMULATIVE, VoteType.SCORING):
        ballots = []
        for b in election.ballots:
            ballot = CumulativeBallot()
            for pid, pts in zip(b.projects, b.points or (), strict=True):
                ballot[by_id[pid]] = frac(Fraction(pts))
            ballots.append(ballot)
        return instance, CumulativeProfile(ballots)
    if kind is VoteType.ORDINAL:
        return instance, OrdinalProfile(
            [OrdinalBallot([by_id[p] for p in b.projects]) for b in election.ballots]
        )
    return instance, ApprovalProfile(
        [ApprovalBallot({by_id[p] for p in b.projects}) for b in election.ballots]
    )


def run_pabutools(instance: Any, profile: Any, rule: str) -> Any:
    """pabutools' outcome under one of our rule names: greedy, or mes (Add1 by one unit per
    voter, completed by greedy, as equalshares.net does); a `_points` suffix counts the points
    (PointsCostSat) instead of cost satisfaction (Cost_Sat)."""
    sat = PointsCostSat if rule.endswith("_points") else Cost_Sat
    if rule.startswith("greedy"):
        return greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    return completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": sat, "voter_budget_increment": 1}, {"sat_class": sat}],
    )


def reference_greedy(election: Election, points: bool = False) -> list[str]:
    """greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)."""
    outcome = run_pabutools(*to_pabutools(election), "greedy_points" if points else "greedy")
    return sorted(p.name for p in outcome)


def reference_mes(election: Election, points: bool = False) -> list[str]:
    """MES (Cost_Sat, Add1 by one unit per voter) completed by greedy, as equalshares.net does."""
    outcome = run_pabutools(*to_pabutools(election), "mes_points" if points else "mes")
    return sorted(p.name for p in outcome)


def reference_max_welfare_sets(election: Election) -> list[list[str]]:
    """Every maximum-welfare allocation pabutools finds (irresolute)."""
    instance, profile = to_pabutools(election)
    outcomes = max_additive_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, resoluteness=False
    )
    return [sorted(p.name for p in o) for o in outcomes]
