"""Many starting budgets counted at once: MES run in lock-step on a table of budgets.

Each lane is one starting budget. Every lane keeps its own state in one column of shared tables:
each ballot group's money, each project's lower price bound, whether the project is still open.
A round is the single run's round done for all lanes at once: projects are taken in order of
their lowest bound until, in every lane, no bound left is below the best price found there. A
project is dealt with in all the lanes where its bound is below that best at once (one numpy call
serves them all): first by a cheap proof that it costs more than the best (what its supporters
would pay at that price falls short of its cost), which also raises its bound there; it is
priced only in the lanes left. Each lane funds its own winner: lanes may fund different
projects, and payments are made per winner. Prices in a lane never fall as its money shrinks, so
every bound stays valid in later rounds.

A lane whose call is too close for float64 (two prices within the margins, unless both are
exactly 1/support, or a project's cost within the margins of what its supporters hold) is taken
out of the table and run on from that round alone by `resume_mes`, which settles such calls in
exact fractions. A lane ends when no open project is affordable there. Given the envelope and
budgets in rising order, a lane whose winners so far surely cost more than the envelope ends at
once, and every richer lane is dropped: Add1 stops at that budget or before it.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from obcms_core.domain.pb.mes_core import REL, Candidates, cap_slack, held_slack, resume_mes
from obcms_core.domain.pb.profile import FloatArray, IntArray, SupportProfile

_OK, _UNAFFORDABLE, _TOO_CLOSE = 0, 1, 2


class Prices(NamedTuple):
    """One project's price per unit of utility in several lanes."""

    rho: FloatArray
    err: FloatArray
    exact: np.ndarray  # nobody short of money: the price is exactly 1/support
    status: IntArray  # _OK, _UNAFFORDABLE or _TOO_CLOSE (affordability too close to call)


_FIXED_POINT_ROUNDS = 40


def _per_supporter(
    profile: SupportProfile, j: int, values: tuple[FloatArray, ...]
) -> FloatArray | float:
    """j's per-supporter utilities (or their inverses) against a supporters x lanes table: one
    number when all supporters have the same utility, which numpy applies faster."""
    if profile.uniform_util[j] is None:
        return values[j][:, None]
    return float(values[j][0])


def lane_prices(
    profile: SupportProfile, j: int, held: FloatArray, scale: float, floor: float | FloatArray = 0.0
) -> Prices:
    """j's price in each lane, given its supporters' budgets there (supporters x lanes).

    `scale` bounds the lanes' starting budgets (the scale of their rounding, as in a run);
    `floor` is a known lower bound on the price, one for all lanes or one per lane (the search
    for it starts there)."""
    unit = 1.0 / profile.support_f[j]
    cap = held * _per_supporter(profile, j, profile.sup_inv_util)  # above it one cannot pay
    # when everyone can pay 1/support of the cost, that is the price
    exact = cap.min(axis=0) > unit * (1 + REL) + cap_slack(profile, j, scale)
    lanes = held.shape[1]
    rho, status = np.full(lanes, unit), np.zeros(lanes, dtype=np.intp)
    err = rho * 1e-15
    if exact.all():
        return Prices(rho, err, exact, status)
    c, slack = profile.cost_f[j], held_slack(profile, j, scale)
    short = (~exact).nonzero()[0]
    start = np.maximum(unit, floor)
    if start.ndim:
        start = start[short]
    if short.size < lanes:
        held, cap = held.take(short, axis=1), cap.take(short, axis=1)
    avail = profile.sup_weight[j] @ held
    if (avail < c * (1 + REL) + slack).any():  # some lane short of the cost, or too close
        close = np.abs(avail - c) <= REL * (avail + c) + slack
        status[short] = np.where(close, _TOO_CLOSE, np.where(avail < c, _UNAFFORDABLE, _OK))
        fine = status[short] == _OK
        short, held, cap = short[fine], held.compress(fine, axis=1), cap.compress(fine, axis=1)
        if start.ndim:
            start = start[fine]
    if short.size:
        rho[short], err[short], settled = _shares(profile, j, held, cap, start, slack)
        status[short[~settled]] = _TOO_CLOSE
    return Prices(rho, err, exact, status)


