"""Results from stored ballots, worked out by hand on small cycles; the live tally; priorities.

Five-ballot cycle (envelope ₱600,000; N1 400k and N3 200k in region IX, N2 300k and N4 100k in
region XII): N1 and N2 have three votes, N3 and N4 one. Greedy breaks the N1/N2 tie by id: N1
(left 200k), N2 no longer fits, N3 (tie with N4, smaller id) uses the rest: {N1, N3}.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule, TieBreak
from obcms_core.services.pb.projects import ProjectSpec
from obcms_core.services.pb.results import compare_rules, count_cycle
from obcms_core.services.pb.tally import clear_tally_cache, live_tally
from tests.integration.pb_world import (
    AFTER,
    BEFORE,
    DURING,
    build_world,
    cast_five,
    open_cycle,
    vote,
)


@pytest.fixture
def world(db):
    build_world(db)
    clear_tally_cache()
    yield db
    clear_tally_cache()


def _count(db, cycle_id, rule=None):
    with db.uow() as uow:
        return count_cycle(uow, cycle_id, rule)


def test_greedy_funds_by_votes_and_breaks_ties_on_the_project_id(world):
    cycle_id = open_cycle(world)
    cast_five(world, cycle_id)
    result = _count(world, cycle_id)
    assert result.funded == ("N1", "N3")
    assert (result.funded_cost, result.envelope_share, result.leftover) == (
        Decimal("600000.00"), 1.0, Decimal("0.00"))
    assert [(p.code, p.supporters, p.funded_order) for p in result.projects] == [
        ("N1", 3, 1), ("N2", 3, None), ("N3", 1, 2), ("N4", 1, None)]


def test_lowest_cost_first_breaks_the_same_ties_the_other_way(world):
    # N2 (300k) beats N1 (400k), N4 (100k) beats N3 (200k); N1 no longer fits, N3 still does
    cycle_id = open_cycle(world, tie_break=TieBreak.LOWEST_COST)
    cast_five(world, cycle_id)
    assert _count(world, cycle_id).funded == ("N2", "N4", "N3")


def test_fairness_figures_count_each_voter_once(world):
    cycle_id = open_cycle(world)
    cast_five(world, cycle_id)
    fair = _count(world, cycle_id).fairness
    # satisfaction (pesos of funded projects each voter chose): 600k, 400k, 0, 0, 400k
    assert fair.voters == 5
    assert fair.share_with_a_funded_project == pytest.approx(3 / 5)
    assert fair.average_satisfaction == pytest.approx(280_000)
    assert fair.average_satisfaction_share == pytest.approx(280_000 / 600_000)
    # Gini: sum of |xi - xj| over ordered pairs 6,400k / (2 * 5^2 * 280k)
    assert fair.satisfaction_gini == pytest.approx(6_400 / 14_000)


def test_funding_per_region_is_set_against_the_regions_population_share(world):
    cycle_id = open_cycle(world)
    cast_five(world, cycle_id)
    regions = _count(world, cycle_id).regions
    assert [(r.region_code, r.population_share, r.funded_cost, r.funding_share) for r in regions] \
        == [("IX", 0.6, Decimal("600000.00"), 1.0), ("XII", 0.4, Decimal("0"), 0.0)]
    assert regions[0].ratio == pytest.approx(1 / 0.6) and regions[1].ratio == 0.0


def test_stakeholder_weights_change_the_outcome_and_the_report_says_how(world):
    # youth ballots count 2: N2 = 2+2+1 = 5, N1 = 3, N4 = 2, N3 = 1 -> N2, N4, N3 (N1 won't fit)
    cycle_id = open_cycle(world, weights={"resident": 1, "youth": 2, "elders": 1})
    cast_five(world, cycle_id)
    result = _count(world, cycle_id)
    assert result.weights_applied and result.funded == ("N2", "N4", "N3")
    assert (result.gained_by_weights, result.lost_by_weights) == (("N2", "N4"), ("N1",))
    assert [(p.code, p.score, p.supporters) for p in result.projects] == [
        ("N2", 5.0, 3), ("N1", 3.0, 3), ("N4", 2.0, 1), ("N3", 1.0, 1)]
    shares = {s.stakeholder_type: (s.ballots, s.weight, s.ballot_share, s.weighted_share)
              for s in result.stakeholders}
    assert shares == {"resident": (2, Decimal(1), 0.4, pytest.approx(2 / 7)),
                      "youth": (2, Decimal(2), 0.4, pytest.approx(4 / 7)),
                      "elders": (1, Decimal(1), 0.2, pytest.approx(1 / 7))}


THREE = [ProjectSpec("P1", "Water system", 150_000), ProjectSpec("P2", "Road", 120_000),
         ProjectSpec("P3", "Clinic", 100_000)]


def test_equal_shares_gives_the_lone_voter_a_project_greedy_denies_them(world):
    # ₱300,000 for 3 voters = ₱100,000 each. MES: P1 costs its two backers 75,000 each; P3 is
    # then paid by v3; v1 has 25,000 left, short of P2's 120,000. Greedy: P1, then P2 (tie with
    # P3 on one vote, smaller id) and P3 no longer fits. Max welfare: P1+P2 (welfare 420k).
    cycle_id = open_cycle(world, envelope=300_000, projects=THREE, rule=CountingRule.MES)
    for voter, projects in (("v1", ["P1", "P2"]), ("v2", ["P1"]), ("v3", ["P3"])):
        vote(world, cycle_id, voter, projects)
    with world.uow() as uow:
        results = compare_rules(uow, cycle_id)
    assert [results[r].funded for r in CountingRule] == [("P1", "P2"), ("P1", "P3"),
                                                          ("P1", "P2")]
    mes = results[CountingRule.MES]
    assert mes.mes_budget_per_voter == Decimal("100000.00")
    assert mes.fairness.share_with_a_funded_project == 1.0
    assert results[CountingRule.GREEDY].fairness.share_with_a_funded_project == pytest.approx(2 / 3)
    why = {p.code: p.why_not_funded for p in mes.projects}
    assert why["P1"] is None and why["P3"] is None
    assert why["P2"] == (
        "It costs ₱120,000.00; when the equal shares ran out its 1 supporter had ₱25,000.00"
        " left (21% of its cost), ₱95,000.00 short: it needed 1 more supporter with a full"
        " share of ₱100,000.00 each."
    )
    short = mes.shortfalls["P2"]
    assert (short.available, short.shortfall) == (25_000, 95_000)


def test_points_ballots_are_counted_by_their_points(world):
    # cumulative, 5 points each: P1 gets 1+1, P2 gets 4+4, P3 gets 5 -> greedy by points P2
    # (8 points, 120k), P3 (5, 100k), then P1 (150k) no longer fits the 300k envelope
    cycle_id = open_cycle(world, envelope=300_000, projects=THREE,
                          ballot=BallotSpec(BallotFormat.CUMULATIVE, points=5))
    for voter, projects, points in (("v1", ["P1", "P2"], [1, 4]), ("v2", ["P1", "P2"], [1, 4]),
                                    ("v3", ["P3"], [5])):
        vote(world, cycle_id, voter, projects, points)
    assert _count(world, cycle_id).funded == ("P2", "P3")
    with world.uow() as uow:
        rows = live_tally(uow, cycle_id).rows
    assert [(r.code, r.votes, r.points) for r in rows] == [
        ("P2", 2, Decimal(8)), ("P3", 1, Decimal(5)), ("P1", 2, Decimal(2))]


def test_a_cycle_without_ballots_funds_nothing(world):
    cycle_id = open_cycle(world)
    result = _count(world, cycle_id, CountingRule.MES)
    assert (result.ballots, result.funded, result.leftover) == (0, (), Decimal("600000.00"))
    assert result.fairness.share_with_a_funded_project == 0.0


def test_the_live_tally_counts_votes_points_and_weights_and_is_cached_ten_seconds(world):
    cycle_id = open_cycle(world, weights={"resident": 1, "youth": 2, "elders": 1})
    cast_five(world, cycle_id)
    clock = [1000.0]
    with world.uow() as uow:
        tally = live_tally(uow, cycle_id, clock=lambda: clock[0])
    assert tally.ballots == 5
    assert [(r.code, r.votes, r.weighted_votes) for r in tally.rows] == [
        ("N1", 3, 3), ("N2", 3, 5), ("N3", 1, 1), ("N4", 1, 2)]
    vote(world, cycle_id, "v6", ["N4"])
    clock[0] += 9.9
    with world.uow() as uow:
        assert live_tally(uow, cycle_id, clock=lambda: clock[0]).ballots == 5  # cached
    clock[0] += 0.2
    with world.uow() as uow:
        fresh = live_tally(uow, cycle_id, clock=lambda: clock[0])
    assert fresh.ballots == 6
    assert [(r.code, r.votes) for r in fresh.rows] == [("N1", 3), ("N2", 3), ("N4", 2), ("N3", 1)]


def test_the_top_voted_needs_and_vote_scores_count_only_cycles_that_have_opened(world):
    from obcms_core.services.pb.priorities import need_vote_scores, top_voted_needs

    cycle_id = open_cycle(world)
    cast_five(world, cycle_id)
    open_cycle(world, name="Later", needs=(3, 4))
    with world.uow() as uow:
        top = top_voted_needs(uow, 2026, limit=3, now=AFTER)
        scores = need_vote_scores(uow, 2026, now=AFTER)
        before = top_voted_needs(uow, 2026, now=BEFORE)
    assert [(t.need_id, t.title, t.community, t.votes) for t in top] == [
        (1, "Water system", "Walled City OBC", 3), (2, "Farm-to-market road", "Poblacion OBC", 3),
        (3, "Madrasah classrooms", "Walled City OBC", 1)]
    # support = votes / ballots of the cycles offering the need: N1 3/5, N2 3/5, N3 and N4
    # 1/5 (the second cycle offers them too, with no ballots), each divided by the best (3/5)
    assert scores == {1: 1.0, 2: 1.0, 3: pytest.approx(1 / 3), 4: pytest.approx(1 / 3)}
    assert before == []


def test_a_replaced_ballot_counts_only_in_its_latest_form(world):
    cycle_id = open_cycle(world)
    cast_five(world, cycle_id)
    vote(world, cycle_id, "v1", ["N4"], at=DURING)  # v1 moves from N1 and N3 to N4
    result = _count(world, cycle_id)
    assert {p.code: p.supporters for p in result.projects} == {"N1": 2, "N2": 3, "N3": 0, "N4": 2}
    assert result.ballots == 5
    # N2 first (300k); N1 and N4 tie on two votes: N1 (400k) no longer fits, N4 (100k) does
    assert result.funded[:2] == ("N2", "N4")
