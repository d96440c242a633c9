"""What casting a ballot reads, shaped for the busiest write of a voting day (ballot_write.py
stores it).

Two things keep a ballot cheap. The facts read on every ballot are one statement built once,
run on the session's connection outside the ORM (straight on the driver on PostgreSQL, see
adapters/driver_sql.py). And the part of a cycle a ballot is checked against (format, limits,
envelope, projects, stakeholder types) is read once per version of the cycle: every change to
a cycle's row, and so to its settings or projects, gives it a new random `settings_version`,
which keys the cache, so a changed (or deleted and re-created) cycle is read afresh. The cheap
facts that decide whether voting is open are read on every ballot.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, select
from sqlalchemy.orm import Session

from obcms_core.adapters.driver_sql import DriverStatement
from obcms_core.adapters.orm import PBCycle, PBProject
from obcms_core.adapters.orm.base import table_of
from obcms_core.domain.errors import NotFound
from obcms_core.domain.pb.ballots import BallotRules
from obcms_core.domain.pb.election import Election, Project
from obcms_core.services.pb.common import ballot_spec, number, stakeholder_weights

CACHED_CYCLES = 64  # per database; a voting day has a handful of open cycles

_cycle = table_of(PBCycle)
_project = table_of(PBProject)


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


FACTS = DriverStatement(
    select(_cycle.c.id, _cycle.c.name, _cycle.c.opens_at, _cycle.c.closes_at,
           _cycle.c.settings_version, _cycle.c.milestones)
    .where(_cycle.c.id == bindparam("cycle_id"))
)
PROJECTS = (
    select(_project.c.code, _project.c.id, _project.c.cost)
    .where(_project.c.cycle_id == bindparam("cycle_id"))
    .order_by(_project.c.position)
)
_forms: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[int, str], FrozenBallotForm]]
_forms = weakref.WeakKeyDictionary()
_forms_lock = threading.Lock()


def cycle_facts(conn: Connection, cycle_id: int) -> CycleFacts:
    """The cycle's window and version; NotFound for an unknown id."""
    rows = FACTS.rows(conn, {"cycle_id": cycle_id})
    if not rows:
        raise NotFound(f"There is no participatory budgeting cycle with id {cycle_id}.")
    (row,) = rows
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
