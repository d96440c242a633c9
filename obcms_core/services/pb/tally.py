"""The live tally of an open cycle: votes and points per project, counted in SQL.

Pages refresh it about every 10 seconds. The service keeps each tally for TALLY_TTL seconds,
keyed by (database URL, cycle id), so any number of viewers cost one GROUP BY per cycle per
10 s in each process; `clear_tally_cache()` forgets them (tests, or after an import).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, case, cast, func, literal, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PBBallot, PBBallotMark, PBProject
from obcms_core.domain.clock import utcnow
from obcms_core.services.pb.common import cycle_row, stakeholder_weights

TALLY_TTL = 10.0  # seconds

Clock = Callable[[], float]


@dataclass(frozen=True)
class TallyRow:
    """One project's running count."""

    code: str
    title: str
    cost: Decimal
    votes: int  # ballots that marked it
    points: Decimal | None  # cumulative points or scores given to it (None on other formats)
    weighted_votes: Decimal  # votes times each ballot's voter and stakeholder weight


@dataclass(frozen=True)
class Tally:
    """Ballots so far and the projects, most votes first."""

    cycle_id: int
    ballots: int
    rows: tuple[TallyRow, ...]
    computed_at: datetime


_cache: dict[tuple[str, int], tuple[float, Tally]] = {}
_lock = threading.Lock()


def clear_tally_cache() -> None:
    """Forget every cached tally."""
    with _lock:
        _cache.clear()


def _compute(uow: UnitOfWork, cycle_id: int) -> Tally:
    session = uow.session
    cycle = cycle_row(session, cycle_id)
    weights = stakeholder_weights(cycle)
    weight_of = (
        case(
            *[(PBBallot.stakeholder_type == k, literal(v, Numeric(14, 6)))
              for k, v in weights.items()],
            else_=literal(Decimal(1), Numeric(14, 6)),
        )
        if weights else literal(Decimal(1), Numeric(14, 6))
    )
    has_points = cycle.ballot_format.vote_type.has_points
    rows = session.execute(
        select(
            PBProject.code, PBProject.title, PBProject.cost,
            func.count(PBBallotMark.ballot_id),
            func.sum(PBBallotMark.points),
            func.coalesce(func.sum(cast(PBBallot.weight * weight_of, Numeric(20, 6))), 0),
        )
        .outerjoin(PBBallotMark, PBBallotMark.project_id == PBProject.id)
        .outerjoin(PBBallot, PBBallot.id == PBBallotMark.ballot_id)
        .where(PBProject.cycle_id == cycle_id)
        .group_by(PBProject.id, PBProject.code, PBProject.title, PBProject.cost)
    ).all()
    ballots = session.scalar(
        select(func.count()).select_from(PBBallot).where(PBBallot.cycle_id == cycle_id)
    )
    tally_rows = sorted(
        (
            TallyRow(code, title, cost, int(votes),
                     Decimal(points or 0) if has_points else None, Decimal(wvotes))
            for code, title, cost, votes, points, wvotes in rows
        ),
        key=lambda r: (-(r.points or 0), -r.votes, r.code),
    )
    return Tally(cycle_id, int(ballots or 0), tuple(tally_rows), utcnow())


def live_tally(
    uow: UnitOfWork, cycle_id: int, *, max_age: float = TALLY_TTL, clock: Clock = time.monotonic
) -> Tally:
    """The cycle's tally, at most `max_age` seconds old (cached per database and cycle)."""
    key = (str(uow.session.get_bind().engine.url), cycle_id)
    now = clock()
    with _lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[0] < max_age:
        return hit[1]
    tally = _compute(uow, cycle_id)
    with _lock:
        _cache[key] = (now, tally)
    return tally
