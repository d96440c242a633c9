"""Counting a cycle's stored ballots with greedy, equal shares (MES) or maximum welfare.

A project no ballot marked is never funded (the counting rules' completion step would
otherwise spend leftover money on it). Stakeholder weights multiply each ballot's weight by
its type's weight (ballots without a type count 1); the result says which projects the
weighting changed.
Fairness figures count every voter once (unweighted), so they describe people, not weights.
Ties follow the cycle's tie-break. Results are computed on each call from the stored ballots
(MES on 60,000 ballots takes about a second): pages should cache them for a short while.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy.orm import Session

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PBCycle
from obcms_core.domain.money import to_money
from obcms_core.domain.pb.cycle import CountingRule
from obcms_core.domain.pb.election import Election, Number
from obcms_core.domain.pb.explain import Shortfall, explain_unfunded
from obcms_core.domain.pb.fairness import FairnessReport, fairness
from obcms_core.domain.pb.greedy import greedy, vote_totals
from obcms_core.domain.pb.mes import equal_shares
from obcms_core.domain.pb.profile import Utility
from obcms_core.domain.pb.welfare import max_welfare
from obcms_core.services.pb.common import ballot_spec, cycle_row, stakeholder_weights
from obcms_core.services.pb.result_parts import (
    RegionShare,
    Relabelled,
    StakeholderShare,
    region_shares,
    relabel,
    stakeholder_shares,
    weighted,
    why_not_funded,
)
from obcms_core.services.pb.store import StoredElection, load_election


@dataclass(frozen=True)
class ProjectResult:
    """One project's votes and fate under a rule."""

    code: str
    title: str
    cost: Decimal
    supporters: int  # ballots that marked it
    score: float  # weighted votes (weighted points for cumulative and scoring ballots)
    funded: bool
    funded_order: int | None  # 1 = chosen first
    need_id: int | None
    community_id: int | None
    why_not_funded: str | None  # MES only: a sentence in pesos


@dataclass(frozen=True)
class CycleResult:
    """The outcome of one rule on a cycle's ballots, with its fairness figures."""

    cycle_id: int
    rule: CountingRule
    ballots: int
    envelope: Decimal
    funded: tuple[str, ...]  # project codes in the order the rule chose them
    funded_cost: Decimal
    envelope_share: float
    leftover: Decimal
    projects: tuple[ProjectResult, ...]  # most supported first
    fairness: FairnessReport
    regions: tuple[RegionShare, ...]
    stakeholders: tuple[StakeholderShare, ...]
    weights_applied: bool
    gained_by_weights: tuple[str, ...]  # funded only because of the stakeholder weights
    lost_by_weights: tuple[str, ...]  # funded without the weights, not with them
    mes_budget_per_voter: Decimal | None = None
    shortfalls: dict[str, Shortfall] = field(default_factory=dict)


@dataclass(frozen=True)
class _Outcome:
    selected: tuple[str, ...]
    shortfalls: dict[str, Shortfall]
    budget_per_voter: Fraction | None


def _run(election: Election, rule: CountingRule, utility: Utility, explain: bool) -> _Outcome:
    if rule is CountingRule.GREEDY:
        return _Outcome(greedy(election, utility), {}, None)
    if rule is CountingRule.MAX_WELFARE:
        return _Outcome(max_welfare(election, utility), {}, None)
    outcome = equal_shares(election, utility)
    shortfalls = explain_unfunded(election, utility, outcome) if explain else {}
    return _Outcome(outcome.selected, shortfalls, outcome.budget_per_voter)


def supported_only(election: Election) -> Election:
    """The election without the projects no ballot marked: nobody's vote, no funding."""
    marked = {p for b in election.ballots for p in b.projects}
    if len(marked) == len(election.projects):
        return election
    projects = tuple(p for p in election.projects if p.id in marked)
    return Election(election.budget, election.vote_type, projects, election.ballots)


@dataclass(frozen=True)
class _Prepared:
    """What every rule's count of one cycle shares, worked out once per call."""

    weighted: Relabelled  # the weighted election (the plain one without weights), without
    # unmarked projects, relabelled for the tie-break
    plain: Relabelled | None  # the same for the unweighted election, when weights apply
    utility: Utility
    supporters: list[Number]
    scores: list[Number]
    stakeholders: tuple[StakeholderShare, ...]


