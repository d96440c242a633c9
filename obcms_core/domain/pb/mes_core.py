"""One run of the Method of Equal Shares at a given per-voter budget (float64, exact re-checks)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from obcms_core.domain.pb.mes_exact import ExactState
from obcms_core.domain.pb.profile import FloatArray, SupportProfile

# float64 answers are trusted only this far from a tie or a boundary; closer calls are re-decided
# with exact fractions. The rounding errors of a run are around 1e-15 relative to the values
# compared, or, for a budget left after payments, to the starting budget (the run's `scale`):
# margins are REL of both.
REL = 1e-11
_FIXED_POINT_ROUNDS = 12
_SHORT = 256  # supporter lists up to this length are swept in sorted order


class Record(NamedTuple):
    """A lower bound on a project's price per unit of utility, valid from round `at` on."""

    at: int  # -1: the bound 1/support that holds before any spending
    rho: float
    err: float
    all_rich: bool  # nobody had to pay all they had: rho is exactly 1/support


@dataclass
class MesRun:
    """What one MES run did: winners in order, their prices, and the price bounds in each round."""

    b: Fraction
    winners: list[int] = field(default_factory=list)
    prices: list[Record] = field(default_factory=list)  # the winner's price in each round
    # per round, per project: the lower bound on its price in force when the winner was chosen
    bound_rho: list[FloatArray] = field(default_factory=list)
    bound_err: list[FloatArray] = field(default_factory=list)
    bound_exact: list[np.ndarray] = field(default_factory=list)  # the bound is exactly 1/support
    removed_at: np.ndarray | None = None  # per project: round found unaffordable (else a big int)
    exact_state: ExactState | None = None
    first: int = 0  # prices and bounds are recorded from this round on (see resume_mes)
    scale: float = field(init=False)  # the starting budget: the scale of the budgets' rounding

    def __post_init__(self) -> None:
        self.scale = float(self.b)

    def exact(self, profile: SupportProfile) -> ExactState:
        """The exact replay of this run, created when a close call first needs it."""
        if self.exact_state is None:
            self.exact_state = ExactState(profile, self.b)
        return self.exact_state


def held_slack(profile: SupportProfile, j: int, scale: float) -> float:
    """How far rounding may move what j's supporters hold together, their budgets having been
    left from a starting budget of `scale`."""
    return REL * scale * profile.weight_sum[j]


def cap_slack(profile: SupportProfile, j: int, scale: float) -> float:
    """How far rounding may move the price above which one of j's supporters cannot pay."""
    return REL * scale * profile.inv_util_max[j]


def price(profile: SupportProfile, j: int, beta: FloatArray, scale: float, t: int = -2) -> Record:
    """Lowest price per unit of utility at which j's supporters, paying equally, cover its cost.

    `scale` is the starting budget the budgets `beta` were left from (their rounding scale)."""
    # Supporters who cannot pay the equal share pay all they have. On long supporter lists that
    # set is found by the poor/rich fixed point (it only grows); short lists are swept in order.
    return _price(profile, j, beta[profile.supporters[j]], t, scale)


def _price(profile: SupportProfile, j: int, bud: FloatArray, t: int, scale: float) -> Record:
    rho = 1.0 / profile.support_f[j]
    cap = bud * profile.sup_inv_util[j]  # the price above which a supporter cannot pay in full
    if cap.min() > rho * (1 + REL) + cap_slack(profile, j, scale):
        return Record(t, rho, rho * 1e-15, True)
    c = profile.cost_f[j]
    held = held_slack(profile, j, scale)
    wb, wutil = profile.sup_weight[j] * bud, profile.sup_wutil[j]
    if len(bud) > _SHORT:
        poor = cap < rho
        count = -1
        for _ in range(_FIXED_POINT_ROUNDS):
            paid = float(wb @ poor)
            rich = float(wutil @ ~poor)
            if rich <= 0:
                break  # everyone at the edge of paying in full: settle it by the sweep
            rho = (c - paid) / rich
            poor = cap < rho
            if (n := int(np.count_nonzero(poor))) == count:
                return Record(t, rho, (REL * (c + paid) + held) / rich + REL * rho, False)
            count = n
    order = cap.argsort(kind="stable")
    paid_k = wb[order].cumsum()
    paid_k[1:] = paid_k[:-1].copy()
    paid_k[0] = 0.0
    rich_k = wutil[order][::-1].cumsum()[::-1]
    rho_k = (c - paid_k) / rich_k
    hits = (rho_k <= cap[order]).nonzero()[0]
    k = int(hits[0]) if hits.size else len(order) - 1
    rho = float(rho_k[k])
    return Record(t, rho, (REL * (c + paid_k[k]) + held) / rich_k[k] + REL * rho, False)


def _evaluate(
    profile: SupportProfile, run: MesRun, j: int, bud: FloatArray, t: int
) -> Record | None:
    """j's price this round, or None when its supporters together cannot pay for it."""
    avail = float(profile.sup_weight[j] @ bud)
    c = profile.cost_f[j]
    scale = run.scale
    if abs(avail - c) > REL * (avail + c) + held_slack(profile, j, scale):
        if avail < c:
            return None
    elif run.exact(profile).available(j, run.winners, t) < profile.costs[j]:
        return None
    return _price(profile, j, bud, t, scale)


NEVER = 1 << 30


