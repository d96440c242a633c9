"""Why equal shares left a project out, on an election worked out by hand."""

from __future__ import annotations

from fractions import Fraction

from obcms_core.domain.pb.explain import explain_unfunded
from tests.unit.pb.helpers import approval


def test_an_unfunded_project_reports_what_its_supporters_lacked() -> None:
    # 4 voters, envelope 100. A (60) by v1-v3, B (50) by v4, C (30) by v1-v2.
    # Add1 settles at 35 each (see test_mes): A at 20 each, C at 15 each from v1 and v2.
    # B's only supporter, v4, still holds 35 of the 50 it costs.
    election = approval(100, {"A": 60, "B": 50, "C": 30}, "A,C", "A,C", "A", "B")
    why = explain_unfunded(election)
    assert set(why) == {"B"}
    b = why["B"]
    assert (b.cost, b.supporters, b.start_budget) == (50, 1, 35)
    assert (b.available, b.shortfall, b.covered) == (35, 15, Fraction(7, 10))
    assert b.extra_supporters_at_start_budget == 1
    assert b.extra_supporters_at_average_left == 1
    assert not b.funded_by_completion
    assert "35.00 left (70.0% of its cost), 15.00 short" in b.sentence()


def test_a_project_supporters_spent_everything_on_others_needs_fresh_supporters() -> None:
    # 2 voters, envelope 20 (10 each): both buy X (20); Y (10) by v1 is left with nothing.
    election = approval(20, {"X": 20, "Y": 10}, "X,Y", "X")
    why = explain_unfunded(election)["Y"]
    assert (why.available, why.shortfall) == (0, 10)
    assert why.extra_supporters_at_start_budget == 1
    assert why.extra_supporters_at_average_left is None


def test_a_project_the_completion_funded_is_marked_as_such() -> None:
    # 4 voters, envelope 100. P (40) by v1-v2, Q (35) by v3, S (35) by v4. At 35 each MES would
    # buy all three (110), so Add1 keeps 34 each: only P. Greedy completion then buys Q (ties
    # by id) with the 60 left; S no longer fits.
    election = approval(100, {"P": 40, "Q": 35, "S": 35}, "P", "P", "Q", "S")
    why = explain_unfunded(election)
    assert set(why) == {"Q", "S"}
    assert why["Q"].funded_by_completion and not why["S"].funded_by_completion
    assert why["S"].available == 34 and why["S"].shortfall == 1
    assert "funded afterwards" in why["Q"].sentence()