def _shares(
    profile: SupportProfile,
    j: int,
    held: FloatArray,
    cap: FloatArray,
    floor: FloatArray,
    slack: float,
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """The price at which supporters who cannot pay it pay all they have, and the rest pay it.

    Lanes must be affordable. From a lower bound, the set of supporters short of the price only
    grows as the price rises to its fixed point (as _price finds it on long lists). A lane that
    does not settle (float64 at its limits, or more rounds than allowed) is reported as such,
    never guessed. `slack` is the rounding in what the supporters hold together."""
    c, weight, wutil = profile.cost_f[j], profile.sup_weight[j], profile.sup_wutil[j]
    poor = cap < floor
    count = np.count_nonzero(poor)
    with np.errstate(divide="ignore", invalid="ignore"):
        for step in range(_FIXED_POINT_ROUNDS):
            paid = weight @ (held * poor)
            rich = wutil @ ~poor
            rho = (c - paid) / rich
            now = cap < rho
            grown = np.count_nonzero(now)
            if grown == count or step == _FIXED_POINT_ROUNDS - 1:
                break  # no one new is short of the price, or no steps left: checked below
            poor, count = now, grown
        # settled where those short of rho are exactly those it was computed with
        settled = (rich > 0) & (now == poor).all(axis=0)
        return rho, (REL * (c + paid) + slack) / rich + REL * rho, settled


def _dearer(
    profile: SupportProfile, j: int, held: FloatArray, price: FloatArray, scale: float
) -> np.ndarray:
    """Per lane: surely j costs more than `price` there (also when it is unaffordable).

    At a price, each supporter pays it per unit of utility or all they have if less; j's price
    is the lowest at which that covers its cost. So if it does not cover it at `price`, j's is
    higher. `scale` is as for lane_prices."""
    paying = np.minimum(held, price * _per_supporter(profile, j, profile.sup_util))
    collected = profile.sup_weight[j] @ paying
    return collected < profile.cost_f[j] * (1 - REL) - held_slack(profile, j, scale)


class _Table:
    """The lanes still counted together: one column each, per ballot group and per project."""

    def __init__(self, start: Candidates, budgets: list[Fraction], n_groups: int) -> None:
        n = len(budgets)
        opening = np.asarray([float(b) for b in budgets], dtype=np.float64)
        self.scale = float(opening.max(initial=0.0))  # bounds every lane's rounding
        self.lanes = np.arange(n)  # which lane each column is
        self.money = np.repeat(opening[None, :], n_groups, axis=0)
        self.rho = np.repeat(start.rho[:, None], n, axis=1)  # lower bounds on prices
        self.err = np.repeat(start.err[:, None], n, axis=1)
        self.exact = np.repeat(start.is_exact[:, None], n, axis=1)  # exactly 1/support
        self.alive = np.repeat(start.alive[:, None], n, axis=1)  # neither funded nor unaffordable

    def keep(self, kept: np.ndarray) -> None:
        # compress keeps tables row-major (indexing [:, kept] would not): rows stay gathered fast
        self.lanes, self.money = self.lanes[kept], self.money.compress(kept, axis=1)
        self.rho, self.err = self.rho.compress(kept, axis=1), self.err.compress(kept, axis=1)
        self.exact = self.exact.compress(kept, axis=1)
        self.alive = self.alive.compress(kept, axis=1)


class _Round(NamedTuple):
    best: FloatArray  # per column: the lowest price found
    best_err: FloatArray
    fresh: np.ndarray  # projects x columns: priced this round
    close: np.ndarray  # per column: a call too close for float64


def _known(winners: list[int] | None) -> list[int]:
    assert winners is not None  # dropped lanes leave the table at once
    return winners


class Lockstep:
    """Outcomes of MES at several starting budgets, run side by side."""

    def __init__(
        self,
        profile: SupportProfile,
        start: Candidates,
        budgets: list[Fraction],
        envelope: float | None = None,
    ):
        self.profile = profile
        self.start = start
        self.budgets = budgets
        # with an envelope and budgets rising, a lane that surely overspends it stops there, and
        # the richer lanes are dropped: Add1 stops at that lane or before
        self.envelope = envelope
        self.resumed = 0  # lanes run on alone from some round (a call too close for float64)

    def count(self) -> list[list[int] | None]:
        """Every lane's MES winners in order (None: dropped above a lane that overspends)."""
        profile, start = self.profile, self.start
        table = _Table(start, self.budgets, profile.n_groups)
        winners: list[list[int] | None] = [[] for _ in self.budgets]
        spent = np.zeros(len(self.budgets))
        while table.lanes.size:
            found = self._prices(table)
            near = found.fresh & (table.rho - table.err <= found.best + found.best_err)
            count = near.sum(axis=0)
            win = near.argmax(axis=0)
            close = found.close
            for col in (count > 1).nonzero()[0].tolist():
                tied = near[:, col].nonzero()[0]
                if table.exact[tied, col].all():  # all exactly 1/support: unit-share order
                    win[col] = tied[start.rank[tied].argmin()]
                else:
                    close[col] = True
            for col in close.nonzero()[0].tolist():
                lane = int(table.lanes[col])
                winners[lane] = self._alone(lane, _known(winners[lane]), table, col)
            kept = ~close & (count > 0)  # the others are done: nothing affordable is left
            for w in np.unique(win[kept]).tolist():
                cols = (kept & (win == w)).nonzero()[0]
                due = np.zeros(table.lanes.size)  # lanes that do not fund w pay nothing for it
                due[cols] = table.rho[w, cols]
                sup = profile.supporters[w]
                left = (
                    table.money.take(sup, axis=0)
                    - _per_supporter(profile, w, profile.sup_util) * due
                )
                table.money[sup] = np.maximum(left, 0.0, out=left)
                table.alive[w, cols] = False
                for lane in table.lanes[cols].tolist():
                    _known(winners[lane]).append(w)
                spent[table.lanes[cols]] += profile.cost_f[w]
            if self.envelope is not None and (over := spent > self.envelope * (1 + 1e-9)).any():
                first = int(over.argmax())  # its winners so far already cost too much
                for lane in range(first + 1, len(winners)):
                    winners[lane] = None
                kept &= table.lanes < first
            if not kept.all():
                table.keep(kept)
        return winners

    def _prices(self, table: _Table) -> _Round:
        """Price, in each lane, every project that may beat the best found there this round."""
        profile, scale, alive, rho, err = (
            self.profile,
            table.scale,
            table.alive,
            table.rho,
            table.err,
        )
        low = np.where(alive, rho - err, np.inf)
        first = low.min(axis=1)
        order = np.isfinite(first).nonzero()[0]
        order = order[first[order].argsort(kind="stable")]
        width = table.lanes.size
        best, best_err = np.full(width, np.inf), np.zeros(width)
        fresh = np.zeros(alive.shape, dtype=bool)
        close = np.zeros(width, dtype=bool)
        for j in order.tolist():
            limit = best + best_err
            if first[j] > limit.max():
                break  # bounds only rise as budgets shrink: no later project does better
            need = alive[j] & (low[j] <= limit)
            if not need.any():
                continue
            cols = need.nonzero()[0]
            held = table.money.take(profile.supporters[j], axis=0)
            if cols.size < width:
                held = held.take(cols, axis=1)
            top = limit[cols]
            if np.isfinite(top).any():  # first try the cheap proof that j loses to the best
                loses = _dearer(profile, j, held, top, scale)
                if loses.any():
                    lost = cols[loses]  # its price is above the best: a higher bound, for free
                    rho[j, lost], err[j, lost], table.exact[j, lost] = top[loses], 0.0, False
                    alive[j, lost[np.isinf(top[loses])]] = False  # nothing to beat: unaffordable
                    cols, held = cols[~loses], held.compress(~loses, axis=1)
                    if not cols.size:
                        continue
            got = lane_prices(profile, j, held, scale, low[j, cols])
            alive[j, cols[got.status == _UNAFFORDABLE]] = False
            close[cols[got.status == _TOO_CLOSE]] = True
            ok = got.status == _OK
            cols, price, price_err = cols[ok], got.rho[ok], got.err[ok]
            rho[j, cols], err[j, cols], table.exact[j, cols] = price, price_err, got.exact[ok]
            fresh[j, cols] = True
            better = price < best[cols]
            best[cols[better]], best_err[cols[better]] = price[better], price_err[better]
        return _Round(best, best_err, fresh, close)

    def _alone(self, lane: int, history: list[int], table: _Table, col: int) -> list[int]:
        """The lane's winners, run on alone from this round with the bounds it has gathered."""
        own = copy.copy(self.start)
        own.rho, own.err = table.rho[:, col].copy(), table.err[:, col].copy()
        own.is_exact, own.alive = table.exact[:, col].copy(), table.alive[:, col].copy()
        money = table.money[:, col].copy()
        run = resume_mes(self.profile, own, self.budgets[lane], list(history), money)
        self.resumed += 1
        return run.winners
