"""Budgets counted together as lanes fund exactly what exact fractions fund at each budget."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

from obcms_core.domain.pb import mes
from obcms_core.domain.pb.election import Ballot, Election, Project, VoteType
from obcms_core.domain.pb.mes_core import Candidates, price, run_mes
from obcms_core.domain.pb.mes_lanes import Lanes, _dearer, lane_prices
from obcms_core.domain.pb.profile import Utility, build_profile
from tests.unit.pb.exact_reference import exact_add1, exact_mes
from tests.unit.pb.strategies import SETTINGS, elections


@settings(**{**SETTINGS, "max_examples": 120})
@given(elections())
def test_every_lane_funds_what_exact_fractions_fund(election: Election) -> None:
    profile = build_profile(election)
    search = mes._Add1(profile)
    start = profile.budget / profile.total_weight
    template = run_mes(profile, search.candidates, start + 9)
    budgets = [start + k for k in range(8, 0, -1)] + [start + Fraction(1, 3), start]
    counted = Lanes(profile, search.candidates, budgets).count(template)
    for b, winners in zip(budgets, counted, strict=True):
        assert [profile.ids[j] for j in winners] == exact_mes(election, b)


@settings(**{**SETTINGS, "max_examples": 120})
@given(elections())
def test_the_search_counting_lanes_settles_where_the_one_step_scan_settles(
    election: Election,
) -> None:
    with pytest.MonkeyPatch.context() as patch:  # every unproven interval counted as lanes
        patch.setattr(mes, "MIN_LANES", 1)
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
    search = mes._Add1(profile)
    start = profile.budget / profile.total_weight
    template = run_mes(profile, search.candidates, start + 7)
    budgets = [start + k for k in range(6, -1, -1)]
    counted = Lanes(profile, search.candidates, budgets).count(template)
    assert counted == [run_mes(profile, search.candidates, b).winners for b in budgets]


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
