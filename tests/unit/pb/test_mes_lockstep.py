"""Budgets counted side by side in lock-step fund exactly what exact fractions fund at each."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

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
@given(elections())
def test_the_search_counting_in_lockstep_settles_where_the_one_step_scan_settles(
    election: Election,
) -> None:
    with pytest.MonkeyPatch.context() as patch:  # blocks of 3 budgets, counted in lock-step
        patch.setattr(mes, "MIN_LANES", 1)
        patch.setattr(mes, "LANES", 3)
        patch.setattr(mes, "SHORT_LISTS", 10**9)
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


def test_a_lane_whose_price_does_not_settle_is_left_to_an_exact_run() -> None:
    # 60 ballot groups, each running short of money only after the one before it: finding the
    # price takes more fixed-point steps than a lane is allowed, and the lane must not take the
    # last (far too low) step for the price. Group k weighs 3 * 4**(59 - k); a last group of
    # weight 1 holds the whole cost; each short group holds 1% more than it can pay in full.
    n, cost = 60, Fraction(10**6)
    weights = [Fraction(3 * 4 ** (n - k - 1)) for k in range(n)] + [Fraction(1)]
    projects = (Project("A", 10**6), *(Project(f"d{i}", 1) for i in range(n + 1)))
    ballots = tuple(
        Ballot(str(i), ("A", f"d{i}"), None, Decimal(int(w))) for i, w in enumerate(weights)
    )
    profile = build_profile(Election(10**6, VoteType.APPROVAL, projects, ballots))
    total, shares, held = sum(weights), [cost / sum(weights)], [cost / sum(weights) / 2]
    for k in range(1, n):
        spent = sum(w * m for w, m in zip(weights, held, strict=False))
        shares.append((cost - spent) / (total - sum(weights[:k])))
        held.append(shares[k - 1] + (shares[k] - shares[k - 1]) / 100)
    money = np.array([float(m) for m in [*held, cost]])
    lanes = lane_prices(profile, 0, money[profile.supporters[0]][:, None], float(cost))
    assert lanes.status[0] == 2  # too close to call: the caller runs this lane exactly