def _prepare(session: Session, cycle: PBCycle, stored: StoredElection) -> _Prepared:
    weights = stakeholder_weights(cycle)
    plain = stored.election
    counted = weighted(plain, stored.kinds, weights)
    utility = ballot_spec(cycle).format.utility
    applied = bool(weights) and counted is not plain
    return _Prepared(
        weighted=relabel(supported_only(counted), cycle.tie_break),
        plain=relabel(supported_only(plain), cycle.tie_break) if applied else None,
        utility=utility,
        supporters=(vote_totals(plain, Utility.COST) if plain.ballots
                    else [0] * len(plain.projects)),
        scores=vote_totals(counted, utility) if counted.ballots else [0] * len(plain.projects),
        stakeholders=stakeholder_shares(session, cycle.id, weights),
    )


def _count(
    relabelled: Relabelled, rule: CountingRule, utility: Utility, explain: bool
) -> _Outcome:
    """The rule's outcome on a relabelled election, with project codes."""
    raw = _run(relabelled.election, rule, utility, explain)
    back = relabelled.code_of
    return _Outcome(
        tuple(back[p] for p in raw.selected),
        {back[p]: s for p, s in raw.shortfalls.items()},
        raw.budget_per_voter,
    )


def _result(
    session: Session, cycle: PBCycle, stored: StoredElection, ready: _Prepared,
    rule: CountingRule, explain: bool,
) -> CycleResult:
    outcome = _count(ready.weighted, rule, ready.utility, explain)
    plain = stored.election
    applied = ready.plain is not None
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    if ready.plain is not None:
        unweighted = _count(ready.plain, rule, ready.utility, False).selected
        gained = tuple(p for p in outcome.selected if p not in unweighted)
        lost = tuple(p for p in unweighted if p not in outcome.selected)
    order = {code: i for i, code in enumerate(outcome.selected, start=1)}
    rows = [
        ProjectResult(
            code=row.code, title=row.title, cost=row.cost, supporters=int(ready.supporters[j]),
            score=float(ready.scores[j]), funded=row.code in order,
            funded_order=order.get(row.code), need_id=row.need_id,
            community_id=row.community_id,
            why_not_funded=(why_not_funded(outcome.shortfalls[row.code], applied)
                            if row.code in outcome.shortfalls else None),
        )
        for j, row in enumerate(stored.project_rows)
    ]
    rows.sort(key=lambda r: (-r.score, -r.supporters, r.code))
    cost = to_money(sum((r.cost for r in rows if r.funded), Decimal(0)))
    envelope = to_money(cycle.envelope)
    return CycleResult(
        cycle_id=cycle.id, rule=rule, ballots=len(plain.ballots), envelope=envelope,
        funded=outcome.selected, funded_cost=cost,
        envelope_share=float(cost / envelope) if envelope else 0.0, leftover=envelope - cost,
        projects=tuple(rows), fairness=fairness(plain, outcome.selected),
        regions=region_shares(session, stored.project_rows, set(outcome.selected)),
        stakeholders=ready.stakeholders, weights_applied=applied,
        gained_by_weights=gained, lost_by_weights=lost,
        mes_budget_per_voter=(to_money(Decimal(outcome.budget_per_voter.numerator)
                                       / Decimal(outcome.budget_per_voter.denominator))
                              if outcome.budget_per_voter is not None else None),
        shortfalls=outcome.shortfalls,
    )


def count_cycle(
    uow: UnitOfWork, cycle_id: int, rule: CountingRule | str | None = None, *,
    explain: bool = True,
) -> CycleResult:
    """Count the stored ballots with the cycle's rule (or the one named); read-only."""
    cycle = cycle_row(uow.session, cycle_id)
    stored = load_election(uow.session, cycle)
    chosen = CountingRule(rule) if rule is not None else cycle.counting_rule
    return _result(uow.session, cycle, stored, _prepare(uow.session, cycle, stored), chosen,
                   explain)


def compare_rules(
    uow: UnitOfWork, cycle_id: int, *, explain: bool = True
) -> dict[CountingRule, CycleResult]:
    """The outcome of greedy, MES and maximum welfare on the same ballots (loaded once)."""
    cycle = cycle_row(uow.session, cycle_id)
    stored = load_election(uow.session, cycle)
    ready = _prepare(uow.session, cycle, stored)
    return {rule: _result(uow.session, cycle, stored, ready, rule, explain)
            for rule in CountingRule}
