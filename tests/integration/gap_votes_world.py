"""Participatory-budgeting votes on the dashboard world (dashboard_world.py), counted by hand.

Three cycles, each an approval ballot, all closed by the time the tests run:
    A "Barangay priorities FY2025"  FY2025, voting 1–31 March 2025; on the ballot N1 N2 N4 N5 N12
        a1: N1 N5   a2: N1 N12   a3: N1 N2   a4: N5   a5: N2 N12   a6: N12   a7: N1
    B "Youth priorities FY2025"     FY2025, voting 1–30 June 2025; on the ballot N5
        b1: N5   b2: N5
    C "Barangay priorities FY2026"  FY2026, voting 1–31 March 2026; on the ballot N1 N11
        c1: N1 N11   c2: N11

Votes per need (ballots that chose it):
    FY2025: N1 4 (a1 a2 a3 a7), N5 4 (a1 a4 + b1 b2), N12 3 (a2 a5 a6), N2 2 (a3 a5), N4 0
    FY2026: N11 2, N1 1
    every year: N1 5, N5 4, N12 3, N2 2, N11 2, N4 0
Ballots cast: FY2025 9 (7 + 2), FY2026 2, FY2024 none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dashboard_world import World

from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    BallotChoice,
    CycleSpec,
    create_cycle,
    projects_from_needs,
    submit_ballot,
)

PLANNER = Actor("planner", Role.PLANNER)
# name -> (fiscal year, opens, days open, needs on the ballot, ballots as (voter, needs))
CYCLES: dict[str, tuple[int, datetime, int, tuple[str, ...],
                        tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "Barangay priorities FY2025": (
        2025, datetime(2025, 3, 1, tzinfo=UTC), 30, ("N1", "N2", "N4", "N5", "N12"),
        (("a1", ("N1", "N5")), ("a2", ("N1", "N12")), ("a3", ("N1", "N2")), ("a4", ("N5",)),
         ("a5", ("N2", "N12")), ("a6", ("N12",)), ("a7", ("N1",)))),
    "Youth priorities FY2025": (
        2025, datetime(2025, 6, 1, tzinfo=UTC), 29, ("N5",), (("b1", ("N5",)), ("b2", ("N5",)))),
    "Barangay priorities FY2026": (
        2026, datetime(2026, 3, 1, tzinfo=UTC), 30, ("N1", "N11"),
        (("c1", ("N1", "N11")), ("c2", ("N11",)))),
}
YOUTH_CYCLE_OPENS = CYCLES["Youth priorities FY2025"][1]


def add_votes(db: Database, world: World) -> dict[str, int]:
    """Open the three cycles above, cast their ballots inside each window; cycle ids by name."""
    ids: dict[str, int] = {}
    for name, (year, opens, days, needs, ballots) in CYCLES.items():
        with db.uow() as uow:
            projects = projects_from_needs(uow, [world.needs[n] for n in needs])
            ids[name] = create_cycle(uow, PLANNER, CycleSpec(
                name=name, fiscal_year=year, envelope=5_000_000, opens_at=opens,
                closes_at=opens + timedelta(days=days)), projects)
            uow.commit()
        for voter, chosen in ballots:
            with db.uow() as uow:
                submit_ballot(uow, ids[name], voter,
                              BallotChoice([f"N{world.needs[n]}" for n in chosen]),
                              now=opens + timedelta(days=1))
                uow.commit()
    return ids
