"""Participatory-budgeting votes in the scenario facts and the optimiser, counted by hand.

The world is pb_world.py's (needs N1..N5 with priority 2: N1, N3, N5 in the Walled City
community, N2, N4 in Poblacion) plus one MOA's PPAs, each requesting ₱1,000,000.00 with
₱500,000.00 allocated now:

    FY2026  A: N1 (share 0.5), N2 (1.0)   B: N3 (1.0)   C: N4 (0.25), N5 (1.0)   D: no need
    FY2027  E: N1 (0.4)
    FY2025  F: N1 (1.0)

Cycles (voting in March 2026 unless said):
    "Community priorities FY2026"  FY2026, N1..N4, the five ballots of pb_world:
        N1 3 votes, N2 3, N3 1, N4 1 of 5 ballots
    "Youth priorities FY2026"      FY2026, N1 and N5: y1 N5, y2 N5 -> N1 0, N5 2 of 2 ballots
    "Priorities FY2027"            FY2027, N1, opened 1 Oct 2026, no ballot yet

FY2026 vote scores (votes / ballots of the cycles offering the need, over the best):
    N1 3/7, N2 3/5, N3 1/5, N4 1/5, N5 2/2 = 1 (the best)
PPA votes (Σ share x score):
    A 0.5 x 3/7 + 3/5 = 57/70   B 1/5   C 0.25 x 1/5 + 1 = 21/20   D 0
FY2027 has a cycle but no vote, so its PPAs use FY2026's scores: E 0.4 x 3/7 = 6/35.
FY2025 and FY2024 have no cycle: F has no votes (and the facts say so).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pb_world import FIVE_BALLOTS, build_world, open_cycle, vote
from sqlalchemy import insert

from obcms_core.adapters.orm import PPA, NeedPPALink, Organization
from obcms_core.domain.access import Actor
from obcms_core.domain.allocation import ObjectiveWeights
from obcms_core.domain.enums import (
    AppropriationClass,
    FundingSource,
    OrgType,
    PPAKind,
    PPASector,
    Role,
)
from obcms_core.services.database import Database
from obcms_core.services.pb import CycleSpec, ProjectSpec, create_cycle, projects_from_needs
from obcms_core.services.scenarios import analysis, optimise, problem, store
from obcms_core.services.scenarios.rules import ScenarioRules

OFFICER = Actor("budget", Role.BUDGET_OFFICER)
PLANNER = Actor("planner", Role.PLANNER)
# code -> (fiscal year, {need: share})
PPAS = {
    "A": (2026, {1: "0.5", 2: "1"}),
    "B": (2026, {3: "1"}),
    "C": (2026, {4: "0.25", 5: "1"}),
    "D": (2026, {}),
    "E": (2027, {1: "0.4"}),
    "F": (2025, {1: "1"}),
}
VOTES_2026 = {"A": 57 / 70, "B": 1 / 5, "C": 21 / 20, "D": 0.0}


def build_votes_world(db: Database) -> None:
    """The world, PPAs and cycles described above."""
    build_world(db)
    with db.uow() as uow:
        s = uow.session
        s.execute(insert(Organization), [{"id": 1, "name": "Ministry of Public Works",
                                          "acronym": "MPW", "org_type": OrgType.MOA}])
        s.execute(insert(PPA), [
            {"id": k, "code": code, "title": f"PPA {code}", "kind": PPAKind.MOA_PPA,
             "implementing_org_id": 1, "sector": PPASector.SOCIAL,
             "appropriation_class": AppropriationClass.CO, "funding_source": FundingSource.GAAB,
             "fiscal_year": year, "budget_ceiling": Decimal("1000000.00"),
             "budget_allocation": Decimal("500000.00")}
            for k, (code, (year, _links)) in enumerate(PPAS.items(), start=1)])
        s.execute(insert(NeedPPALink), [
            {"need_id": need, "ppa_id": k, "share": Decimal(share)}
            for k, (_year, links) in enumerate(PPAS.values(), start=1)
            for need, share in links.items()])
        uow.commit()
    community = open_cycle(db, needs=(1, 2, 3, 4))
    for voter, projects, _kind in FIVE_BALLOTS:
        vote(db, community, voter, projects)
    with db.uow() as uow:  # N5 has no estimated cost, so its project is written by hand
        youth_projects = [*projects_from_needs(uow, [1]),
                          ProjectSpec("N5", "Cultural centre", Decimal(150_000), need_id=5)]
    youth = open_cycle(db, projects=youth_projects, name="Youth priorities FY2026")
    for voter in ("y1", "y2"):
        vote(db, youth, voter, ("N5",))
    opens = datetime(2026, 10, 1, tzinfo=UTC)
    with db.uow() as uow:
        create_cycle(uow, PLANNER, CycleSpec(
            name="Priorities FY2027", fiscal_year=2027, envelope=500_000, opens_at=opens,
            closes_at=opens + timedelta(days=400)), projects_from_needs(uow, [1]))
        uow.commit()


def facts_of(db: Database, fiscal_year: int) -> problem.PPAFacts:
    with db.uow() as uow:
        return problem.load_facts(uow, fiscal_year)


def votes_of(facts: problem.PPAFacts) -> dict[str, float]:
    return dict(zip(facts.ppas["code"], facts.ppas["votes"], strict=True))


def test_each_ppa_gets_the_share_weighted_vote_scores_of_its_needs(db: Database) -> None:
    build_votes_world(db)
    facts = facts_of(db, 2026)
    assert facts.votes_year == 2026 and facts.has_votes
    assert votes_of(facts) == pytest.approx(VOTES_2026)
    with db.uow() as uow:
        built = problem.build_problem(uow, facts)
    assert dict(zip(built.ppa_ids, built.votes, strict=True)) == pytest.approx(VOTES_2026)


def test_a_year_whose_cycles_have_no_votes_yet_uses_the_previous_years_votes(
    db: Database,
) -> None:
    build_votes_world(db)
    facts = facts_of(db, 2027)
    assert facts.votes_year == 2026
    assert votes_of(facts) == pytest.approx({"E": 6 / 35})


def test_a_year_without_votes_in_it_or_the_year_before_has_none(db: Database) -> None:
    build_votes_world(db)
    facts = facts_of(db, 2025)
    assert facts.votes_year is None and not facts.has_votes
    assert votes_of(facts) == {"F": 0.0}


def test_the_impact_counts_community_votes_in_proportion_to_funding(db: Database) -> None:
    build_votes_world(db)
    with db.uow() as uow:
        sid = store.create_scenario(uow, OFFICER, name="Votes", fiscal_year=2026)
        old = store.create_scenario(uow, OFFICER, name="No votes", fiscal_year=2025)
        uow.commit()
        view = analysis.load_view(uow, sid)
        # every PPA half funded: (57/70 + 1/5 + 21/20) / 2 = 289/280
        assert view.impact().votes_addressed == pytest.approx(289 / 280)
        full = view.table["request"].to_numpy(dtype=float)
        assert view.impact(full).votes_addressed == pytest.approx(289 / 140)
        assert analysis.load_view(uow, old).impact().votes_addressed is None


def test_the_votes_weight_moves_the_envelope_to_the_most_voted_ppa(db: Database) -> None:
    build_votes_world(db)
    with db.uow() as uow:
        sid = store.create_scenario(uow, OFFICER, name="One PPA", fiscal_year=2026,
                                    envelope="1000000", rules=ScenarioRules(gad_share=0.0))
        uow.commit()

    def optimised(weights: ObjectiveWeights) -> dict[str, object]:
        with db.uow() as uow:
            run_id = optimise.run_optimiser(
                uow, sid, OFFICER, optimise.OptimiserSettings(weights=weights))
            uow.commit()
            return dict(optimise.get_run(uow, run_id).result)

    # needs value (share x priority 2): A 3, B 2, C 2.5, D 0 -> needs alone fund A in full
    by_needs = optimised(ObjectiveWeights(needs=1.0))
    assert {c for c, a in by_needs["amounts"].items() if Decimal(a) > 0} == {"A"}
    # votes: C 21/20 is the best per peso (all cost the same) -> votes alone fund C in full
    by_votes = optimised(ObjectiveWeights(needs=0.0, votes=1.0))
    assert {c: Decimal(a) for c, a in by_votes["amounts"].items() if Decimal(a) > 0} == {
        "C": Decimal("1000000.00")}
    assert by_votes["impact_after"]["votes_addressed"] == pytest.approx(21 / 20)
    assert by_needs["impact_after"]["votes_addressed"] == pytest.approx(57 / 70)
