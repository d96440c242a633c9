"""A ballot is checked against the cycle as it is now, although its ballot form is cached."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from obcms_core.adapters.orm import PBCycle
from obcms_core.domain.pb.ballots import InvalidBallot
from obcms_core.domain.pb.cycle import BallotSpec
from obcms_core.services.pb import CycleChanges, ProjectSpec, delete_cycle, set_projects
from obcms_core.services.pb.ballots import BallotChoice, submit_ballot
from obcms_core.services.pb.changes import update_cycle
from tests.integration.pb_world import BEFORE, DURING, PLANNER, build_world, open_cycle


@pytest.fixture
def world(db):
    build_world(db)
    return db


def _submit(db, cycle_id, voter, projects, at=DURING):
    with db.uow() as uow:
        receipt = submit_ballot(uow, cycle_id, voter, BallotChoice(projects), now=at)
        uow.commit()
    return receipt


def _version(db, cycle_id):
    with db.uow() as uow:
        return uow.session.scalar(
            select(PBCycle.settings_version).where(PBCycle.id == cycle_id))


def _specs(*codes):
    return [ProjectSpec(code, f"Project {code}", 100_000) for code in codes]


def test_new_projects_are_on_the_ballot_once_they_replace_the_old_ones(world):
    cycle_id = open_cycle(world, projects=_specs("A", "B"))
    _submit(world, cycle_id, "early-voter", ["A"])  # the form with A and B is now cached
    with world.uow() as uow:
        set_projects(uow, PLANNER, cycle_id, _specs("C", "D"), now=BEFORE)
        uow.commit()
    assert _submit(world, cycle_id, "later-voter", ["C", "D"]).submission == 1
    with pytest.raises(InvalidBallot, match="not in this cycle"):
        _submit(world, cycle_id, "another-voter", ["A"])


def test_changed_ballot_limits_apply_to_the_next_ballot(world):
    cycle_id = open_cycle(world, projects=_specs("A", "B", "C"))
    _submit(world, cycle_id, "early-voter", ["A", "B", "C"])
    with world.uow() as uow:
        update_cycle(uow, PLANNER, cycle_id, CycleChanges(ballot=BallotSpec(max_choices=1)),
                     now=BEFORE)
        uow.commit()
    with pytest.raises(InvalidBallot, match="at most 1 project"):
        _submit(world, cycle_id, "later-voter", ["A", "B"])


def test_a_cycle_deleted_and_created_again_under_the_same_id_is_read_afresh(world):
    first = open_cycle(world, projects=_specs("A", "B"))
    _submit(world, first, "voter", ["A"], at=DURING)
    with world.uow() as uow:  # straight from the table, ballots and all (SQLite reuses the id)
        uow.session.execute(PBCycle.__table__.delete().where(PBCycle.id == first))
        uow.commit()
    second = open_cycle(world, projects=_specs("X", "Y"))
    assert _version(world, second) is not None
    assert _submit(world, second, "voter", ["X"]).submission == 1


def test_counting_a_ballot_keeps_the_version_and_a_change_renews_it(world):
    cycle_id = open_cycle(world, projects=_specs("A", "B"))
    before = _version(world, cycle_id)
    _submit(world, cycle_id, "voter-1", ["A"])
    _submit(world, cycle_id, "voter-1", ["B"])
    assert _version(world, cycle_id) == before
    with world.uow() as uow:
        update_cycle(uow, PLANNER, cycle_id, CycleChanges(name="Renamed round"), now=DURING)
        uow.commit()
    assert _version(world, cycle_id) not in (None, before)


def test_an_empty_cycle_can_still_be_deleted_after_its_form_was_cached(world):
    cycle_id = open_cycle(world, projects=_specs("A"))
    with pytest.raises(InvalidBallot):
        _submit(world, cycle_id, "voter", ["Z"])  # refused, nothing stored
    with world.uow() as uow:
        delete_cycle(uow, PLANNER, cycle_id)
        uow.commit()
    assert _version(world, cycle_id) is None
