"""MES agrees with a plain exact-fraction reference; skipped Add1 intervals are really constant."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings

from obcms_core.domain.pb.election import Election
from obcms_core.domain.pb.mes import _Add1, equal_shares
from obcms_core.domain.pb.mes_core import run_mes
from obcms_core.domain.pb.mes_interval import same_outcome_between
from obcms_core.domain.pb.profile import build_profile
from tests.unit.pb.exact_reference import exact_add1, exact_mes
from tests.unit.pb.strategies import SETTINGS, elections


@settings(**SETTINGS)
@given(elections())
def test_one_mes_run_funds_what_exact_fractions_fund(election: Election) -> None:
    profile = build_profile(election)
    search = _Add1(profile)
    start = profile.budget / profile.total_weight
    for k in (0, 1, 3):
        run = run_mes(profile, search.eligible, start + k)
        assert [profile.ids[j] for j in run.winners] == exact_mes(election, start + k)


@settings(**SETTINGS)
@given(elections())
def test_add1_search_settles_where_the_one_step_scan_settles(election: Election) -> None:
    outcome = equal_shares(election)
    expected, k = exact_add1(election)
    assert list(outcome.mes_selected) == expected
    assert outcome.increments == k


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections())
def test_an_interval_proven_constant_has_the_same_winners_at_every_step(
    election: Election,
) -> None:
    profile = build_profile(election)
    search = _Add1(profile)
    start = profile.budget / profile.total_weight
    runs = {k: run_mes(profile, search.eligible, start + k) for k in range(13)}
    for lo in range(13):
        for hi in range(lo + 2, 13):
            if same_outcome_between(profile, runs[lo], runs[hi]):
                assert all(runs[k].winners == runs[lo].winners for k in range(lo, hi + 1))
                mid = start + lo + Fraction(hi - lo, 3)  # and between the steps too
                assert run_mes(profile, search.eligible, mid).winners == runs[lo].winners


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections())
def test_a_run_borrowing_bounds_from_a_richer_run_funds_the_same(election: Election) -> None:
    profile = build_profile(election)
    eligible = _Add1(profile).eligible
    start = profile.budget / profile.total_weight
    richer = run_mes(profile, eligible, start + 2)
    alone = run_mes(profile, eligible, start + 1)
    helped = run_mes(profile, eligible, start + 1, richer)
    assert helped.winners == alone.winners


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections())
def test_the_search_splits_strictly_inside_every_interval(election: Election) -> None:
    # the split point only steers the search; it must never leave the interval it splits
    search = _Add1(build_profile(election))
    for lo in range(0, 6):
        for hi in range(lo + 2, 13, 3):
            assert lo < search.split(lo, hi) < hi
