"""Two demo PB cycles built from demo needs: FY2025 (closed, counted) and FY2027 (open).

The FY2027 cycle is a long consultation: it opened on 15 Oct 2025, before the demo's 'today'
(its ballots so far date from then to AS_OF), and closes on 30 Jun 2027, so people trying the
demo workbench can still vote in it.

Voters are demo community members known by a voter key only (no logins), each with a
stakeholder type and a home region; they favour projects in their own region. The demo
'community' login has a FY2025 ballot it changed once, so its ballot history has two entries.
Every timestamp derives from the demo's fixed dates, so the same seed gives the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    Barangay,
    Community,
    Municipality,
    Need,
    PBCycle,
    Province,
    User,
)
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource, NeedStatus, Role
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule, TieBreak
from obcms_core.pipelines.demo.base import AS_OF, at, pesos, streams
from obcms_core.services.pb.ballots import BallotChoice, submit_ballot, voter_key_for_user
from obcms_core.services.pb.cycles import CycleSpec, create_cycle
from obcms_core.services.pb.projects import projects_from_needs
from obcms_core.services.pb.queries import cycle_projects
from obcms_core.services.pb.store import BulkBallot, store_ballots

SEEDER = Actor("seed-demo", Role.ADMIN)
STAKEHOLDERS = {"resident": 0.55, "women's group": 0.2, "youth": 0.15, "elders": 0.1}
EQUAL = dict.fromkeys(STAKEHOLDERS, "1.0")
# FY2025 lifts women's groups and youth a quarter, to make up for their low turnout
LIFTED = {**EQUAL, "women's group": "1.25", "youth": "1.25"}
COMMENTS = (
    "Please prioritise the water system, our children fetch water every morning.",
    "The road is impassable in the rainy season.",
    "Our madrasah needs classrooms more than anything else.",
    "Thank you for asking the community first.",
    "The health station has no midwife on weekends.",
    "Youth here need skills training and jobs.",
)
VOTERS = 400


@dataclass(frozen=True)
class DemoCycle:
    """One demo cycle's settings."""

    name: str
    fiscal_year: int
    opens: date
    closes: date
    ballot: BallotSpec
    rule: CountingRule
    tie_break: TieBreak
    weights: dict[str, str]
    projects: int
    ballots: int


CYCLES = (
    DemoCycle("Community priorities FY2025", 2025, date(2025, 2, 3), date(2025, 2, 28),
              BallotSpec(BallotFormat.APPROVAL, min_choices=1, max_choices=4),
              CountingRule.MES, TieBreak.PROJECT_ID, LIFTED, 12, 320),
    DemoCycle("Community priorities FY2027", 2027, date(2025, 10, 15), date(2027, 6, 30),
              BallotSpec(BallotFormat.KNAPSACK, min_choices=1),
              CountingRule.MES, TieBreak.LOWEST_COST, EQUAL, 14, 180),
)
ELIGIBLE = (NeedStatus.VALIDATED, NeedStatus.PRIORITIZED, NeedStatus.IDENTIFIED)


def _needs(uow: UnitOfWork, rand: random.Random) -> list[tuple[int, int]]:
    """(need id, region id) of demo needs with a cost, eligible ones first, in a seeded order."""
    rows = uow.session.execute(
        select(Need.id, Province.region_id, Need.status)
        .join(Community, Need.community_id == Community.id)
        .join(Barangay, Community.barangay_id == Barangay.id)
        .join(Municipality, Barangay.municipality_id == Municipality.id)
        .join(Province, Municipality.province_id == Province.id)
        .where(Need.is_demo.is_(True), Need.estimated_cost.is_not(None),
               Need.submitted_on <= date(2025, 1, 15))
        .order_by(Need.id)
    ).all()
    eligible = [(i, r) for i, r, s in rows if s in ELIGIBLE]
    others = [(i, r) for i, r, s in rows if s not in ELIGIBLE]
    rand.shuffle(eligible)
    rand.shuffle(others)
    return eligible + others


def _moment(rng: np.random.Generator, opens: date, closes: date) -> datetime:
    span = (closes - opens).days * 86_400 + 86_399
    return datetime.combine(opens, datetime.min.time(), UTC) + timedelta(
        seconds=int(rng.integers(0, span))
    )


