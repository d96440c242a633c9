"""Many starting budgets counted at once by following one MES run (the template) round by round.

Each lane is a starting budget below the template's. A lane follows the template's round while
float64, with the same margins as a single run, shows that the template's winner w also wins it
for the lane: w is affordable for the lane, and every other project
- was found unaffordable by the template by then (with more money), or
- has a lower bound in the template's round above w's price for the lane (the template is richer
  and has funded the same projects so far, so no price of the lane is lower than its), or
- loses on unit share to a w whose price for the lane is exactly 1/support (no price is below
  1/support, and ties go to the smaller project id), or
- is priced for the lane and is unaffordable or dearer than w.
A lane where any of this fails (another project wins, or the call is too close for float64)
leaves at that round. The richest lane leaving is run on from there by `resume_mes`, with exact
re-checks where needed, and the poorer lanes leaving with it follow that run. A lane that follows
its template to the end funds what the template funds.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from obcms_core.domain.pb.mes_core import (
    REL,
    Candidates,
    MesRun,
    cap_slack,
    held_slack,
    resume_mes,
)
from obcms_core.domain.pb.profile import FloatArray, IntArray, SupportProfile

_OK, _UNAFFORDABLE, _TOO_CLOSE = 0, 1, 2


class Prices(NamedTuple):
    """One project's price per unit of utility in several lanes."""

    rho: FloatArray
    err: FloatArray
    exact: np.ndarray  # nobody short of money: the price is exactly 1/support
    status: IntArray  # _OK, _UNAFFORDABLE or _TOO_CLOSE (affordability too close to call)


_FIXED_POINT_ROUNDS = 40


def lane_prices(
    profile: SupportProfile, j: int, held: FloatArray, scale: float, floor: float = 0.0
) -> Prices:
    """j's price in each lane, given its supporters' budgets there (supporters x lanes).

    `scale` bounds the lanes' starting budgets (the scale of their rounding, as in a run);
    `floor` is a known lower bound on every lane's price (the search for it starts there)."""
    unit = 1.0 / profile.support_f[j]
    cap = held * profile.sup_inv_util[j][:, None]  # above this price a supporter cannot pay
    # when everyone can pay 1/support of the cost, that is the price
    exact = cap.min(axis=0) > unit * (1 + REL) + cap_slack(profile, j, scale)
    lanes = held.shape[1]
    rho, status = np.full(lanes, unit), np.zeros(lanes, dtype=np.intp)
    err = rho * 1e-15
    if exact.all():
        return Prices(rho, err, exact, status)
    c, slack = profile.cost_f[j], held_slack(profile, j, scale)
    short = (~exact).nonzero()[0]
    if short.size < lanes:
        held, cap = held[:, short], cap[:, short]
    avail = profile.sup_weight[j] @ held
    if (avail < c * (1 + REL) + slack).any():  # some lane short of the cost, or too close
        close = np.abs(avail - c) <= REL * (avail + c) + slack
        status[short] = np.where(close, _TOO_CLOSE, np.where(avail < c, _UNAFFORDABLE, _OK))
        fine = status[short] == _OK
        short, held, cap = short[fine], held[:, fine], cap[:, fine]
    if short.size:
        rho[short], err[short], settled = _shares(profile, j, held, cap, max(unit, floor), slack)
        status[short[~settled]] = _TOO_CLOSE
    return Prices(rho, err, exact, status)


