"""A small hand-built world for the participatory-budgeting service tests.

Two regions (IX: 600,000 people, XII: 400,000), one town and one community in each, five needs
(N1 water system 400k and N3 classrooms 200k in region IX, N2 road 300k and N4 health station
100k in region XII, N5 without a cost), a planner with an e-mail and a community member.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert

from obcms_core.adapters.orm import (
    Barangay,
    Community,
    Municipality,
    Need,
    NeedCategory,
    Province,
    Region,
    User,
)
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.pb.cycle import BallotSpec, CountingRule, TieBreak
from obcms_core.services.database import Database
from obcms_core.services.pb.ballots import BallotChoice, submit_ballot
from obcms_core.services.pb.cycles import CycleSpec, create_cycle
from obcms_core.services.pb.projects import ProjectSpec, projects_from_needs

PLANNER = Actor("planner", Role.PLANNER)
OPENS = datetime(2026, 3, 1, 8, tzinfo=UTC)
CLOSES = datetime(2026, 3, 31, 17, tzinfo=UTC)
DURING = OPENS + timedelta(days=3)
BEFORE = OPENS - timedelta(days=3)
AFTER = CLOSES + timedelta(days=1)
NEED_COSTS = {1: 400_000, 2: 300_000, 3: 200_000, 4: 100_000}


def build_world(db: Database) -> None:
    """Regions, provinces, towns, barangays, communities, needs and two users."""
    with db.uow() as uow:
        s = uow.session
        s.execute(insert(Region), [{"id": 1, "code": "IX", "name": "Zamboanga Peninsula"},
                                   {"id": 2, "code": "XII", "name": "SOCCSKSARGEN"}])
        s.execute(insert(Province), [
            {"id": 1, "region_id": 1, "name": "Sulu", "census_name": "SULU",
             "population_2024": 600_000},
            {"id": 2, "region_id": 2, "name": "Cotabato", "census_name": "COTABATO",
             "population_2024": 400_000}])
        s.execute(insert(Municipality), [
            {"id": 1, "province_id": 1, "name": "Jolo", "latitude": 6.05, "longitude": 121.0},
            {"id": 2, "province_id": 2, "name": "Pikit", "latitude": 7.05, "longitude": 124.67}])
        s.execute(insert(Barangay), [{"id": 1, "municipality_id": 1, "name": "Walled City"},
                                     {"id": 2, "municipality_id": 2, "name": "Poblacion"}])
        s.execute(insert(Community), [
            {"id": c, "obc_code": f"OBC-{c}", "barangay_id": c, "name": name,
             "estimated_obc_population": 500, "households": 100,
             "ethnolinguistic_group": "tausug", "access_water": "poor",
             "access_electricity": "fair", "access_health": "poor",
             "access_education": "fair", "access_roads": "poor", "latitude": lat,
             "longitude": 121.0}
            for c, name, lat in ((1, "Walled City OBC", 6.06), (2, "Poblacion OBC", None))])
        s.execute(insert(NeedCategory), [{"id": 1, "name": "Basic services",
                                          "sector": "infrastructure"}])
        titles = {1: "Water system", 2: "Farm-to-market road", 3: "Madrasah classrooms",
                  4: "Health station", 5: "Cultural centre"}
        s.execute(insert(Need), [
            {"id": n, "title": titles[n], "community_id": 1 if n in (1, 3, 5) else 2,
             "category_id": 1, "affected_population": 100, "urgency": "short_term",
             "severity": 3, "feasibility": "high",
             "estimated_cost": Decimal(NEED_COSTS[n]) if n in NEED_COSTS else None,
             "priority_score": Decimal("2.000"), "submission_type": "community_submitted",
             "submitted_on": date(2025, 6, 1)}
            for n in titles])
        s.execute(insert(User), [
            {"id": 1, "username": "planner", "full_name": "Norhaya Lidasan",
             "email": "planner@example.org", "password_hash": "x", "role": Role.PLANNER},
            {"id": 2, "username": "voter", "full_name": "Jamal Sahibul",
             "email": "voter@example.org", "password_hash": "x", "role": Role.COMMUNITY_MEMBER}])
        uow.commit()


def open_cycle(
    db: Database, *, envelope: int = 600_000, ballot: BallotSpec | None = None,
    rule: CountingRule = CountingRule.GREEDY, tie_break: TieBreak = TieBreak.PROJECT_ID,
    weights: dict[str, object] | None = None, milestones: Sequence[int] = (100, 500, 1000),
    needs: Sequence[int] = (1, 2, 3, 4), projects: Sequence[ProjectSpec] | None = None,
    name: str = "Community priorities FY2026", notify: Sequence[str] = (),
) -> int:
    """A committed cycle over the given needs (or projects), voting in March 2026."""
    with db.uow() as uow:
        specs = list(projects) if projects is not None else projects_from_needs(uow, needs)
        cycle_id = create_cycle(uow, PLANNER, CycleSpec(
            name=name, fiscal_year=2026, envelope=envelope, opens_at=OPENS, closes_at=CLOSES,
            ballot=ballot or BallotSpec(), counting_rule=rule, tie_break=tie_break,
            stakeholder_weights=weights or {}, milestones=milestones, notify_emails=notify,
        ), specs)
        uow.commit()
    return cycle_id


def vote(
    db: Database, cycle_id: int, voter: str, projects: Sequence[str],
    points: Sequence[int] | None = None, kind: str | None = None, at: datetime = DURING,
) -> None:
    """One committed ballot."""
    with db.uow() as uow:
        submit_ballot(uow, cycle_id, voter, BallotChoice(projects, points, None, kind), now=at)
        uow.commit()


# Five voters over N1..N4 (codes N1..N4): N1 and N2 get three votes each, N3 and N4 one each.
FIVE_BALLOTS = (
    ("v1", ("N1", "N3"), "resident"),
    ("v2", ("N1",), "resident"),
    ("v3", ("N2", "N4"), "youth"),
    ("v4", ("N2",), "youth"),
    ("v5", ("N1", "N2"), "elders"),
)


def cast_five(db: Database, cycle_id: int) -> None:
    """The five ballots above."""
    for voter, projects, kind in FIVE_BALLOTS:
        vote(db, cycle_id, voter, projects, kind=kind)
