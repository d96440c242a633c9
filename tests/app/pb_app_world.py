"""Participatory budgeting cycles on the AppTests' sample data, built with the PB services.

Projects come from four sample needs (codes N<need id>):
  water  "Potable water for Balangasan"    ₱2,400,000.00  (Region IX)
  rooms  "Classrooms for Tiguma madrasah"  ₱1,200,000.00  (Region IX)
  pay    "Teacher allowances, Fort Pikit"  ₱800,000.00    (Region XII)
  big    "Water system for Fort Pikit"     ₱5,600,000.75  (Region XII)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from obcms_core.adapters.orm import Community, Need
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    BallotChoice,
    CycleSpec,
    create_cycle,
    projects_from_needs,
    submit_ballot,
)

PLANNER = Actor("planner", Role.PLANNER)
TITLES = {
    "water": "Potable water for Balangasan",
    "rooms": "Classrooms for Tiguma madrasah",
    "pay": "Teacher allowances, Fort Pikit",
    "big": "Water system for Fort Pikit",
}


@dataclass(frozen=True)
class Cycles:
    """The ids of the test cycles and the project code of each sample need."""

    knapsack: int
    approval: int
    cumulative: int
    closed: int
    code: dict[str, str]


def need_codes(db: Database) -> dict[str, str]:
    with db.uow() as uow:
        ids = dict(uow.session.execute(select(Need.title, Need.id)).all())
    return {short: f"N{ids[title]}" for short, title in TITLES.items()}


def open_cycle(
    db: Database, name: str, ballot: BallotSpec, envelope: Decimal | int, needs: Sequence[str],
    *, opens: datetime, closes: datetime, rule: CountingRule = CountingRule.MES,
    weights: dict[str, object] | None = None,
) -> int:
    ids = [int(code[1:]) for code in needs]
    with db.uow() as uow:
        cycle_id = create_cycle(uow, PLANNER, CycleSpec(
            name=name, fiscal_year=2027, envelope=envelope, opens_at=opens, closes_at=closes,
            ballot=ballot, counting_rule=rule, stakeholder_weights=weights or {},
        ), projects_from_needs(uow, ids))
        uow.commit()
    return cycle_id


def vote(db: Database, cycle_id: int, voter: str, codes: Sequence[str], at: datetime,
         points: Sequence[int] | None = None, kind: str | None = None) -> None:
    with db.uow() as uow:
        submit_ballot(uow, cycle_id, voter, BallotChoice(codes, points, None, kind), now=at)
        uow.commit()


def place_communities(db: Database) -> None:
    """Map positions for the two Pagadian communities (Fort Pikit's stays unknown)."""
    with db.uow() as uow:
        for name, lat, lon in (("OBC of Balangasan", 7.84, 123.45),
                               ("OBC of Tiguma", 7.80, 123.40)):
            uow.session.execute(update(Community).where(Community.name == name)
                                .values(latitude=lat, longitude=lon))
        uow.commit()


def build_cycles(db: Database) -> Cycles:
    """Three cycles open now (knapsack, approval, cumulative) and one closed with ballots."""
    place_communities(db)
    code = need_codes(db)
    now = datetime.now(UTC)
    opens, closes = now - timedelta(days=1), now + timedelta(days=10)
    order = [code["water"], code["rooms"], code["pay"], code["big"]]
    knapsack = open_cycle(db, "Water and schools", BallotSpec(BallotFormat.KNAPSACK,
                                                              min_choices=1),
                          4_000_000, order, opens=opens, closes=closes)
    approval = open_cycle(db, "Pick two", BallotSpec(BallotFormat.APPROVAL, min_choices=1,
                                                     max_choices=2), 4_000_000, order,
                          opens=opens, closes=closes)
    cumulative = open_cycle(db, "Spread ten points", BallotSpec(
        BallotFormat.CUMULATIVE, points=10, max_points_per_project=6), 4_000_000, order,
        opens=opens, closes=closes)
    closed = closed_cycle(db, code)
    return Cycles(knapsack, approval, cumulative, closed, code)


def closed_cycle(db: Database, code: dict[str, str]) -> int:
    """Closed last month: envelope ₱3,000,000, seven approval ballots.

    water (₱2.4 M) has 3 votes, rooms (₱1.2 M) 4, pay (₱0.8 M) 4, big 0. Most votes first funds
    rooms and pay (tied at 4; ₱2.0 M), then water no longer fits (₱4.4 M > ₱3 M).
    """
    start = datetime.now(UTC) - timedelta(days=40)
    cycle_id = open_cycle(
        db, "Last year's vote", BallotSpec(BallotFormat.APPROVAL), 3_000_000,
        [code["water"], code["rooms"], code["pay"], code["big"]],
        opens=start, closes=start + timedelta(days=10), rule=CountingRule.GREEDY,
    )
    ballots = [
        ("v1", ["water"]), ("v2", ["water"]), ("v3", ["water", "rooms"]),
        ("v4", ["rooms", "pay"]), ("v5", ["rooms", "pay"]), ("v6", ["rooms", "pay"]),
        ("v7", ["pay"]),
    ]
    for voter, shorts in ballots:
        vote(db, cycle_id, voter, [code[s] for s in shorts], at=start + timedelta(days=1))
    return cycle_id