def _shares(
    profile: SupportProfile, j: int, held: FloatArray, cap: FloatArray, floor: float, slack: float
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """The price at which supporters who cannot pay it pay all they have, and the rest pay it.

    Lanes must be affordable. From a lower bound, the set of supporters short of the price only
    grows as the price rises to its fixed point (as _price finds it on long lists). A lane that
    does not settle (float64 at its limits, or more rounds than allowed) is reported as such,
    never guessed. `slack` is the rounding in what the supporters hold together."""
    c, weight, wutil = profile.cost_f[j], profile.sup_weight[j], profile.sup_wutil[j]
    poor = cap < floor
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(_FIXED_POINT_ROUNDS):
            paid = weight @ (held * poor)
            rich = wutil @ ~poor
            rho = (c - paid) / rich
            settled = (cap < rho) == poor
            if settled.all():
                break
            poor = cap < rho
        settled = (rich > 0) & settled.all(axis=0)
        return rho, (REL * (c + paid) + slack) / rich + REL * rho, settled


def _dearer(
    profile: SupportProfile, j: int, held: FloatArray, price: FloatArray, scale: float
) -> np.ndarray:
    """Per lane: surely j costs more than `price` there (also when it is unaffordable).

    At a price, each supporter pays it per unit of utility or all they have if less; j's price
    is the lowest at which that covers its cost. So if it does not cover it at `price`, j's is
    higher. `scale` is as for lane_prices."""
    collected = profile.sup_weight[j] @ np.minimum(held, price * profile.sup_util[j][:, None])
    return collected < profile.cost_f[j] * (1 - REL) - held_slack(profile, j, scale)


@dataclass
class _Group:
    template: MesRun  # richer than every lane of the group, same winners up to round t
    lanes: IntArray  # richest first
    money: FloatArray  # every ballot group's budget in each lane (groups x lanes) at round t
    t: int


class Lanes:
    """Outcomes of MES at several starting budgets below a template run's."""

    def __init__(self, profile: SupportProfile, start: Candidates, budgets: list[Fraction]):
        self.profile = profile
        self.start = start
        self.budgets = budgets  # descending
        self.winners: list[list[int] | None] = [None] * len(budgets)
        self.resumed = 0  # lanes that had to be run on their own from some round

    def count(self, template: MesRun) -> list[list[int]]:
        """Every lane's MES winners, in order."""
        steps = [template.b, *self.budgets]
        if any(poorer >= richer for richer, poorer in zip(steps, steps[1:], strict=False)):
            raise ValueError("lanes must be budgets below the template's, richest first")
        opening = np.asarray([float(b) for b in self.budgets], dtype=np.float64)
        money = np.repeat(opening[None, :], self.profile.n_groups, axis=0)
        pending = [_Group(template, np.arange(len(self.budgets)), money, 0)]
        while pending:
            group = pending.pop()
            for left in self._follow(group):
                richest = int(left.lanes[0])
                history = group.template.winners[: left.t]
                run = resume_mes(
                    self.profile,
                    self.start,
                    self.budgets[richest],
                    history,
                    left.money[:, 0].copy(),
                    group.template,
                )
                self.resumed += 1
                self.winners[richest] = run.winners
                if len(left.lanes) > 1:
                    pending.append(_Group(run, left.lanes[1:], left.money[:, 1:], left.t))
        done = [w for w in self.winners if w is not None]
        assert len(done) == len(self.winners)
        return done

    def _follow(self, group: _Group) -> list[_Group]:
        """Follow the template with the group's lanes; the lanes that left, by round."""
        profile, start, template = self.profile, self.start, group.template
        assert template.removed_at is not None
        open_ = start.alive.copy()  # neither funded nor found unaffordable by the template
        open_[template.winners[: group.t]] = False
        lanes, money, left = group.lanes, group.money, []
        scale = template.scale  # richer than every lane: bounds their rounding too
        for t in range(group.t, len(template.winners)):
            w = template.winners[t]
            sup = profile.supporters[w]
            held = money[sup]
            r = t - template.first
            then = template.prices[r]  # the template is richer: no lane pays less for w
            own = lane_prices(profile, w, held, scale, then.rho - then.err)
            stays = own.status == _OK
            open_[w] = False
            open_ &= template.removed_at > t
            top = own.rho + own.err
            low = template.bound_rho[r] - template.bound_err[r]
            doubt = (open_ & (low <= top.max())).nonzero()[0]
            if own.exact.all():  # priced at exactly 1/support, w beats every project after it
                doubt = doubt[start.rank[doubt] < start.rank[w]]  # in unit-share order
            for j in doubt.tolist():
                near = (low[j] <= top) & stays
                if start.rank[j] > start.rank[w]:
                    near &= ~own.exact
                rows = near.nonzero()[0]
                if not rows.size:
                    continue
                theirs = money[profile.supporters[j]]
                if rows.size < len(lanes):
                    theirs = theirs[:, rows]
                loses = _dearer(profile, j, theirs, top[rows], scale)
                stays[rows[~loses]] = False
            if not stays.all():
                left.append(_Group(template, lanes[~stays], money[:, ~stays], t))
                lanes, money, held = lanes[stays], money[:, stays], held[:, stays]
                own = Prices(*(a[stays] for a in own))
                if not lanes.size:
                    return left
            paid = held - own.rho * profile.sup_util[w][:, None]
            money[sup] = np.maximum(paid, 0.0, out=paid)
        for lane in lanes.tolist():
            self.winners[lane] = template.winners  # every project left was too dear for it
        return left
