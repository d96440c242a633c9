"""Method of Equal Shares with Add1 completion, then greedy completion (cost utilities).

Reference behaviour (pabutools 1.2.3, used only as a test oracle):
``completion_by_rule_combination(instance, profile, [method_of_equal_shares,
greedy_utilitarian_welfare], [{"sat_class": Cost_Sat, "voter_budget_increment": 1},
{"sat_class": Cost_Sat}])``. Add1 starts every voter at envelope / voters and raises that by one
peso per round; it stops at the first budget whose outcome costs more than the envelope (keeping
the previous outcome) or leaves no supported project that would still fit (keeping that one).

Instead of one run per peso, the first stopping budget is found by doubling and splitting: an
interval is skipped when `same_outcome_between` proves that every budget in it has the outcome
of its left end (see mes_interval.py). An unproven interval is split just before the budget at
which `predicted_change` expects the outcome to change, or halfway when it cannot tell; the
split point only decides how fast the search goes, never what it concludes. Where proofs mostly
fail (outcomes change every few pesos) and supporter lists are short, budgets are counted in
blocks instead: every budget of a block at once, run side by side in lock-step (mes_lockstep.py).
A single run at a block's end bounds it: if Add1 stops there, runs halfway move the end down
while they stop too, so that few budgets above the first stop are counted for nothing.
"""

from __future__ import annotations

import math
from contextlib import AbstractContextManager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from obcms_core.domain.pb.election import Election
from obcms_core.domain.pb.greedy import greedy_fill
from obcms_core.domain.pb.mes_core import Candidates, MesRun, run_mes
from obcms_core.domain.pb.mes_interval import predicted_change, same_outcome_between
from obcms_core.domain.pb.mes_lockstep import Lockstep
from obcms_core.domain.pb.profile import SupportProfile, Utility, build_profile


@dataclass(frozen=True)
class MesOutcome:
    """The funded projects and how they were reached."""

    selected: tuple[str, ...]  # MES winners in order, then the greedy completion
    mes_selected: tuple[str, ...]  # before the greedy completion
    budget_per_voter: Fraction  # the starting budget (per unit of voter weight) Add1 settled on
    increments: int  # pesos added to each voter's starting budget
    runs: int  # MES runs computed here (pabutools computes increments + 1 or + 2)


# When most interval proofs so far failed and the median supporter list is at most SHORT_LISTS
# long, budgets are counted in lock-step blocks (mes_lockstep.py) of up to LANES budgets, whose
# money table is kept under TABLE_CELLS cells (ballot groups x budgets); a block that ends on a
# stopping budget is first cut down by halving to within MIN_LANES of one that does not stop
LANES, MIN_LANES, SHORT_LISTS, TABLE_CELLS = 512, 12, 256, 1 << 21


