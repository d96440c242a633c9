"""Pieces every PB service uses: who may run cycles, loading a cycle, times, numbers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import PBCycle
from obcms_core.domain.access import Actor
from obcms_core.domain.clock import as_utc, utcnow
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import NotFound, PermissionDenied
from obcms_core.domain.pb.cycle import BallotSpec, Phase, phase_at
from obcms_core.domain.pb.election import Number

# The roles that open, change and import cycles (the pb_cycles page's roles).
CYCLE_EDITORS = frozenset({Role.ADMIN, Role.PLANNER, Role.BUDGET_OFFICER})


def require_editor(actor: Actor, what: str) -> None:
    """Refuse unless the actor is an admin, planner or budget officer."""
    if Role(actor.role) not in CYCLE_EDITORS:
        raise PermissionDenied(f"Your role ({Role(actor.role).label}) may not {what}.")


def cycle_row(session: Session, cycle_id: int, *, lock: bool = False) -> PBCycle:
    """The cycle with this id; NotFound otherwise."""
    cycle = session.get(PBCycle, cycle_id, with_for_update=lock or None)
    if cycle is None:
        raise NotFound(f"There is no participatory budgeting cycle with id {cycle_id}.")
    return cycle


class VotingWindow(Protocol):
    """Anything with a voting window: a cycle row, or the facts a ballot reads."""

    @property
    def opens_at(self) -> datetime: ...

    @property
    def closes_at(self) -> datetime: ...


def phase_of(cycle: VotingWindow, now: datetime | None = None) -> Phase:
    """Upcoming, open or closed at `now` (default: the current time)."""
    return phase_at(as_utc(cycle.opens_at), as_utc(cycle.closes_at), as_utc(now or utcnow()))


def ballot_spec(cycle: PBCycle) -> BallotSpec:
    """The ballot format and limits stored on a cycle."""
    return BallotSpec(
        format=cycle.ballot_format,
        min_choices=cycle.min_choices,
        max_choices=cycle.max_choices,
        min_envelope_share=Decimal(cycle.min_envelope_share),
        points=cycle.points,
        max_points_per_project=cycle.max_points_per_project,
        spend_all_points=cycle.spend_all_points,
        min_score=cycle.min_score,
        max_score=cycle.max_score,
    )


def stakeholder_weights(cycle: PBCycle) -> dict[str, Decimal]:
    """The cycle's weight per stakeholder type (types not listed weigh 1)."""
    return {k: Decimal(str(v)) for k, v in (cycle.stakeholder_weights or {}).items()}


def number(value: Decimal | int | float) -> Number:
    """An exact number for the counting rules: an int when whole, else the plain decimal."""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if amount == amount.to_integral_value():
        return int(amount)
    return amount.normalize()


def clean_type(value: str | None) -> str | None:
    """A stakeholder type as stored: trimmed, lower-case, None when blank."""
    text = (value or "").strip().lower()
    return text or None


def upsert_insert(session: Session, model: type[Any]) -> Any:
    """The dialect's INSERT that supports ON CONFLICT (PostgreSQL and SQLite both have it)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
