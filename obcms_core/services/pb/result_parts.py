"""Pieces of a PB result: the election as counted, regional and stakeholder shares, reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import PBBallot, PBProject, Province, Region
from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import TieBreak, tie_break_order
from obcms_core.domain.pb.election import Election, Project
from obcms_core.domain.pb.explain import Shortfall
from obcms_core.services.pb.common import number

UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class Relabelled:
    """An election whose project ids sort in tie-break order, and the way back to codes."""

    election: Election
    code_of: dict[str, str]


def relabel(election: Election, tie_break: TieBreak) -> Relabelled:
    """Rename projects so the rules' id tie-break (smaller id first) follows the cycle's choice."""
    if tie_break is TieBreak.PROJECT_ID:  # the rules already prefer the smaller id
        return Relabelled(election, {p.id: p.id for p in election.projects})
    order = tie_break_order([(p.id, p.cost) for p in election.projects], tie_break)
    width = len(str(len(order)))
    label = {code: f"p{i:0{width}d}" for i, code in enumerate(order)}
    projects = tuple(Project(label[p.id], p.cost) for p in election.projects)
    ballots = tuple(replace(b, projects=tuple(label[c] for c in b.projects), fields=())
                    for b in election.ballots)
    counted = Election(election.budget, election.vote_type, projects, ballots)
    return Relabelled(counted, {v: k for k, v in label.items()})


def weighted(
    election: Election, kinds: Sequence[str | None], weights: Mapping[str, Decimal]
) -> Election:
    """Each ballot weighs its voter weight times its stakeholder type's weight (others 1)."""
    if not weights:
        return election
    ballots = tuple(
        replace(b, weight=number(Decimal(b.weight) * weights.get(k or "", Decimal(1))))
        for b, k in zip(election.ballots, kinds, strict=True)
    )
    return replace_ballots(election, ballots)


def replace_ballots(election: Election, ballots: tuple) -> Election:  # type: ignore[type-arg]
    """The same election with other ballots."""
    return Election(election.budget, election.vote_type, election.projects, ballots, election.meta)


@dataclass(frozen=True)
class StakeholderShare:
    """One stakeholder type's ballots, its weight, and its share before and after weighting."""

    stakeholder_type: str  # "unspecified" for ballots without one
    ballots: int
    weight: Decimal
    ballot_share: float
    weighted_share: float


def stakeholder_shares(
    session: Session, cycle_id: int, weights: Mapping[str, Decimal]
) -> tuple[StakeholderShare, ...]:
    """Ballots per stakeholder type (SQL group-by) with the weight each type counts with."""
    rows = session.execute(
        select(PBBallot.stakeholder_type, func.count(), func.sum(PBBallot.weight))
        .where(PBBallot.cycle_id == cycle_id)
        .group_by(PBBallot.stakeholder_type)
    ).all()
    total = sum(n for _, n, _ in rows)
    mass = {k: Decimal(w or 0) * weights.get(k or "", Decimal(1)) for k, _, w in rows}
    all_mass = sum(mass.values(), Decimal(0))
    return tuple(
        StakeholderShare(
            stakeholder_type=kind or UNSPECIFIED,
            ballots=int(n),
            weight=weights.get(kind or "", Decimal(1)),
            ballot_share=n / total if total else 0.0,
            weighted_share=float(mass[kind] / all_mass) if all_mass else 0.0,
        )
        for kind, n, _ in sorted(rows, key=lambda r: (-r[1], r[0] or ""))
    )


@dataclass(frozen=True)
class RegionShare:
    """A region's share of the funded money against its share of the population."""

    region_code: str | None  # None: projects placed in no region
    region_name: str
    population: int
    population_share: float
    funded_cost: Decimal
    funding_share: float
    ratio: float | None  # funding share / population share (1 = proportional)


def region_shares(
    session: Session, projects: Sequence[PBProject], funded: set[str]
) -> tuple[RegionShare, ...]:
    """Funding per region against its 2024 population share (empty when no project has one)."""
    if not any(p.region_id for p in projects):
        return ()
    regions = session.execute(
        select(Region.id, Region.code, Region.name, func.coalesce(func.sum(
            Province.population_2024), 0))
        .outerjoin(Province, Province.region_id == Region.id)
        .group_by(Region.id, Region.code, Region.name)
        .order_by(Region.code)
    ).all()
    money: dict[int | None, Decimal] = {}
    for p in projects:
        if p.code in funded:
            money[p.region_id] = money.get(p.region_id, Decimal(0)) + p.cost
    all_money = sum(money.values(), Decimal(0))
    people = {rid: int(pop or 0) for rid, _, _, pop in regions}
    all_people = sum(people.values())
    rows = []
    for rid, code, name, _ in regions:
        pop = people[rid]
        pop_share = pop / all_people if all_people else 0.0
        f_share = float(money.get(rid, 0) / all_money) if all_money else 0.0
        rows.append(RegionShare(code, name, pop, pop_share, money.get(rid, Decimal(0)),
                                f_share, f_share / pop_share if pop_share else None))
    if None in money:
        rows.append(RegionShare(None, "No region", 0, 0.0, money[None],
                                float(money[None] / all_money) if all_money else 0.0, None))
    return tuple(rows)


def _php(value: Fraction) -> str:
    return format_php(Decimal(value.numerator) / Decimal(value.denominator))


def _count(n: float, word: str) -> str:
    return f"{n:,.0f} {word}" if round(n) == 1 else f"{n:,.0f} {word}s"


def why_not_funded(s: Shortfall, weighted_count: bool) -> str:
    """One sentence, in pesos, on why equal shares left the project out."""
    backers = _count(float(s.supporters), "weighted supporter" if weighted_count else "supporter")
    extra = _count(s.extra_supporters_at_start_budget, "more supporter")
    text = (
        f"It costs {_php(s.cost)}; when the equal shares ran out its {backers} had"
        f" {_php(s.available)} left ({float(s.covered):.0%} of its cost), {_php(s.shortfall)}"
        f" short: it needed {extra} with a full share of {_php(s.start_budget)} each."
    )
    if s.funded_by_completion:
        text += " It was funded afterwards from the money left over."
    return text
