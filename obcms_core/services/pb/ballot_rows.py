"""What casting a ballot reads and writes, shaped for the busiest write of a voting day.

Two things keep a ballot cheap. The statements are built once per dialect, so SQLAlchemy reuses
their compiled form without deriving a cache key for a fresh statement on every call, and they
run on the session's connection as plain Core statements, outside the ORM's flush. And the part
of a cycle a ballot is checked against (format, limits, envelope, projects, stakeholder types)
is read once per version of the cycle: every change to a cycle's row, and so to its settings or
projects, gives it a new random `settings_version`, which keys the cache, so a changed (or
deleted and re-created) cycle is read afresh. The cheap facts that decide whether voting is
open are read on every ballot.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import PBBallot, PBBallotMark, PBBallotSubmission, PBCycle, PBProject
from obcms_core.adapters.orm.base import table_of
from obcms_core.domain.errors import NotFound
from obcms_core.domain.pb.ballots import BallotRules
from obcms_core.domain.pb.election import Election, Project
from obcms_core.services.pb.common import ballot_spec, number, stakeholder_weights

CACHED_CYCLES = 64  # per database; a voting day has a handful of open cycles

_cycle = table_of(PBCycle)
_project = table_of(PBProject)
_ballot = table_of(PBBallot)
_mark = table_of(PBBallotMark)
_submission = table_of(PBBallotSubmission)


@dataclass(frozen=True)
class CycleFacts:
    """What is read on every ballot: whether voting is open, and the cycle's version."""

    id: int
    name: str
    opens_at: datetime
    closes_at: datetime
    settings_version: str | None  # None: not cached
    milestones: list[int]


@dataclass(frozen=True)
class FrozenBallotForm:
    """The part of a cycle a ballot is checked against (fixed while voting is open)."""

    election: Election  # the projects and the envelope, no ballots
    rules: BallotRules
    project_ids: dict[str, int]  # project code -> pb_project.id
    stakeholder_types: frozenset[str]  # empty: any type is accepted


FACTS = (
    select(_cycle.c.id, _cycle.c.name, _cycle.c.opens_at, _cycle.c.closes_at,
           _cycle.c.settings_version, _cycle.c.milestones)
    .where(_cycle.c.id == bindparam("cycle_id"))
)
PROJECTS = (
    select(_project.c.code, _project.c.id, _project.c.cost)
    .where(_project.c.cycle_id == bindparam("cycle_id"))
    .order_by(_project.c.position)
)
DELETE_MARKS = delete(_mark).where(_mark.c.ballot_id == bindparam("ballot_id"))
INSERT_SUBMISSION = insert(_submission)
COUNT_BALLOT = (
    update(_cycle)
    .where(_cycle.c.id == bindparam("cycle_id"))
    .values(ballot_count=_cycle.c.ballot_count + 1, updated_at=_cycle.c.updated_at,
            settings_version=_cycle.c.settings_version)
    .returning(_cycle.c.ballot_count)
)


@lru_cache(maxsize=256)
def _insert_marks(count: int) -> Any:
    """One INSERT of `count` marks (a single statement and round trip, built once per count)."""
    return insert(_mark).values([
        {"ballot_id": bindparam("ballot_id", type_=_mark.c.ballot_id.type), "position": i,
         "project_id": bindparam(f"project_{i}", type_=_mark.c.project_id.type),
         "points": bindparam(f"points_{i}", type_=_mark.c.points.type)}
        for i in range(count)
    ])


def _upsert(dialect: Any) -> Any:
    """INSERT the ballot, or on (cycle, voter) update it and count the submission."""
    stmt = dialect.insert(_ballot)
    return stmt.on_conflict_do_update(
        index_elements=[_ballot.c.cycle_id, _ballot.c.voter_key],
        set_={
            "stakeholder_type": stmt.excluded.stakeholder_type,
            "comment": stmt.excluded.comment,
            "submitted_at": stmt.excluded.submitted_at,
            "submissions": _ballot.c.submissions + 1,
        },
    ).returning(_ballot.c.id, _ballot.c.submissions)


UPSERT = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}

_forms: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[int, str], FrozenBallotForm]]
_forms = weakref.WeakKeyDictionary()
_forms_lock = threading.Lock()


def cycle_facts(conn: Connection, cycle_id: int) -> CycleFacts:
    """The cycle's window and version; NotFound for an unknown id."""
    row = conn.execute(FACTS, {"cycle_id": cycle_id}).one_or_none()
    if row is None:
        raise NotFound(f"There is no participatory budgeting cycle with id {cycle_id}.")
    return CycleFacts(row.id, row.name, row.opens_at, row.closes_at, row.settings_version,
                      list(row.milestones or []))


def _read_form(session: Session, cycle_id: int) -> FrozenBallotForm:
    cycle = session.get_one(PBCycle, cycle_id)
    spec = ballot_spec(cycle)
    envelope = number(cycle.envelope)
    rows = session.connection().execute(PROJECTS, {"cycle_id": cycle_id}).all()
    election = Election(
        envelope, spec.format.vote_type,
        tuple(Project(code, number(cost)) for code, _, cost in rows), (),
    )
    return FrozenBallotForm(
        election, spec.rules(envelope), {code: pid for code, pid, _ in rows},
        frozenset(stakeholder_weights(cycle)),
    )


def ballot_form(session: Session, facts: CycleFacts) -> FrozenBallotForm:
    """The cycle's ballot form at the version `facts` names (read once, then cached)."""
    if facts.settings_version is None:
        return _read_form(session, facts.id)
    engine = session.connection().engine
    key = (facts.id, facts.settings_version)
    with _forms_lock:
        cached = _forms.get(engine, OrderedDict()).get(key)
    if cached is not None:
        return cached
    form = _read_form(session, facts.id)
    with _forms_lock:
        forms = _forms.setdefault(engine, OrderedDict())
        forms[key] = form
        while len(forms) > CACHED_CYCLES:
            forms.popitem(last=False)
    return form


def store_ballot(conn: Connection, row: dict[str, Any]) -> tuple[int, int]:
    """Insert or replace the voter's ballot row; (ballot id, submission number)."""
    stored = conn.execute(UPSERT[conn.dialect.name], row).one()
    return int(stored[0]), int(stored[1])


def store_marks(
    conn: Connection, ballot_id: int, marks: list[tuple[int, Decimal | None]], *, first: bool
) -> None:
    """The ballot's marks, replacing earlier ones (a first ballot has none to remove)."""
    if not first:
        conn.execute(DELETE_MARKS, {"ballot_id": ballot_id})
    if marks:
        params: dict[str, Any] = {"ballot_id": ballot_id}
        for i, (pid, pts) in enumerate(marks):
            params[f"project_{i}"], params[f"points_{i}"] = pid, pts
        conn.execute(_insert_marks(len(marks)), params)


def store_submission(conn: Connection, row: dict[str, Any]) -> None:
    """One row of the voter's ballot history."""
    conn.execute(INSERT_SUBMISSION, row)


def count_first_ballot(conn: Connection, cycle_id: int) -> int:
    """Move the cycle's ballot counter on (under its row lock until commit); the new count."""
    return int(conn.execute(COUNT_BALLOT, {"cycle_id": cycle_id}).scalar_one())
