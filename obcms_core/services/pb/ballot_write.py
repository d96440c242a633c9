"""Writing a cast ballot: the ballot row, its marks, a history row, the audit entry, the counter.

A submission stores the voter's ballot (INSERT ... ON CONFLICT (cycle, voter) DO UPDATE, so one
ballot per voter survives concurrent submissions), replaces its marks, adds a row to the voter's
history and an entry to the audit log, and, for a voter's first ballot, moves the cycle's ballot
counter under that row's lock, which numbers every new ballot exactly.

On PostgreSQL this takes two statements. The first upserts the ballot, which waits for the row
lock of any concurrent submission by the same voter and holds it until commit. The second writes
everything else as one statement of data-modifying CTEs: it reads with a snapshot taken after
that lock was granted, so it sees the marks the previous holder committed (a single statement
would not: its snapshot predates the wait, and the tail DELETE would miss rows committed since).
The marks are upserted by position and positions past the new ballot's end deleted, never the
same row twice, as PostgreSQL requires of one statement. Two round trips instead of five cut
what a ballot costs the API server and the database in CPU (bench/votes.py).

Elsewhere (SQLite: no data-modifying CTEs) the rest is written statement by statement, the
counter last, so its lock is held for as short a time as can be.

The statements are built once per dialect. On PostgreSQL they run straight on the driver
(`DriverStatement`), compiled once, which saves SQLAlchemy's per-execution work. Their bind
parameters all start with `cast_`: a Core INSERT or UPDATE executed by SQLAlchemy takes any
execution parameter named like one of its table's columns as an extra value to write, and no
column of the tables written is so named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Numeric,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Select

from obcms_core.adapters.driver_sql import DriverStatement
from obcms_core.adapters.orm import (
    AuditLog,
    PBBallot,
    PBBallotMark,
    PBBallotSubmission,
    PBCycle,
)
from obcms_core.adapters.orm.base import table_of
from obcms_core.domain.enums import ChangeSource

ACTION = "pb_ballot_submitted"  # the audit log's action for a cast ballot

_cycle = table_of(PBCycle)
_ballot = table_of(PBBallot)
_mark = table_of(PBBallotMark)
_submission = table_of(PBBallotSubmission)
_audit = table_of(AuditLog)


@dataclass(frozen=True)
class BallotWrite:
    """One checked submission, ready to be stored."""

    cycle_id: int
    voter_key: str
    user_id: int | None
    username: str  # who the audit log names
    stakeholder_type: str | None
    comment: str | None
    marks: list[tuple[int, Decimal | None]]  # (project id, points), in ballot order
    snapshot: dict[str, Any]  # the history row's copy of the ballot as submitted
    at: datetime
    source: ChangeSource


@dataclass(frozen=True)
class Written:
    """What the database made of a submission."""

    ballot_id: int
    submission: int  # 1 for a first ballot, 2 after the first replacement, ...
    count: int | None  # the cycle's ballot count after a first ballot; None for a replacement


def _p(name: str, **kw: Any) -> Any:
    return bindparam(f"cast_{name}", **kw)


def _params(w: BallotWrite) -> dict[str, Any]:
    return {
        "cast_cycle_id": w.cycle_id, "cast_voter_key": w.voter_key, "cast_user_id": w.user_id,
        "cast_username": w.username, "cast_stakeholder_type": w.stakeholder_type,
        "cast_comment": w.comment, "cast_at": w.at, "cast_source": w.source,
        "cast_snapshot": w.snapshot, "cast_entity_id": str(w.cycle_id),
        "cast_mark_count": len(w.marks),
    }


def _ballot_upsert(dialect: Any) -> Any:
    """INSERT the ballot, or on (cycle, voter) update it and count the submission."""
    stmt = dialect.insert(_ballot).values(
        cycle_id=_p("cycle_id"), voter_key=_p("voter_key"), user_id=_p("user_id"),
        stakeholder_type=_p("stakeholder_type"), comment=_p("comment"), weight=Decimal(1),
        submissions=1, first_submitted_at=_p("at"), submitted_at=_p("at"), pabulib_fields=[],
    )
    return stmt.on_conflict_do_update(
        index_elements=[_ballot.c.cycle_id, _ballot.c.voter_key],
        set_={
            "stakeholder_type": stmt.excluded.stakeholder_type,
            "comment": stmt.excluded.comment,
            "submitted_at": stmt.excluded.submitted_at,
            "submissions": _ballot.c.submissions + 1,
        },
    ).returning(_ballot.c.id, _ballot.c.submissions)


def _history() -> Any:
    return insert(_submission).values(
        cycle_id=_p("cycle_id"), voter_key=_p("voter_key"), submitted_at=_p("at"),
        source=_p("source", type_=_submission.c.source.type),
        snapshot=_p("snapshot", type_=_submission.c.snapshot.type),
    )


def _audit_entry() -> Any:
    return insert(_audit).values(
        at=_p("at"), username=_p("username"), source=_p("source", type_=_audit.c.source.type),
        action=ACTION, entity="pb_cycle", entity_id=_p("entity_id"),
        after=_p("after", type_=_audit.c.after.type),
    )


def _counter() -> Any:
    """Move the cycle's counter on (keeping its settings version and updated time)."""
    return update(_cycle).where(_cycle.c.id == _p("cycle_id")).values(
        ballot_count=_cycle.c.ballot_count + 1, updated_at=_cycle.c.updated_at,
        settings_version=_cycle.c.settings_version,
    ).returning(_cycle.c.ballot_count)