def _ballots(
    cycle: DemoCycle, envelope: Decimal, projects: Sequence[tuple[int, int | None, Decimal]],
    voters: Sequence[tuple[str, str, int]], rng: np.random.Generator, rand: random.Random,
) -> list[BulkBallot]:
    """Each voter marks projects drawn by popularity, three times likelier in their region."""
    popularity = rng.gamma(2.0, 1.0, len(projects))
    out = []
    for key, kind, region in voters[: cycle.ballots]:
        weights = popularity * np.array([3.0 if r == region else 1.0 for _, r, _ in projects])
        order = rng.choice(len(projects), size=len(projects), replace=False,
                           p=weights / weights.sum())
        wanted = int(rng.integers(1, (cycle.ballot.max_choices or 6) + 1))
        chosen: list[int] = []
        spent = Decimal(0)
        for j in order:
            if len(chosen) == wanted:
                break
            if cycle.ballot.format is BallotFormat.KNAPSACK and spent + projects[j][2] > envelope:
                continue
            chosen.append(int(j))
            spent += projects[j][2]
        if not chosen:
            chosen = [int(min(range(len(projects)), key=lambda i: projects[i][2]))]
        out.append(BulkBallot(
            voter_key=key, marks=[(projects[j][0], None) for j in chosen],
            submitted_at=_moment(rng, cycle.opens, min(cycle.closes, AS_OF)),
            stakeholder_type=kind,
            comment=rand.choice(COMMENTS) if rand.random() < 0.1 else None,
        ))
    return out


def _community_user_votes(uow: UnitOfWork, cycle_id: int, codes: Sequence[str],
                          opens: date) -> int:
    """The demo community login votes, then changes its mind a week later."""
    user_id = uow.session.scalar(
        select(User.id).where(User.username == "community", User.is_demo.is_(True))
    )
    if user_id is None or len(codes) < 3:
        return 0
    for day, marked in ((opens + timedelta(days=2), codes[:2]),
                        (opens + timedelta(days=9), (codes[0], codes[2]))):
        submit_ballot(
            uow, cycle_id, voter_key_for_user(user_id),
            BallotChoice(marked, stakeholder_type="youth",
                         comment="Our youth need the training centre."),
            user_id=user_id, username="community", now=at(day, 19, 30),
            source=ChangeSource.PIPELINE,
        )
    return 1


def seed_demo_pb(
    uow: UnitOfWork, seed: int, progress: Callable[[str], None]
) -> tuple[dict[str, int], list[str]]:
    """Create the demo cycles with their ballots; returns rows per table and notes."""
    rand, rng = streams(seed, "pb")
    needs = _needs(uow, rand)
    if len(needs) < 6:
        return {}, ["no PB demo cycles: fewer than 6 demo needs have a cost"]
    regions = sorted({r for _, r in needs})
    kinds = list(STAKEHOLDERS)
    voters = [
        (f"demo-member-{i:04d}", rand.choices(kinds, weights=list(STAKEHOLDERS.values()))[0],
         regions[int(rng.integers(0, len(regions)))])
        for i in range(1, VOTERS + 1)
    ]
    counts = {"pb_cycles": 0, "pb_projects": 0, "pb_ballots": 0}
    notes: list[str] = []
    region_of = dict(needs)
    first = 0
    for index, demo in enumerate(CYCLES):
        size = min(demo.projects, len(needs) // len(CYCLES))
        picked = [need for need, _ in needs[first : first + size]]
        first += size
        taken = uow.session.scalar(select(PBCycle.id).where(
            PBCycle.fiscal_year == demo.fiscal_year, PBCycle.name == demo.name))
        if taken is not None:
            notes.append(f"PB cycle '{demo.name}' already exists; no demo copy made")
            continue
        specs = projects_from_needs(uow, picked)
        total = sum((Decimal(s.cost) for s in specs), Decimal(0))
        envelope = Decimal(pesos(float(total) * 0.35, 100_000))
        cycle_id = create_cycle(
            uow, SEEDER,
            CycleSpec(name=demo.name, fiscal_year=demo.fiscal_year, envelope=envelope,
                      opens_at=at(demo.opens, 8), closes_at=at(demo.closes, 17),
                      ballot=demo.ballot, counting_rule=demo.rule, tie_break=demo.tie_break,
                      stakeholder_weights=demo.weights,
                      description="Demo cycle: generated ballots, not real votes."),
            specs, source=ChangeSource.PIPELINE, is_demo=True,
        )
        cycle = uow.session.get(PBCycle, cycle_id)
        assert cycle is not None
        cycle.created_at = cycle.updated_at = at(demo.opens - timedelta(days=14))
        views = cycle_projects(uow, cycle_id)
        projects = [(v.id, region_of.get(v.need_id or 0), v.cost) for v in views]
        ballots = _ballots(demo, envelope, projects, voters, rng, rand)
        counts["pb_ballots"] += store_ballots(uow.session, cycle_id, ballots)
        if index == 0:
            counts["pb_ballots"] += _community_user_votes(
                uow, cycle_id, [v.code for v in views], demo.opens)
        counts["pb_cycles"] += 1
        counts["pb_projects"] += len(views)
    progress(f"Participatory budgeting: {counts['pb_cycles']} cycles, "
             f"{counts['pb_ballots']:,} ballots.")
    return counts, notes
