"""Method of equal shares with Add1 and greedy completion, on elections solved by hand."""

from __future__ import annotations

from fractions import Fraction

from obcms_core.domain.pb.election import Ballot, Election, VoteType
from obcms_core.domain.pb.mes import equal_shares
from tests.unit.pb.helpers import approval


def _example() -> object:
    # 4 voters, envelope 100: 25 each. A (60) by v1-v3, B (50) by v4, C (30) by v1-v2.
    return approval(100, {"A": 60, "B": 50, "C": 30}, "A,C", "A,C", "A", "B")


def test_without_add1_equal_shares_funds_only_what_supporters_can_share() -> None:
    outcome = equal_shares(_example(), add1=False)
    # A costs 20 each for v1-v3; then v1, v2 hold 5 each, far from C's 30
    assert outcome.mes_selected == ("A",)
    assert outcome.budget_per_voter == 25


def test_add1_raises_each_voters_budget_until_the_result_is_exhaustive() -> None:
    outcome = equal_shares(_example())
    # at 35 each: A costs 20 each, then v1 and v2 hold exactly 15 each and buy C (30);
    # 90 spent and B (50) cannot fit any more, so Add1 stops there
    assert outcome.mes_selected == ("A", "C")
    assert outcome.budget_per_voter == 35
    assert outcome.increments == 10
    assert outcome.selected == ("A", "C")


def test_add1_keeps_the_last_affordable_result_when_the_next_one_overspends() -> None:
    # 2 voters, envelope 10 (5 each). C (4) by both, A (4) by v1, B (4) by v2.
    election = approval(10, {"A": 4, "B": 4, "C": 4}, "A,C", "B,C")
    outcome = equal_shares(election)
    # at 5 each: C costs 2 each, then 3 left each: A and B out of reach -> {C}, and A would
    # still fit; at 6 each: C, then 4 left each buys A and B -> 12 > 10, so Add1 keeps {C}
    assert outcome.mes_selected == ("C",)
    assert outcome.increments == 0
    # the greedy completion then adds the first of the equally voted A and B that fits
    assert outcome.selected == ("C", "A")


def test_greedy_completion_spends_what_equal_shares_left() -> None:
    election = approval(100, {"big": 80, "cheap": 10, "extra": 10}, "big", "cheap", "cheap")
    outcome = equal_shares(election)
    # Add1 stops once cheap and big are bought (nothing supported fits any more); the
    # completion then funds the unsupported project with the money left
    assert outcome.mes_selected == ("cheap", "big")
    assert outcome.selected == ("cheap", "big", "extra")


def test_a_tie_in_price_goes_to_the_smaller_project_id() -> None:
    election = approval(10, {"9": 10, "10": 10}, "9,10", "9,10")
    assert equal_shares(election).selected == ("10",)


def test_a_free_project_with_support_is_always_funded() -> None:
    election = approval(10, {"free": 0, "a": 10}, "free", "a")
    outcome = equal_shares(election)
    assert "free" in outcome.mes_selected


def test_many_add1_steps_take_few_runs() -> None:
    # 3 voters, envelope 3 (1 each); the only project costs 300: Add1 needs ~99 steps
    election = approval(3, {"p": 300}, "p", "p", "p")
    outcome = equal_shares(election)
    assert outcome.mes_selected == ()
    assert outcome.selected == ()
    assert outcome.budget_per_voter == Fraction(1) + outcome.increments
    assert outcome.runs < 20


def test_a_voter_weight_counts_like_that_many_identical_ballots() -> None:
    copies = approval(100, {"A": 60, "B": 50, "C": 30}, "A,C", "A,C", "A,C", "B")
    weighted = Election(
        100,
        VoteType.APPROVAL,
        copies.projects,
        (Ballot("w", ("A", "C"), weight=3), Ballot("b", ("B",))),
    )
    assert equal_shares(weighted) == equal_shares(copies)


def test_a_cheap_project_after_a_dear_one_is_decided_exactly_at_the_boundary() -> None:
    # Eleven voters share X (43,463,796); voters 0-2 also want Y (66). At 16 pesos above the
    # equal share, Y's three supporters hold exactly 66 after X. Their budgets are left from
    # about 3.95 million each, so float64 is off by about 1e-9 there: more than a margin taken
    # relative to 66 alone, which missed the exact tie and stopped Add1 a peso late.
    ballots = "X,Y", "X,Y", "X,Y", *["X"] * 8
    election = approval(43_463_796 + 66, {"X": 43_463_796, "Y": 66}, *ballots)
    outcome = equal_shares(election)
    assert outcome.mes_selected == ("X", "Y")
    assert outcome.increments == 16
