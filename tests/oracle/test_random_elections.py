"""Our counting rules agree exactly with pabutools on small random elections."""

from __future__ import annotations

import pytest

pytest.importorskip("pabutools")

from hypothesis import given, settings  # noqa: E402

from obcms_core.domain.pb.election import Election, VoteType  # noqa: E402
from obcms_core.domain.pb.greedy import greedy  # noqa: E402
from obcms_core.domain.pb.mes import equal_shares  # noqa: E402
from obcms_core.domain.pb.profile import Utility  # noqa: E402
from obcms_core.domain.pb.welfare import max_welfare  # noqa: E402
from tests.oracle.pabutools_bridge import (  # noqa: E402
    reference_greedy,
    reference_max_welfare_sets,
    reference_mes,
)
from tests.unit.pb.strategies import SETTINGS, elections  # noqa: E402


@settings(**SETTINGS)
@given(elections())
def test_greedy_funds_what_pabutools_greedy_funds(election: Election) -> None:
    assert sorted(greedy(election)) == reference_greedy(election)


@settings(**SETTINGS)
@given(elections())
def test_equal_shares_with_add1_and_completion_funds_what_pabutools_funds(
    election: Election,
) -> None:
    assert sorted(equal_shares(election).selected) == reference_mes(election)


@settings(**SETTINGS)
@given(elections())
def test_max_welfare_is_one_of_the_best_sets_pabutools_finds(election: Election) -> None:
    assert sorted(max_welfare(election)) in reference_max_welfare_sets(election)


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections(VoteType.CUMULATIVE))
def test_cumulative_ballots_count_as_approval_of_listed_projects_like_pabutools(
    election: Election,
) -> None:
    assert sorted(greedy(election)) == reference_greedy(election)
    assert sorted(equal_shares(election).selected) == reference_mes(election)


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections(VoteType.CUMULATIVE))
def test_points_weighted_rules_match_pabutools_with_points_times_cost(election: Election) -> None:
    assert sorted(greedy(election, Utility.COST_POINTS)) == reference_greedy(election, True)
    mes = equal_shares(election, Utility.COST_POINTS)
    assert sorted(mes.selected) == reference_mes(election, True)


@settings(**{**SETTINGS, "max_examples": 100})
@given(elections(VoteType.ORDINAL))
def test_ranked_ballots_count_as_approval_of_ranked_projects_like_pabutools(
    election: Election,
) -> None:
    assert sorted(greedy(election)) == reference_greedy(election)
    assert sorted(equal_shares(election).selected) == reference_mes(election)
