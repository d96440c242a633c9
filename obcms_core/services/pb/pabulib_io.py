"""Cycles to and from pabulib `.pb` files.

An imported file becomes a closed cycle (window from its date_begin/date_end) whose projects,
ballots and every extra column are kept as written, with the file's layout, so exporting it
gives back the same bytes. Voters from a file have a voter key (the file's voter_id) and no
user. Knapsack ballots arrive as approval (the format has no separate type for them). Ballots
are written in bulk in the caller's transaction: COPY on PostgreSQL, executemany on SQLite.
A cycle made in the workbench exports with numbered voters (never user ids) and its stakeholder
types in a `stakeholder_type` column; comments stay in the workbench.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PBCycle, PBProject
from obcms_core.adapters.pabulib import PbLayout, format_number, parse_pb_layout, write_pb_text
from obcms_core.domain.access import Actor
from obcms_core.domain.clock import as_utc, utcnow
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.money import to_money
from obcms_core.domain.pb.ballots import rules_from_meta
from obcms_core.domain.pb.cycle import BallotFormat, CountingRule
from obcms_core.domain.pb.election import Election
from obcms_core.services import audit
from obcms_core.services.pb.common import cycle_row, number, require_editor
from obcms_core.services.pb.cycles import name_taken
from obcms_core.services.pb.store import BulkBallot, load_election, store_ballots
from obcms_core.services.pb.workbench_pb import workbench_election


@dataclass(frozen=True)
class ImportReport:
    """What an import stored."""

    cycle_id: int
    name: str
    fiscal_year: int
    projects: int
    ballots: int
    seconds: float


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _day(text: str | None, end: bool) -> datetime | None:
    raw = (text or "").strip()
    try:
        if m := _DMY.match(raw):
            day = datetime(int(m[3]), int(m[2]), int(m[1]), tzinfo=UTC)
        elif m := _YMD.match(raw):
            day = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
        elif m := _YEAR.match(raw):
            day = datetime(int(m[1]) + end, 1, 1, tzinfo=UTC)
            return day - timedelta(seconds=1) if end else day
        else:
            return None
    except ValueError:
        return None
    return day + timedelta(days=1, seconds=-1) if end else day


def _rule(written: str | None) -> CountingRule:
    text = (written or "").lower()
    if "equal" in text or text.startswith("mes"):
        return CountingRule.MES
    if "welfare" in text or "utilitarian" in text:
        return CountingRule.MAX_WELFARE
    return CountingRule.GREEDY


def _ballot_settings(election: Election) -> dict[str, Any]:
    rules = rules_from_meta(election)
    max_count = rules.max_count
    if max_count is not None and max_count < rules.min_count:
        max_count = None
    return {
        "ballot_format": BallotFormat.from_vote_type(election.vote_type),
        "min_choices": rules.min_count, "max_choices": max_count,
        "min_envelope_share": Decimal(0), "points": rules.points,
        "max_points_per_project": rules.max_points_per_project, "spend_all_points": False,
        "min_score": rules.min_score, "max_score": rules.max_score,
    }


def _fiscal_year(meta: dict[str, str], closes: datetime | None, now: datetime) -> int:
    instance = (meta.get("instance") or "").strip()
    if closes is not None:
        return closes.year
    if _YEAR.match(instance) and 2000 <= int(instance) <= 2100:
        return int(instance)
    return now.year


def _projects(session: Session, cycle_id: int, election: Election) -> dict[str, int]:
    rows = []
    for position, p in enumerate(election.projects):
        cost = to_money(p.cost)
        rows.append(PBProject(
            cycle_id=cycle_id, code=p.id, position=position, title=p.name[:500],
            category=(p.field("category") or "")[:255] or None, cost=cost,
            cost_as_written=None if format_number(number(cost)) == format_number(p.cost)
            else format_number(p.cost),
            pabulib_fields=[list(f) for f in p.fields],
        ))
    session.add_all(rows)
    session.flush()
    return {r.code: r.id for r in rows}


def import_pb(
    uow: UnitOfWork, actor: Actor, text: str, *, name: str | None = None,
    fiscal_year: int | None = None, source: ChangeSource = ChangeSource.UI,
    now: datetime | None = None,
) -> ImportReport:
    """Store a pabulib election as a closed cycle in one transaction (the caller commits)."""
    require_editor(actor, "import participatory budgeting elections")
    started = time.perf_counter()
    moment = as_utc(now or utcnow())
    election, layout = parse_pb_layout(text)
    meta = dict(election.meta)
    title = (name or meta.get("description") or "Imported election").strip()[:120]
    opens = _day(meta.get("date_begin"), end=False)
    closes = _day(meta.get("date_end"), end=True)
    year = fiscal_year or _fiscal_year(meta, closes, moment)
    opens = opens or closes or moment
    closes = max(closes or opens, opens)
    name_taken(uow, year, title)
    cycle = PBCycle(
        name=title, description=meta.get("comment", "")[:5000], fiscal_year=year,
        envelope=to_money(election.budget), opens_at=opens, closes_at=closes,
        counting_rule=_rule(meta.get("rule")), stakeholder_weights={}, milestones=[],
        notify_emails=[], source="pabulib", pabulib_meta=[list(kv) for kv in election.meta],
        pabulib_layout=_layout_json(layout), created_by=actor.username,
        **_ballot_settings(election),
    )
    session = uow.session
    session.add(cycle)
    session.flush()
    ids = _projects(session, cycle.id, election)
    stored = store_ballots(session, cycle.id, [
        BulkBallot(
            voter_key=b.voter_id,
            marks=[(ids[p], None if b.points is None else b.points[i])
                   for i, p in enumerate(b.projects)],
            submitted_at=closes, weight=b.weight, fields=b.fields,
        )
        for b in election.ballots
    ])
    audit.record(
        uow, username=actor.username, source=source, action="import_pabulib", entity="pb_cycle",
        entity_id=cycle.id,
        after={"name": title, "fiscal_year": year, "projects": len(ids), "ballots": stored},
    )
    return ImportReport(cycle.id, title, year, len(ids), stored, time.perf_counter() - started)


def _layout_json(layout: PbLayout) -> dict[str, Any]:
    return {
        "newline": layout.newline, "final_newline": layout.final_newline, "bom": layout.bom,
        "section_names": list(layout.section_names), "meta_header": list(layout.meta_header),
        "project_header": list(layout.project_header or ()) or None,
        "vote_header": list(layout.vote_header or ()) or None,
    }


def _layout(stored: dict[str, Any]) -> PbLayout:
    def opt(key: str) -> tuple[str, ...] | None:
        return tuple(stored[key]) if stored.get(key) else None

    names = tuple(stored["section_names"])
    return PbLayout(
        newline=stored["newline"], final_newline=stored["final_newline"], bom=stored["bom"],
        section_names=(names[0], names[1], names[2]), meta_header=tuple(stored["meta_header"]),
        project_header=opt("project_header"), vote_header=opt("vote_header"),
    )


def export_pb(uow: UnitOfWork, cycle_id: int) -> str:
    """The cycle as `.pb` text; an imported cycle comes back exactly as its file was."""
    cycle = cycle_row(uow.session, cycle_id)
    if cycle.source == "pabulib" and cycle.pabulib_layout:
        stored = load_election(uow.session, cycle, with_fields=True)
        return write_pb_text(stored.election, _layout(cycle.pabulib_layout))
    return write_pb_text(workbench_election(uow.session, cycle))
