"""Every published pabulib file imports as a cycle and exports back to the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from obcms_core.adapters.orm import AuditLog, PBBallot, PBCycle
from obcms_core.adapters.pabulib import parse_pb_layout, read_pb
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, Phase
from obcms_core.domain.pb.election import VoteType
from obcms_core.services.pb.pabulib_io import export_pb, import_pb
from obcms_core.services.pb.queries import get_cycle
from tests.integration.pb_world import build_world, cast_five, open_cycle, vote

PABULIB = Path(
    os.environ.get("OBCMS_PABULIB_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"
)
FILES = sorted(PABULIB.glob("*.pb"))
needs_files = pytest.mark.skipif(
    not FILES, reason=f"pabulib files not found in {PABULIB} (set OBCMS_PABULIB_DIR)"
)
PLANNER = Actor("planner", Role.PLANNER)


def _import(db, text: str, **kw) -> int:
    with db.uow() as uow:
        report = import_pb(uow, PLANNER, text, **kw)
        uow.commit()
    return report.cycle_id


@needs_files
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_published_file_imports_and_exports_to_the_same_bytes(db, path: Path):
    original = path.read_bytes()
    cycle_id = _import(db, original.decode("utf-8"))
    with db.uow() as uow:
        text = export_pb(uow, cycle_id)
        ballots = uow.session.scalar(
            select(func.count()).select_from(PBBallot).where(PBBallot.cycle_id == cycle_id))
        users = uow.session.scalar(
            select(func.count()).select_from(PBBallot).where(PBBallot.user_id.is_not(None)))
    assert text.encode("utf-8") == original
    election = read_pb(path)
    assert parse_pb_layout(text)[0] == election
    assert ballots == len(election.ballots) and users == 0


@needs_files
def test_an_imported_election_is_a_closed_cycle_with_the_files_settings(db):
    path = PABULIB / "Poland_Gdansk_2020_Wzgorze_Mickiewicza.pb"
    if not path.exists():
        pytest.skip(f"{path.name} not found")
    cycle_id = _import(db, path.read_text(encoding="utf-8"), name="Gdańsk 2020")
    with db.uow() as uow:
        view = get_cycle(uow, cycle_id)
        logged = uow.session.scalar(
            select(AuditLog.after).where(AuditLog.action == "import_pabulib"))
    # META: budget 212000, cumulative, max_sum_points 5, date_begin 09.09.2019 .. 23.09.2019
    assert (view.name, view.fiscal_year, view.envelope, view.phase) == (
        "Gdańsk 2020", 2019, 212000, Phase.CLOSED)
    assert view.ballot.format is BallotFormat.CUMULATIVE and view.ballot.points == 5
    assert (view.opens_at.date().isoformat(), view.closes_at.date().isoformat()) == (
        "2019-09-09", "2019-09-23")
    assert view.ballots == 318 and len(view.projects) == 8
    assert logged["ballots"] == 318


def test_importing_the_same_election_twice_under_one_name_is_refused(db):
    text = "\n".join(["META", "key;value", "description;Tiny", "budget;100", "vote_type;approval",
                      "date_end;2024", "PROJECTS", "project_id;cost", "a;60", "b;50",
                      "VOTES", "voter_id;vote", "1;a,b", "2;b", ""])
    _import(db, text)
    with pytest.raises(ValidationFailed, match="FY2024 already has a cycle named 'Tiny'"):
        _import(db, text)
    with db.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PBCycle)) == 1


def test_a_broken_file_is_refused_and_nothing_is_stored(db):
    broken = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n" \
             "a;60\nVOTES\nvoter_id;vote\n1;zz\n"
    with pytest.raises(ValidationFailed, match="unknown project 'zz'"):
        _import(db, broken)
    with db.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PBCycle)) == 0


def test_a_workbench_cycle_exports_numbered_voters_and_its_settings(db):
    build_world(db)
    cycle_id = open_cycle(db, weights={"resident": 1, "youth": 2, "elders": 1},
                          ballot=BallotSpec(min_choices=1, max_choices=3))
    cast_five(db, cycle_id)
    vote(db, cycle_id, "user:2", ["N4"], kind="youth")
    with db.uow() as uow:
        text = export_pb(uow, cycle_id)
    election, _ = parse_pb_layout(text)
    meta = dict(election.meta)
    assert (meta["budget"], meta["vote_type"], meta["min_length"], meta["max_length"]) == (
        "600000", "approval", "1", "3")
    assert (meta["date_begin"], meta["date_end"], meta["currency"]) == (
        "01.03.2026", "31.03.2026", "PHP")
    assert meta["stakeholder_weights"] == "resident:1,youth:2,elders:1"
    assert [(p.id, p.cost, p.name) for p in election.projects] == [
        ("N1", 400000, "Water system"), ("N2", 300000, "Farm-to-market road"),
        ("N3", 200000, "Madrasah classrooms"), ("N4", 100000, "Health station")]
    assert [(b.voter_id, b.projects, b.field("stakeholder_type")) for b in election.ballots] == [
        ("1", ("N1", "N3"), "resident"), ("2", ("N1",), "resident"), ("3", ("N2", "N4"), "youth"),
        ("4", ("N2",), "youth"), ("5", ("N1", "N2"), "elders"), ("6", ("N4",), "youth")]
    assert "user:2" not in text
    # and it comes back in as a cycle of its own
    again = _import(db, text, name="Re-imported")
    with db.uow() as uow:
        assert get_cycle(uow, again).ballot.max_choices == 3
    assert election.vote_type is VoteType.APPROVAL