class Candidates:
    """The projects an MES run may fund and their opening price bounds, set up once per search."""

    def __init__(self, profile: SupportProfile, eligible: Sequence[int]) -> None:
        n = len(profile.ids)
        first = np.asarray(eligible, dtype=np.intp)
        self.rho = np.full(n, np.inf)
        self.rho[first] = 1.0 / profile.support_f[first]
        self.err = np.zeros(n)
        self.err[first] = self.rho[first] * 1e-15
        self.is_exact = np.zeros(n, dtype=bool)
        self.is_exact[first] = True
        self.alive = self.is_exact.copy()
        self.removed = np.full(n, NEVER, dtype=np.int64)
        # position in unit-share order (1/support, then id): no price is below 1/support, and
        # ties go to the smaller id, so a project priced at exactly 1/support beats later ones
        self.rank = np.zeros(n, dtype=np.int64)
        ordered = sorted(eligible, key=lambda j: (profile.unit_share(j), profile.ids[j]))
        self.rank[ordered] = np.arange(len(ordered))


def run_mes(
    profile: SupportProfile,
    eligible: Sequence[int] | Candidates,
    b: Fraction,
    richer: MesRun | None = None,
) -> MesRun:
    """MES with every voter starting at b per unit of weight; ties go to the smaller project id."""
    # `richer`, a run from a larger starting budget, lends its price bounds for as long as both
    # runs have funded the same projects in the same order: with less money no price is lower.
    assert richer is None or richer.first == 0  # a whole run: its bounds are indexed by round
    start = eligible if isinstance(eligible, Candidates) else Candidates(profile, eligible)
    run = MesRun(b=b, removed_at=start.removed.copy())
    beta = np.full(profile.n_groups, float(b), dtype=np.float64)
    return _rounds(profile, start, run, beta, richer)


def resume_mes(
    profile: SupportProfile,
    start: Candidates,
    b: Fraction,
    history: Sequence[int],
    beta: FloatArray,
) -> MesRun:
    """The rest of the run at b whose first rounds funded `history` and left budgets `beta`.

    `start` holds price bounds valid at that round. The result records winners from round 0
    but prices and bounds only from round len(history) on (`first`), so it lends no bounds to
    other runs and proves no interval.
    """
    run = MesRun(b=b, removed_at=start.removed.copy(), first=len(history))
    run.winners.extend(history)
    return _rounds(profile, start, run, beta, None)


def _rounds(
    profile: SupportProfile,
    start: Candidates,
    run: MesRun,
    beta: FloatArray,
    richer: MesRun | None,
) -> MesRun:
    removed = run.removed_at
    assert removed is not None
    rho, err = start.rho.copy(), start.err.copy()
    is_exact, alive = start.is_exact.copy(), start.alive.copy()
    alive[run.winners] = False
    t = run.first
    following = richer is not None
    while alive.any():
        if following:
            assert richer is not None
            _borrow(richer, t, alive, rho, err, is_exact, removed)
        best, best_err, fresh = math.inf, 0.0, {}
        live = alive.nonzero()[0]
        low = rho[live] - err[live]
        rank = low.argsort(kind="stable")  # by lower edge, on which the loop below stops
        order, lows = live[rank], low[rank].tolist()
        for j, low in zip(order.tolist(), lows, strict=True):
            if low > best + best_err:
                break  # bounds only rise as budgets shrink: no later project can do better
            bud = beta[profile.supporters[j]]
            rec = _evaluate(profile, run, j, bud, t)
            if rec is None:
                removed[j], alive[j] = t, False
                continue
            rho[j], err[j], is_exact[j] = rec.rho, rec.err, rec.all_rich
            fresh[j] = rec, bud
            if rec.rho < best:
                best, best_err = rec.rho, rec.err
        if not fresh:
            break
        near = [j for j, (r, _) in fresh.items() if r.rho - r.err <= best + best_err]
        winner = near[0]
        if len(near) > 1:
            winner = min(
                near, key=lambda p: (_exact_rho(profile, run, p, t, is_exact), profile.ids[p])
            )
        run.bound_rho.append(rho.copy())
        run.bound_err.append(err.copy())
        run.bound_exact.append(is_exact.copy())
        price_w, bud_w = fresh[winner]
        pay(profile, winner, price_w.rho, beta, bud_w)
        run.winners.append(winner)
        run.prices.append(price_w)
        alive[winner] = False
        following = following and richer is not None and richer.winners[t : t + 1] == [winner]
        t += 1
    return run


def _exact_rho(
    profile: SupportProfile, run: MesRun, j: int, t: int, is_exact: np.ndarray
) -> Fraction:
    if is_exact[j]:
        return profile.unit_share(j)
    return run.exact(profile).price_at(j, run.winners, t)


def _borrow(
    richer: MesRun,
    t: int,
    alive: np.ndarray,
    rho: FloatArray,
    err: FloatArray,
    is_exact: np.ndarray,
    removed: np.ndarray,
) -> None:
    assert richer.removed_at is not None
    gone = alive & (richer.removed_at <= t)
    np.copyto(removed, t, where=gone)  # unaffordable with more money, so with less as well
    alive &= ~gone
    if t >= len(richer.winners):
        return
    lent, lent_err = richer.bound_rho[t], richer.bound_err[t]
    better = alive & (lent - lent_err > rho)
    np.copyto(rho, lent, where=better)
    np.copyto(err, lent_err, where=better)
    np.copyto(is_exact, richer.bound_exact[t], where=better)


def pay(
    profile: SupportProfile, j: int, rho: float, beta: FloatArray, bud: FloatArray | None = None
) -> None:
    """Supporters of a funded project pay the equal share, or all they have if that is less."""
    idx = profile.supporters[j]
    left = (beta[idx] if bud is None else bud) - rho * profile.sup_util[j]
    beta[idx] = np.maximum(left, 0.0, out=left)