def _the_rest() -> Select[Any]:
    """Marks, history, audit entry and (for a first ballot) the counter as one PostgreSQL
    statement, after the ballot's upsert; selects the new count (NULL for a replacement)."""
    given = func.unnest(
        _p("project_ids", type_=postgresql.ARRAY(BigInteger)),
        _p("points", type_=postgresql.ARRAY(Numeric(14, 4))),
    ).table_valued("project_id", "points", with_ordinality="ord").render_derived()
    marks = postgresql.insert(_mark).from_select(
        ["ballot_id", "position", "project_id", "points"],
        select(_p("ballot_id", type_=_mark.c.ballot_id.type), given.c.ord - 1,
               given.c.project_id, given.c.points),
    )
    marks = marks.on_conflict_do_update(
        index_elements=[_mark.c.ballot_id, _mark.c.position],
        set_={"project_id": marks.excluded.project_id, "points": marks.excluded.points},
    )
    tail = delete(_mark).where(
        _mark.c.ballot_id == _p("ballot_id"), _mark.c.position >= _p("mark_count"))
    counter = _counter().where(_p("first", type_=Boolean)).cte("counter")
    return select(counter.c.ballot_count).add_cte(
        marks.cte("marks"), tail.cte("tail"), _history().cte("history"),
        _audit_entry().cte("audit"), counter,
    )


UPSERT = {
    "postgresql": DriverStatement(_ballot_upsert(postgresql)),
    "sqlite": DriverStatement(_ballot_upsert(sqlite)),
}
THE_REST = DriverStatement(_the_rest())
DELETE_MARKS = delete(_mark).where(_mark.c.ballot_id == _p("ballot_id"))
HISTORY = _history()
AUDIT_ENTRY = _audit_entry()
COUNTER = _counter()


@lru_cache(maxsize=256)
def _insert_marks(count: int) -> Any:
    """One INSERT of `count` marks (a single statement and round trip, built once per count)."""
    return insert(_mark).values([
        {"ballot_id": _p("ballot_id", type_=_mark.c.ballot_id.type), "position": i,
         "project_id": _p(f"project_{i}", type_=_mark.c.project_id.type),
         "points": _p(f"points_{i}", type_=_mark.c.points.type)}
        for i in range(count)
    ])


def write_ballot(conn: Connection, w: BallotWrite) -> Written:
    """Store a checked submission in the connection's transaction; the caller commits."""
    params = _params(w)
    ((ballot_id, submission),) = UPSERT[conn.dialect.name].rows(conn, params)
    first = submission == 1
    params.update(cast_ballot_id=ballot_id, cast_first=first,
                  cast_after={"voter": w.voter_key, "submission": int(submission)})
    if conn.dialect.name == "postgresql":
        params["cast_project_ids"] = [pid for pid, _ in w.marks]
        params["cast_points"] = [pts for _, pts in w.marks]
        counted = THE_REST.rows(conn, params)
        count = counted[0][0] if counted else None
    else:
        if not first:
            conn.execute(DELETE_MARKS, params)
        if w.marks:
            for i, (pid, pts) in enumerate(w.marks):
                params[f"cast_project_{i}"], params[f"cast_points_{i}"] = pid, pts
            conn.execute(_insert_marks(len(w.marks)), params)
        conn.execute(HISTORY, params)
        conn.execute(AUDIT_ENTRY, params)
        count = conn.execute(COUNTER, params).scalar_one() if first else None
    return Written(int(ballot_id), int(submission), None if count is None else int(count))
