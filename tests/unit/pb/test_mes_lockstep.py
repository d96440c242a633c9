"""Budgets counted side by side in lock-step fund exactly what exact fractions fund at each."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obcms_core.domain.pb import mes, mes_lockstep
from obcms_core.domain.pb.election import Ballot, Election, Project, VoteType
from obcms_core.domain.pb.mes_core import Candidates, price, run_mes
from obcms_core.domain.pb.mes_lockstep import Lockstep, _dearer, lane_prices
from obcms_core.domain.pb.profile import Utility, build_profile
from tests.unit.pb.exact_reference import exact_add1, exact_mes
from tests.unit.pb.strategies import SETTINGS, elections


def _budgets(election: Election) -> list[Fraction]:
    start = Fraction(election.budget) / len(election.ballots)
    return [start, start + Fraction(1, 3), *(start + k for k in range(1, 10))]


def _assert_exact(
    election: Election, budgets: list[Fraction], counted: list[list[int] | None]
) -> None:
    ids = [p.id for p in election.projects]
    for b, winners in zip(budgets, counted, strict=True):
        assert winners is not None
        assert [ids[j] for j in winners] == exact_mes(election, b)


@settings(**{**SETTINGS, "max_examples": 150})
@given(elections())
def test_every_lane_funds_what_exact_fractions_fund(election: Election) -> None:
    profile = build_profile(election)
    budgets = _budgets(election)
    counted = Lockstep(profile, mes._Add1(profile).candidates, budgets).count()
    _assert_exact(election, budgets, counted)


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections())
def test_lanes_too_close_for_float64_are_run_alone_and_still_exact(election: Election) -> None:
    # margins a million times wider than float64 needs: many calls become too close, and those
    # lanes go on alone in a single run that settles them in exact fractions
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mes_lockstep, "REL", 1e-5)
        profile = build_profile(election)
        budgets = _budgets(election)
        counted = Lockstep(profile, mes._Add1(profile).candidates, budgets).count()
    _assert_exact(election, budgets, counted)


def test_a_lane_with_a_tie_between_prices_not_known_exactly_is_run_alone() -> None:
    # 0x (cost 4) leaves voters 0 and 2 with 3 each; A (8, voters 0-1) and B (8, voters 2-3)
    # then tie at a price where voters 0 and 2 are short: float64 cannot order them, so the
    # lane is run on alone and the exact tie goes to the smaller id, A
    ballots = (
        Ballot("0", ("0x", "A"), None),
        Ballot("1", ("A",), None),
        Ballot("2", ("0x", "B"), None),
        Ballot("3", ("B",), None),
    )
    projects = (Project("0x", 4), Project("A", 8), Project("B", 8))
    election = Election(Decimal(20), VoteType.APPROVAL, projects, ballots)
    profile = build_profile(election)
    start = profile.budget / profile.total_weight
    budgets = [start, start + 1, start + Fraction(5, 2)]
    block = Lockstep(profile, Candidates(profile, [0, 1, 2]), budgets)
    counted = block.count()
    assert block.resumed >= 1
    assert counted[0][:2] == [0, 1]  # A before B: the exact tie goes to the smaller id
    _assert_exact(election, budgets, counted)


def test_lanes_above_one_that_overspends_the_envelope_are_dropped() -> None:
    ballots = tuple(Ballot(str(v), ("A", "B") if v < 2 else ("B",), None) for v in range(4))
    projects = (Project("A", 10), Project("B", 20))
    election = Election(Decimal(20), VoteType.APPROVAL, projects, ballots)
    profile = build_profile(election)
    start = profile.budget / profile.total_weight  # 5 each: B takes it all
    budgets = [start, start + 1, start + 6, start + 10]
    counted = Lockstep(profile, Candidates(profile, [0, 1]), budgets, 20.0).count()
    assert counted[0] == [1]
    assert counted[1] == [1]  # A is out of reach: 2 x 1 left, short of 10
    assert counted[2] == [1, 0]  # 2 x 6 left pays for A too: 30 in all, over the envelope
    assert counted[3] is None  # above a budget that overspends: Add1 stops by then


@settings(**{**SETTINGS, "max_examples": 120})
@given(elections(), st.booleans())
def test_the_search_counting_in_lockstep_settles_where_the_one_step_scan_settles(
    election: Election, proofs: bool
) -> None:
    with pytest.MonkeyPatch.context() as patch:  # blocks of 3 budgets, counted in lock-step
        patch.setattr(mes, "MIN_LANES", 1)
        patch.setattr(mes, "LANES", 3)
        patch.setattr(mes, "SHORT_LISTS", 10**9)
        if not proofs:  # else proofs and lock-step take turns, as the search finds them useful
            patch.setattr(mes, "same_outcome_between", lambda *args: False)
        outcome = mes.equal_shares(election)
    expected, k = exact_add1(election)
    assert list(outcome.mes_selected) == expected
    assert outcome.increments == k


@settings(**{**SETTINGS, "max_examples": 80})
@given(elections(VoteType.CUMULATIVE))
def test_lanes_on_points_ballots_agree_with_single_runs(election: Election) -> None:
    profile = build_profile(election, Utility.COST_POINTS)
    candidates = mes._Add1(profile).candidates
    budgets = _budgets(election)
    counted = Lockstep(profile, candidates, budgets).count()
    assert counted == [run_mes(profile, candidates, b).winners for b in budgets]


@settings(**{**SETTINGS, "max_examples": 80})
@given(elections())
def test_lane_prices_and_the_dearer_test_agree_with_the_single_run_price(
    election: Election,
) -> None:
    profile = build_profile(election)
    eligible = Candidates(profile, mes._Add1(profile).eligible)
    rng = np.random.default_rng(len(profile.ids) * 31 + profile.n_groups)
    money = rng.uniform(0.0, 2 * float(profile.budget), size=(profile.n_groups, 6))
    money[:, 0] = float(profile.budget)  # one lane where everyone can pay in full
    for j in np.nonzero(eligible.alive)[0].tolist():
        held = money[profile.supporters[j]]
        scale = 2 * float(profile.budget)  # above every lane's budget
        lanes = lane_prices(profile, j, held, scale)
        for lane in range(money.shape[1]):
            beta = money[:, lane]
            avail = float(profile.sup_weight[j] @ beta[profile.supporters[j]])
            if lanes.status[lane] == 1:
                assert avail < profile.cost_f[j]
                continue
            if lanes.status[lane] == 2:
                continue  # too close to call: the caller re-decides it
            single = price(profile, j, beta, scale)
            assert abs(lanes.rho[lane] - single.rho) <= lanes.err[lane] + single.err
            assert bool(lanes.exact[lane]) == single.all_rich
            below = np.full(1, single.rho * (1 - 1e-6))
            assert _dearer(profile, j, held[:, lane : lane + 1], below, scale).all()
            above = np.full(1, single.rho * (1 + 1e-6))
            assert not _dearer(profile, j, held[:, lane : lane + 1], above, scale).any()


def test_a_lane_still_short_of_steps_when_they_run_out_is_not_reported_settled() -> None:
    # A (cost 6) backed by groups holding 0.1, 2.5 and 10: from 1/support, the first step finds
    # only the first group short; at that step's price the second is short too, which takes a
    # second step. Allowed one step, the lane must be left to an exact run, not priced.
    ballots = (
        Ballot("0", ("A", "x"), None),
        Ballot("1", ("A", "y"), None),
        Ballot("2", ("A",), None),
    )
    projects = (Project("A", 6), Project("x", 1), Project("y", 1))
    profile = build_profile(Election(Decimal(9), VoteType.APPROVAL, projects, ballots))
    held = np.array([0.1, 2.5, 10.0])[profile.supporters[0]][:, None]
    settled = lane_prices(profile, 0, held, 10.0)
    assert settled.status[0] == 0
    assert settled.rho[0] == pytest.approx((6 - 2.6) / 6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mes_lockstep, "_FIXED_POINT_ROUNDS", 1)
        assert lane_prices(profile, 0, held, 10.0).status[0] == 2


def test_a_lane_whose_float64_fixed_point_cycles_is_run_alone_and_funds_what_a_run_funds() -> None:
    # 42 ballot groups, weights falling geometrically, each first funds its own project d_k
    # (cheap per point) and is left with money just inside the k-th step of A's fixed point.
    # A (cost = total weight) then needs more steps than allowed, and float64 cycles on them;
    # B's price is set just below A's. Reported settled, the lane would fund A first.
    rest, weights = 1000, []
    for _ in range(42):
        weights.append(max(1, round(0.7 * rest)))
        rest += weights[-1]
    weights.reverse()
    cost = Fraction(sum(weights) + 1000)
    held: list[Fraction] = []
    prev, rho, paid, left = Fraction(0), Fraction(1), Fraction(0), cost
    for k, w in enumerate(weights):
        x = rho * Fraction(999, 1000) if k == 0 else prev + Fraction(9, 10) * (rho - prev)
        held.append(x)
        paid, left = paid + w * x, left - w
        prev, rho = rho, (cost - paid) / left
    b_points = int(cost / rho * (1 + Fraction(5, 10**9)))
    projects = [Project("A", int(cost)), Project("B", 1)]
    ballots = []
    with localcontext() as exactly:
        exactly.prec = 60
        for k, (w, x) in enumerate(zip(weights, held, strict=True)):
            spend = w * (2 - Decimal(x.numerator) / Decimal(x.denominator))
            projects.append(Project(f"d{k:02d}", spend))
            ballots.append(Ballot(f"v{k}", ("A", f"d{k:02d}"), (1, 10**14 // w + 1), w))
    ballots += [Ballot("rich", ("A",), (1,), 1000), Ballot("g", ("B",), (b_points,), 1)]
    election = Election(10**15, VoteType.CUMULATIVE, tuple(projects), tuple(ballots))
    profile = build_profile(election, Utility.COST_POINTS)
    candidates = Candidates(profile, list(range(len(profile.ids))))
    run = run_mes(profile, candidates, Fraction(2)).winners
    assert [profile.ids[j] for j in run[-2:]] == ["B", "A"]
    assert Lockstep(profile, candidates, [Fraction(2)]).count() == [run]
