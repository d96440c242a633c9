"""Stored ballots in bulk: writing tens of thousands at once, and reading a cycle as an Election."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import Base, PBBallot, PBBallotMark, PBCycle, PBProject
from obcms_core.domain.pb.election import Ballot, Election, Number, Project, parse_number
from obcms_core.services.pb.common import ballot_spec, number

BATCH = 5000


@dataclass(frozen=True)
class BulkBallot:
    """A ballot to store as it is (imports and demo data): marks are (project id, points)."""

    voter_key: str
    marks: Sequence[tuple[int, Number | None]]
    submitted_at: datetime
    weight: Number = 1
    stakeholder_type: str | None = None
    comment: str | None = None
    user_id: int | None = None
    fields: Sequence[tuple[str, str]] = field(default_factory=tuple)


def _new_ids(session: Session, table: str, count: int) -> list[int]:
    """Primary keys for rows about to be written with explicit ids."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return list(
            conn.execute(
                text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                     "FROM generate_series(1, :n)"),
                {"n": count},
            ).scalars()
        )
    # SQLite: this transaction has already written, so it holds the database's write lock
    start = int(conn.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')).scalar_one())
    return list(range(start + 1, start + 1 + count))


def bulk_insert(session: Session, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows in the session's transaction: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    target: Table = Base.metadata.tables[table]
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        for start in range(0, len(rows), BATCH):
            conn.execute(target.insert(), list(rows[start : start + BATCH]))
        return
    columns = list(rows[0])
    as_json = [c for c in columns if target.c[c].type.__class__.__name__ == "JSON"]
    raw = conn.connection.driver_connection
    assert raw is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(row[c]) if c in as_json else row[c] for c in columns]
            )


def store_ballots(session: Session, cycle_id: int, ballots: Sequence[BulkBallot]) -> int:
    """Write ballots and their marks in one go and set the cycle's ballot count."""
    session.flush()
    ids = _new_ids(session, "pb_ballot", len(ballots))
    ballot_rows = []
    mark_rows = []
    for ballot_id, b in zip(ids, ballots, strict=True):
        ballot_rows.append({
            "id": ballot_id, "cycle_id": cycle_id, "voter_key": b.voter_key,
            "user_id": b.user_id, "stakeholder_type": b.stakeholder_type, "comment": b.comment,
            "weight": b.weight, "submissions": 1, "first_submitted_at": b.submitted_at,
            "submitted_at": b.submitted_at, "pabulib_fields": [list(f) for f in b.fields],
        })
        mark_rows += [
            {"ballot_id": ballot_id, "position": i, "project_id": pid, "points": pts}
            for i, (pid, pts) in enumerate(b.marks)
        ]
    bulk_insert(session, "pb_ballot", ballot_rows)
    bulk_insert(session, "pb_ballot_mark", mark_rows)
    count = session.scalar(select(func.count()).where(PBBallot.cycle_id == cycle_id)) or 0
    session.execute(
        update(PBCycle).where(PBCycle.id == cycle_id)
        .values(ballot_count=count, updated_at=PBCycle.updated_at)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return len(ballots)


@dataclass(frozen=True)
class StoredElection:
    """A cycle read back as an Election (project ids are the project codes)."""

    election: Election
    kinds: tuple[str | None, ...]  # stakeholder type of each ballot, in ballot order
    project_rows: tuple[PBProject, ...]


def project_cost(p: PBProject) -> Number:
    """A project's exact cost (as the imported file wrote it, when that differs)."""
    return parse_number(p.cost_as_written) if p.cost_as_written else number(p.cost)


def load_election(
    session: Session, cycle: PBCycle, *, with_fields: bool = False
) -> StoredElection:
    """The cycle's projects and every stored ballot, each voter with their own weight."""
    project_rows = tuple(session.scalars(
        select(PBProject).where(PBProject.cycle_id == cycle.id)
        .order_by(PBProject.position, PBProject.id)
    ))
    code = {p.id: p.code for p in project_rows}
    projects = tuple(
        Project(p.code, project_cost(p),
                tuple((k, v) for k, v in p.pabulib_fields) if with_fields else ())
        for p in project_rows
    )
    columns: list[Any] = [PBBallot.id, PBBallot.voter_key, PBBallot.weight,
                          PBBallot.stakeholder_type]
    if with_fields:
        columns.append(PBBallot.pabulib_fields)
    ballot_rows = session.execute(
        select(*columns).where(PBBallot.cycle_id == cycle.id).order_by(PBBallot.id)
    ).all()
    marks: dict[int, list[tuple[str, Any]]] = {}
    for ballot_id, project_id, pts in session.execute(
        select(PBBallotMark.ballot_id, PBBallotMark.project_id, PBBallotMark.points)
        .join(PBBallot, PBBallotMark.ballot_id == PBBallot.id)
        .where(PBBallot.cycle_id == cycle.id)
        .order_by(PBBallotMark.ballot_id, PBBallotMark.position)
    ).all():
        marks.setdefault(ballot_id, []).append((code[project_id], pts))
    has_points = ballot_spec(cycle).format.vote_type.has_points
    ballots = []
    for row in ballot_rows:
        own = marks.get(row[0], [])
        points = tuple(number(p) if p is not None else 0 for _, p in own) if has_points else None
        fields = tuple((k, v) for k, v in row[4]) if with_fields else ()
        ballots.append(Ballot(row[1], tuple(c for c, _ in own), points, number(row[2]), fields))
    election = Election(
        budget_of(cycle), ballot_spec(cycle).format.vote_type, projects, tuple(ballots),
        tuple((k, v) for k, v in cycle.pabulib_meta or ()),
    )
    return StoredElection(election, tuple(r[3] for r in ballot_rows), project_rows)


def budget_of(cycle: PBCycle) -> Number:
    """The envelope, exactly as an imported file wrote it when that is the same amount."""
    written = dict(cycle.pabulib_meta or ()).get("budget")
    if written:
        value = parse_number(written)
        if Decimal(value).quantize(Decimal("0.01")) == cycle.envelope:
            return value
    return number(cycle.envelope)
