"""Opening and changing PB cycles; what voting freezes, and the audit trail of refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from obcms_core.adapters.orm import AuditLog, PBCycle
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import NotFound, PermissionDenied, ValidationFailed
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule, CycleFrozen, Phase
from obcms_core.services.pb.changes import CycleChanges, delete_cycle, set_projects, update_cycle
from obcms_core.services.pb.cycles import CycleSpec, create_cycle
from obcms_core.services.pb.projects import ProjectSpec, projects_from_needs
from obcms_core.services.pb.queries import get_cycle, get_cycles, list_cycles
from tests.integration.pb_world import (
    AFTER,
    BEFORE,
    CLOSES,
    DURING,
    OPENS,
    PLANNER,
    build_world,
    open_cycle,
    vote,
)


@pytest.fixture
def world(db):
    build_world(db)
    return db


def _audit(db, action: str) -> list[AuditLog]:
    with db.uow() as uow:
        rows = list(uow.session.scalars(select(AuditLog).where(AuditLog.action == action)))
        uow.session.expunge_all()
        return rows


def test_a_planner_opens_a_cycle_from_needs_and_each_project_lands_in_its_region(world):
    cycle_id = open_cycle(world, envelope=600_000, weights={"Resident": 1, "Youth": "1.5"})
    with world.uow() as uow:
        view = get_cycle(uow, cycle_id, now=BEFORE)
    assert (view.name, view.fiscal_year, view.envelope) == (
        "Community priorities FY2026", 2026, Decimal("600000.00"))
    assert view.phase is Phase.UPCOMING and not view.frozen
    assert view.stakeholder_weights == {"resident": Decimal("1"), "youth": Decimal("1.5")}
    assert [(p.code, p.cost, p.need_id, p.region_code) for p in view.projects] == [
        ("N1", Decimal("400000.00"), 1, "IX"), ("N2", Decimal("300000.00"), 2, "XII"),
        ("N3", Decimal("200000.00"), 3, "IX"), ("N4", Decimal("100000.00"), 4, "XII")]
    # a community with no coordinates is shown at its town
    assert (view.projects[0].latitude, view.projects[1].latitude) == (6.06, 7.05)
    assert _audit(world, "create")[0].after["projects"] == 4


def test_the_phase_follows_the_voting_window(world):
    cycle_id = open_cycle(world)
    with world.uow() as uow:
        phases = [get_cycle(uow, cycle_id, now=t).phase for t in (BEFORE, OPENS, DURING, CLOSES)]
    assert phases == [Phase.UPCOMING, Phase.OPEN, Phase.OPEN, Phase.CLOSED]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"envelope": 0}, "above zero"),
        ({"closes_at": OPENS}, "close after it opens"),
        ({"name": " "}, "1–120 characters"),
        ({"ballot": BallotSpec(BallotFormat.CUMULATIVE)}, "points to spread"),
        ({"ballot": BallotSpec(min_choices=3, max_choices=2)}, "cannot be below the fewest"),
        ({"stakeholder_weights": {"youth": 0}}, "above 0"),
        ({"milestones": [100, -5]}, "above zero"),
        ({"notify_emails": ["not-an-address"]}, "not an e-mail address"),
    ],
)
def test_a_cycle_with_impossible_settings_is_refused_with_the_reason(world, change, message):
    base = dict(name="Cycle", fiscal_year=2026, envelope=1000, opens_at=OPENS, closes_at=CLOSES)
    with world.uow() as uow, pytest.raises(ValidationFailed, match=message):
        create_cycle(uow, PLANNER, CycleSpec(**{**base, **change}))


def test_needs_without_a_cost_and_unknown_needs_cannot_go_on_a_ballot(world):
    with world.uow() as uow:
        with pytest.raises(ValidationFailed, match="Need 5 has no estimated cost"):
            projects_from_needs(uow, [1, 5])
        with pytest.raises(ValidationFailed, match="no need with id 99"):
            projects_from_needs(uow, [99])


def test_a_project_whose_need_community_and_town_disagree_is_refused(world):
    # need 1 and community 1 are in Jolo (town 1); community 2 is in Pikit (town 2)
    cases = (
        (ProjectSpec("A", "Water", 10, need_id=1, community_id=2), "need 1 belongs to another"),
        (ProjectSpec("A", "Water", 10, community_id=1, municipality_id=2), "another city"),
        (ProjectSpec("A", "Water", 10, need_id=1, municipality_id=2), "another city"),
    )
    for spec, message in cases:
        with world.uow() as uow, pytest.raises(ValidationFailed, match=f"Project A: .*{message}"):
            create_cycle(uow, PLANNER, CycleSpec("C", 2026, 100, OPENS, CLOSES), [spec])
    with world.uow() as uow:  # the same places, given together, agree
        agreeing = ProjectSpec("A", "Water", 10, need_id=1, community_id=1, municipality_id=1)
        assert create_cycle(uow, PLANNER, CycleSpec("C", 2026, 100, OPENS, CLOSES), [agreeing])


def test_project_codes_must_be_unique_and_safe_for_files(world):
    twice = [ProjectSpec("A", "One", 10), ProjectSpec("A", "Two", 20)]
    comma = [ProjectSpec("A,B", "One", 10)]
    for projects, message in ((twice, "used more than once"), (comma, "no comma")):
        with world.uow() as uow, pytest.raises(ValidationFailed, match=message):
            create_cycle(uow, PLANNER, CycleSpec("C", 2026, 100, OPENS, CLOSES), projects)


def test_two_cycles_of_one_fiscal_year_cannot_share_a_name(world):
    open_cycle(world)
    with pytest.raises(ValidationFailed, match="already has a cycle named"):
        open_cycle(world)


def test_only_planners_budget_officers_and_admins_open_cycles(world):
    with world.uow() as uow, pytest.raises(PermissionDenied, match="Community member"):
        create_cycle(uow, Actor("voter", Role.COMMUNITY_MEMBER),
                     CycleSpec("C", 2026, 100, OPENS, CLOSES))


def test_before_voting_opens_the_planner_changes_envelope_rule_and_projects(world):
    cycle_id = open_cycle(world)
    with world.uow() as uow:
        changed = update_cycle(uow, PLANNER, cycle_id, CycleChanges(
            envelope="700,000", counting_rule=CountingRule.MES,
            ballot=BallotSpec(BallotFormat.KNAPSACK, min_envelope_share=Decimal("0.5"))),
            now=BEFORE)
        count = set_projects(uow, PLANNER, cycle_id, projects_from_needs(uow, [1, 2]),
                             now=BEFORE)
        uow.commit()
    assert changed == ["ballot", "counting_rule", "envelope"] and count == 2
    with world.uow() as uow:
        view = get_cycle(uow, cycle_id)
    assert view.envelope == Decimal("700000.00") and view.counting_rule is CountingRule.MES
    assert view.ballot.format is BallotFormat.KNAPSACK
    assert [p.code for p in view.projects] == ["N1", "N2"]
    assert _audit(world, "update")[0].before["envelope"] == "600000.00"


@pytest.mark.parametrize(
    ("changes", "what"),
    [
        (CycleChanges(envelope=700_000), "envelope"),
        (CycleChanges(counting_rule=CountingRule.MES), "counting rule"),
        (CycleChanges(ballot=BallotSpec(max_choices=2)), "ballot format"),
        (CycleChanges(envelope=1, stakeholder_weights={"youth": 2}),
         "envelope and stakeholder weights"),
    ],
)
def test_once_voting_opens_the_count_settings_are_frozen_and_the_attempt_is_audited(
    world, changes, what
):
    cycle_id = open_cycle(world)
    with world.uow() as uow, pytest.raises(CycleFrozen) as refused:
        update_cycle(uow, PLANNER, cycle_id, changes, now=DURING)
        uow.commit()
    assert str(refused.value) == (
        f"Voting in 'Community priorities FY2026' opened on 01 Mar 2026, so its {what} can no"
        " longer be changed."
    )
    with world.uow() as uow:
        assert uow.session.get(PBCycle, cycle_id).envelope == Decimal("600000.00")
    refusals = _audit(world, "change_refused")
    assert len(refusals) == 1 and refusals[0].username == "planner"
    assert refusals[0].after["refused"] == str(refused.value)


def test_once_voting_opens_the_project_list_is_frozen_too(world):
    cycle_id = open_cycle(world)
    with world.uow() as uow, pytest.raises(CycleFrozen, match="eligible projects can no longer"):
        set_projects(uow, PLANNER, cycle_id, projects_from_needs(uow, [1]), now=DURING)
    assert len(_audit(world, "change_refused")) == 1


def test_while_voting_is_open_the_name_and_closing_date_may_still_change(world):
    cycle_id = open_cycle(world)
    with world.uow() as uow:
        changed = update_cycle(uow, PLANNER, cycle_id, CycleChanges(
            name="Community priorities FY2026 (extended)", closes_at=CLOSES + timedelta(days=7),
            envelope="600000"), now=DURING)
        uow.commit()
    assert changed == ["closes_at", "name"]
    assert _audit(world, "change_refused") == []


def test_a_closed_cycle_cannot_be_reopened(world):
    cycle_id = open_cycle(world)
    with world.uow() as uow, pytest.raises(CycleFrozen, match="closed on 31 Mar 2026"):
        update_cycle(uow, PLANNER, cycle_id, CycleChanges(closes_at=AFTER + timedelta(days=9)),
                     now=AFTER)


def test_a_cycle_without_ballots_can_be_deleted_and_one_with_ballots_cannot(world):
    empty = open_cycle(world, name="Empty")
    used = open_cycle(world, name="Used")
    vote(world, used, "v1", ["N1"])
    with world.uow() as uow:
        delete_cycle(uow, PLANNER, empty)
        with pytest.raises(ValidationFailed, match="has ballots"):
            delete_cycle(uow, PLANNER, used)
        uow.commit()
    with world.uow() as uow:
        with pytest.raises(NotFound):
            get_cycle(uow, empty)
        summaries = list_cycles(uow, fiscal_year=2026, now=DURING)
    assert [(c.name, c.projects, c.ballots, c.phase) for c in summaries] == [
        ("Used", 4, 1, Phase.OPEN)]


def test_the_public_list_reads_every_cycle_with_its_own_projects_in_two_queries(world):
    first = open_cycle(world, name="Coastal", needs=(1, 2))
    second = open_cycle(world, name="Upland", needs=(3, 4))
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(world.engine, "before_cursor_execute", seen)
    try:
        with world.uow() as uow:
            open_now = get_cycles(uow, phase=Phase.OPEN, now=DURING)
    finally:
        event.remove(world.engine, "before_cursor_execute", seen)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    assert [(c.id, [p.code for p in c.projects]) for c in open_now] == [
        (second, ["N3", "N4"]), (first, ["N1", "N2"])]  # newest first
    with world.uow() as uow:
        assert get_cycles(uow, phase=Phase.UPCOMING, now=DURING) == []
        assert [c.name for c in get_cycles(uow, fiscal_year=2026, now=BEFORE)] == [
            "Upland", "Coastal"]
        assert get_cycles(uow, fiscal_year=2027) == []
