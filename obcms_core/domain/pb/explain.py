"""Why equal shares did not fund a project: how much its supporters could still pay at the end."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from obcms_core.domain.pb.election import Election
from obcms_core.domain.pb.mes import MesOutcome, mes_profile, one_blas_thread
from obcms_core.domain.pb.mes_core import pay, run_mes
from obcms_core.domain.pb.mes_exact import ExactState
from obcms_core.domain.pb.profile import SupportProfile, Utility, build_profile


@dataclass(frozen=True)
class Shortfall:
    """A project MES left out, measured when MES stopped (after its Add1 raise)."""

    project_id: str
    cost: Fraction
    supporters: Fraction  # weighted count
    start_budget: Fraction  # each voter's starting budget in the final MES run
    available: Fraction  # what its supporters had left when MES stopped
    shortfall: Fraction  # cost - available
    covered: Fraction  # available / cost
    extra_supporters_at_start_budget: int  # new supporters, each with a full starting budget
    extra_supporters_at_average_left: int | None  # ... each with what its supporters had left
    funded_by_completion: bool  # the greedy completion funded it anyway

    def sentence(self) -> str:
        """The explanation in one sentence a budget officer can read out."""
        text = (
            f"Project {self.project_id} costs {float(self.cost):,.2f}; when the equal shares ran"
            f" out its {float(self.supporters):,.0f} supporters had {float(self.available):,.2f}"
            f" left ({float(self.covered):.1%} of its cost), {float(self.shortfall):,.2f} short;"
            f" it would have needed {self.extra_supporters_at_start_budget} more supporters with"
            f" a full share of {float(self.start_budget):,.2f} each."
        )
        if self.funded_by_completion:
            text += " It was funded afterwards from the money left over (greedy completion)."
        return text


def _ceil(x: Fraction) -> int:
    return max(0, math.ceil(x))


EXACT_LIMIT = 20_000  # supporter entries to replay in exact fractions; beyond it, float64


def _money_left(
    profile: SupportProfile, winners: list[int], start: Fraction
) -> Callable[[int], Fraction]:
    """What each project's supporters hold when MES stops, exactly on small elections."""
    if sum(len(profile.supporters[j]) for j in winners) <= EXACT_LIMIT:
        state = ExactState(profile, start)
        return lambda j: state.available(j, winners, len(winners))
    eligible = [j for j, c in enumerate(profile.costs) if c > 0 and profile.support[j] > 0]
    with one_blas_thread():
        run = run_mes(profile, eligible, start)
        beta = np.full(profile.n_groups, float(start))
        for w, rec in zip(run.winners, run.prices, strict=True):
            pay(profile, w, rec.rho, beta)
    return lambda j: Fraction(float(profile.sup_weight[j] @ beta[profile.supporters[j]]))


def explain_profile(profile: SupportProfile, outcome: MesOutcome) -> dict[str, Shortfall]:
    """A shortfall for every supported project the equal-shares phase did not fund."""
    index = {pid: j for j, pid in enumerate(profile.ids)}
    winners = [index[p] for p in outcome.mes_selected if profile.costs[index[p]] > 0]
    left = _money_left(profile, winners, outcome.budget_per_voter)
    funded = set(outcome.mes_selected)
    completed = set(outcome.selected)
    result = {}
    for j, pid in enumerate(profile.ids):
        if pid in funded or profile.support[j] == 0:
            continue
        cost = profile.costs[j]
        backers = sum((profile.exact_weight(int(g)) for g in profile.supporters[j]), Fraction(0))
        available = left(j)
        gap = max(cost - available, Fraction(0))
        average = available / backers
        result[pid] = Shortfall(
            project_id=pid,
            cost=cost,
            supporters=backers,
            start_budget=outcome.budget_per_voter,
            available=available,
            shortfall=gap,
            covered=available / cost if cost else Fraction(1),
            extra_supporters_at_start_budget=_ceil(gap / outcome.budget_per_voter),
            extra_supporters_at_average_left=_ceil(gap / average) if average else None,
            funded_by_completion=pid in completed,
        )
    return result


def explain_unfunded(
    election: Election, utility: Utility = Utility.COST, outcome: MesOutcome | None = None
) -> dict[str, Shortfall]:
    """For each supported project equal shares left out: what its supporters could still pay."""
    profile = build_profile(election, utility)
    return explain_profile(profile, outcome or mes_profile(profile))
