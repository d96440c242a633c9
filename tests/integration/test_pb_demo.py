"""The demo PB cycles: FY2025 closed with results, FY2027 open on the demo's 'today' and after."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from obcms_core.adapters.orm import Base, PBBallot, PBCycle, User
from obcms_core.domain.pb.ballots import check_ballot
from obcms_core.domain.pb.cycle import BallotFormat, Phase
from obcms_core.pipelines.demo import DEMO_AS_OF, seed_demo
from obcms_core.pipelines.demo.base import at
from obcms_core.services.database import Database
from obcms_core.services.pb.ballots import voter_key_for_user
from obcms_core.services.pb.common import ballot_spec, number
from obcms_core.services.pb.queries import list_cycles
from obcms_core.services.pb.results import count_cycle
from obcms_core.services.pb.store import load_election
from obcms_core.services.pb.voters import ballot_history, my_ballot
from tests.conftest import BACKENDS, Backends
from tests.integration.test_seed_demo import load_small_reference

quiet = {"progress": lambda _msg: None}
TODAY = at(DEMO_AS_OF, 12)
PB_TABLES = ("pb_cycle", "pb_project", "pb_ballot", "pb_ballot_mark", "pb_ballot_submission")


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request: pytest.FixtureRequest, backends: Backends) -> Iterator[Database]:
    database = backends.new(request.param)
    load_small_reference(database)
    seed_demo(database, scale=0.05, seed=7, **quiet)
    yield database


def _fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for name in PB_TABLES:
            table = Base.metadata.tables[name]
            # settings_version is a random cache stamp, not data
            skip = ("id", "ballot_id", "project_id", "settings_version")
            columns = [c for c in table.c if c.name not in skip]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            digest.update(repr([tuple(r) for r in rows]).encode())
    return digest.hexdigest()


def test_one_demo_cycle_is_closed_and_the_other_is_open_on_the_demo_today(seeded):
    with seeded.uow() as uow:
        cycles = {c.fiscal_year: c for c in list_cycles(uow, now=TODAY)}
    assert cycles[2025].phase is Phase.CLOSED and cycles[2027].phase is Phase.OPEN
    assert cycles[2025].ballots == 321 and cycles[2027].ballots == 180
    assert cycles[2025].is_demo and cycles[2027].is_demo
    assert cycles[2027].ballot_format is BallotFormat.KNAPSACK
    assert 6 <= cycles[2025].projects <= 12 and 6 <= cycles[2027].projects <= 14


def test_the_open_demo_cycle_stays_open_long_after_the_demo_date(seeded):
    later = datetime(2027, 6, 29, tzinfo=UTC)  # people trying the demo can still vote
    with seeded.uow() as uow:
        cycles = {c.fiscal_year: c for c in list_cycles(uow, now=later)}
    assert cycles[2027].phase is Phase.OPEN and cycles[2025].phase is Phase.CLOSED


def test_every_demo_ballot_obeys_its_cycles_ballot_rules(seeded):
    with seeded.uow() as uow:
        for cycle in uow.session.scalars(select(PBCycle)):
            stored = load_election(uow.session, cycle)
            rules = ballot_spec(cycle).rules(number(cycle.envelope))
            for ballot in stored.election.ballots:
                check_ballot(rules, stored.election, ballot)
            assert set(stored.kinds) <= {"resident", "women's group", "youth", "elders"}


def test_the_closed_demo_cycle_has_weighted_results_within_its_envelope(seeded):
    with seeded.uow() as uow:
        cycle_id = uow.session.scalar(select(PBCycle.id).where(PBCycle.fiscal_year == 2025))
        result = count_cycle(uow, cycle_id)
    assert result.weights_applied and result.funded
    assert result.funded_cost <= result.envelope
    assert {s.stakeholder_type for s in result.stakeholders} == {
        "resident", "women's group", "youth", "elders"}


def test_the_demo_community_member_changed_their_fy2025_ballot_and_has_not_voted_in_fy2027(
    seeded,
):
    with seeded.uow() as uow:
        user_id = uow.session.scalar(select(User.id).where(User.username == "community"))
        ids = dict(uow.session.execute(select(PBCycle.fiscal_year, PBCycle.id)).all())
        key = voter_key_for_user(user_id)
        history = ballot_history(uow, ids[2025], key)
        assert my_ballot(uow, ids[2027], key) is None
        current = my_ballot(uow, ids[2025], key)
    assert len(history) == 2 and history[1].projects == current.projects
    assert history[0].projects != history[1].projects
    assert current.stakeholder_type == "youth"


def test_seeding_again_in_another_database_gives_the_same_pb_rows(seeded, backends):
    other = backends.new(seeded.engine.dialect.name)
    load_small_reference(other)
    seed_demo(other, scale=0.05, seed=7, **quiet)
    assert _fingerprint(other) == _fingerprint(seeded)


def test_replacing_the_demo_data_replaces_the_demo_cycles(db):
    load_small_reference(db)
    seed_demo(db, scale=0.02, seed=5, **quiet)
    seed_demo(db, scale=0.03, seed=9, replace=True, **quiet)
    with db.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PBCycle)) == 2
        ballots = uow.session.scalar(select(func.count()).select_from(PBBallot))
    assert ballots == 321 + 180