class _Add1:
    def __init__(self, profile: SupportProfile) -> None:
        self.profile = profile
        self.eligible = [
            j for j in range(len(profile.ids)) if profile.support[j] > 0 and profile.costs[j] > 0
        ]
        self.free = [
            j for j in range(len(profile.ids)) if profile.support[j] > 0 and profile.costs[j] == 0
        ]
        # nobody voted: nothing is supported, so no run is needed and the start is irrelevant
        self.start = profile.budget / (profile.total_weight or 1)
        self.candidates = Candidates(profile, self.eligible)
        # whole costs as ints: the stopping test sums them once per budget tried
        self.costs = [int(c) if c.denominator == 1 else c for c in profile.costs]
        self.cache: dict[int, MesRun] = {}
        self.counted: dict[int, list[int]] = {}  # winners of budgets counted in lock-step
        self.runs = 0
        self.proved = self.unproved = 0  # interval proofs so far: when most fail, count blocks
        # lock-step pays off where supporter lists are short: one numpy call then serves many
        # budgets at the cost of one; on long lists each call is work-bound and proofs save more
        lengths = [len(s) for s in profile.supporters]
        self.lanes = bool(lengths) and float(np.median(lengths)) <= SHORT_LISTS
        self.width = max(MIN_LANES + 1, min(LANES, TABLE_CELLS // max(1, profile.n_groups)))

    def run(self, k: int) -> MesRun:
        if k not in self.cache:
            richer = min((r for r in self.cache if r > k), default=None)
            lend = None if richer is None else self.cache[richer]
            self.cache[k] = run_mes(self.profile, self.candidates, self.start + k, lend)
            self.runs += 1
        return self.cache[k]

    def outcome(self, k: int) -> list[int]:
        winners = self.counted[k] if k in self.counted else self.run(k).winners
        return self.free + winners

    def count(self, ks: list[int]) -> list[int]:
        """Count the budgets start + k for k in ks (rising) at once, in lock-step; the ks counted
        (those above a k that surely overspends the envelope are dropped)."""
        envelope = float(self.profile.budget)
        block = Lockstep(self.profile, self.candidates, [self.start + k for k in ks], envelope)
        counted = [(k, w) for k, w in zip(ks, block.count(), strict=True) if w is not None]
        self.counted.update(counted)
        self.runs += block.resumed
        return [k for k, _ in counted]

    def count_ahead(self, lo: int) -> tuple[int | None, int]:
        """The first stop in the next block of budgets after lo (lo does not stop), and where
        the search goes on from if there is none.

        A single run at the block's end tells whether Add1 stops there; if it does, runs
        halfway (borrowing from the richer runs) move that end down to within MIN_LANES of a
        budget that does not stop. The first stop can still come earlier: every budget up to the
        end not yet run is counted, at once, in lock-step."""
        end = lo + self.width
        if self.stop(end):
            below = lo
            while end - below > MIN_LANES:
                mid = (below + end) // 2
                below, end = (below, mid) if self.stop(mid) else (mid, end)
        for k in [k for k in self.counted if k < lo]:
            del self.counted[k]  # no longer needed: keeps memory flat on long searches
        ks = self.count([k for k in range(lo + 1, end) if k not in self.cache])
        ks = sorted([*ks, *(k for k in self.cache if lo < k <= end)])
        before = self.outcome(lo)
        if all(self.outcome(k) == before for k in ks):
            self.proved += 1  # nothing changed: the next interval may well be proved whole
        else:
            self.unproved += 1
        return next((k for k in ks if self.stop(k)), None), end

    def stop(self, k: int) -> str | None:
        chosen = self.outcome(k)
        costs = self.costs
        spent = sum(costs[j] for j in chosen)
        if spent > self.profile.budget:
            return "infeasible"
        left = self.profile.budget - spent
        taken = set(chosen)
        if all(j in taken or costs[j] > left for j in self.eligible):
            return "exhaustive"
        return None

    def split(self, lo: int, hi: int, guided: bool = True) -> int:
        """Where to split (lo, hi): just before the predicted change of outcome, else halfway."""
        share = predicted_change(self.profile, self.run(lo), self.run(hi)) if guided else None
        if share is None:
            return (lo + hi) // 2
        first_changed = math.ceil(lo + share * (hi - lo))
        return min(max(first_changed - 1, lo + 1), hi - 1)

    def first_stop(self, lo: int, hi: int, guided: bool = True) -> tuple[int | None, int | None]:
        """The first k in (lo, hi] where Add1 stops, given that it does not stop at lo; or, as
        the second item, a k (no stop up to it) from which to go on counting in lock-step, once
        most proofs fail."""
        while True:
            if hi - lo == 1:
                return (hi if self.stop(hi) else None), None
            if same_outcome_between(self.profile, self.run(lo), self.run(hi)):
                self.proved += 1
                return None, None  # every k in between funds what lo funds, and lo does not stop
            self.unproved += 1
            if self.counting_lanes():
                return None, lo
            mid = self.split(lo, hi, guided)
            self.run(mid)  # computed after hi, so it borrows hi's price bounds
            # A part longer than half of its interval is next split halfway: whatever the
            # predictions, every two splits at least halve the interval (and the recursion).
            found = self.first_stop(lo, mid, 2 * (mid - lo) <= hi - lo)
            if found != (None, None):
                return found
            for k in [k for k in self.cache if k < mid]:
                del self.cache[k]  # no longer needed: keeps memory flat on long searches
            lo, guided = mid, 2 * (hi - mid) <= hi - lo

    def counting_lanes(self) -> bool:
        """Count budgets in lock-step: lists are short and most proofs so far failed."""
        return self.lanes and self.unproved > self.proved

    def settle(self) -> tuple[int, list[int]]:
        if not self.stop(0):
            lo, step = 0, 1
            while True:
                if self.counting_lanes():
                    found, lo = self.count_ahead(lo)
                else:
                    found, handed = self.first_stop(lo, lo + step)
                    lo, step = (lo + step, step * 2) if handed is None else (handed, step)
                if found is not None:
                    break
        else:
            found = 0
        if self.stop(found) == "infeasible":
            return found - 1, self.outcome(found - 1)
        return found, self.outcome(found)


_controller: ThreadpoolController | None = None


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context with one BLAS thread: small dot products in hot loops stay fast on few cores."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def mes_profile(profile: SupportProfile, add1: bool = True) -> MesOutcome:
    """MES (with Add1 unless told otherwise) and greedy completion over a grouped profile."""
    with one_blas_thread():
        search = _Add1(profile)
        if add1:
            k, chosen = search.settle()
        else:
            k, chosen = 0, search.outcome(0)
    completed = greedy_fill(profile, chosen)
    ids = profile.ids
    return MesOutcome(
        selected=tuple(ids[j] for j in completed),
        mes_selected=tuple(ids[j] for j in chosen),
        budget_per_voter=search.start + k,
        increments=k,
        runs=search.runs,
    )


def equal_shares(
    election: Election, utility: Utility = Utility.COST, add1: bool = True
) -> MesOutcome:
    """Equal shares of the envelope, raised peso by peso (Add1); leftovers go to the most-voted."""
    return mes_profile(build_profile(election, utility), add1=add1)
