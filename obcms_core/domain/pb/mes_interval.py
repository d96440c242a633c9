"""Proof that every per-voter budget between two MES runs gives the same outcome.

Take runs at starting budgets b1 < b2 that fund the same projects in the same order. For any b
in between, assume the earlier rounds went the same way. Then every voter's remaining budget is
a non-decreasing function of b and every project's price a non-increasing one (more money never
raises an equal share). So for the round's winner w and any other project j:

    price_j(b) >= price_j(b2) >= bound_j(b2)  and  price_w(b) <= price_w(b1),

where bound_j(b2) is the lower bound the b2 run held for j in that round. If that bound beats
the winner's price at b1 (ties only when w has the smaller id), w wins the round at b too. A
project the b2 run found unaffordable is unaffordable for every smaller b. By induction over the
rounds, the run at b funds exactly what the two end runs fund.

Comparisons too close for float64 are decided exactly when both sides are known exactly (a
price that nobody was short of money for is 1/support); a stale bound is recomputed from the
replayed b2 budgets; otherwise the interval is reported as not proven and the caller splits
it. No outcome is ever inferred from an unproven interval.
"""

from __future__ import annotations

import numpy as np

from obcms_core.domain.pb.mes_core import REL, MesRun, Record, held_slack, pay, price
from obcms_core.domain.pb.profile import FloatArray, SupportProfile


def _loses(profile: SupportProfile, j: int, bound: Record, w: int, price_w: Record) -> bool:
    if bound.rho - bound.err > price_w.rho + price_w.err:
        return True
    if bound.rho + bound.err < price_w.rho - price_w.err:
        return False
    if not (bound.all_rich and price_w.all_rich):
        return False  # too close to call in float64 and not known exactly
    exact_j, exact_w = profile.unit_share(j), profile.unit_share(w)
    return exact_j > exact_w or (exact_j == exact_w and profile.ids[j] > profile.ids[w])


def _refreshed(
    profile: SupportProfile, j: int, beta: FloatArray, t: int, scale: float
) -> Record | None:
    """j's price from the replayed budgets, or None if it is surely unaffordable there."""
    avail = float(np.dot(profile.sup_weight[j], beta[profile.supporters[j]]))
    slack = held_slack(profile, j, scale)
    if avail < profile.cost_f[j] * (1 - REL) - slack:
        return None
    rec = price(profile, j, beta, scale)
    if avail < profile.cost_f[j] * (1 + REL) + slack:
        return Record(t, -np.inf, 0.0, False)  # too close to the cost to tell: proves nothing
    return Record(t, rec.rho, rec.err, rec.all_rich)


def same_outcome_between(profile: SupportProfile, low: MesRun, high: MesRun) -> bool:
    """Proven: every starting budget from low.b to high.b funds what both runs fund, in order."""
    if low.winners != high.winners:
        return False
    assert high.removed_at is not None and low.first == high.first == 0  # whole runs only
    beta: FloatArray | None = None  # the high run's budgets, replayed only if a bound is stale
    fresh: dict[int, Record] = {}
    funded = np.zeros(len(profile.ids), dtype=bool)
    for t, w in enumerate(low.winners):
        mine = low.prices[t]
        rho, err = high.bound_rho[t], high.bound_err[t]
        open_ = np.isfinite(rho) & ~funded & (high.removed_at > t)
        open_[w] = False
        doubtful = (open_ & (rho - err <= mine.rho + mine.err)).nonzero()[0]
        for j in doubtful.tolist():
            bound = Record(t, float(rho[j]), float(err[j]), bool(high.bound_exact[t][j]))
            if j in fresh and fresh[j].rho > bound.rho:
                bound = fresh[j]
            if _loses(profile, j, bound, w, mine):
                continue
            if beta is None:
                beta = _replay(profile, high, t)
            rec = _refreshed(profile, j, beta, t, high.scale)
            if rec is None:
                continue  # unaffordable at the high end, so for every smaller budget too
            fresh[j] = rec
            if not _loses(profile, j, rec, w, mine):
                return False
        if beta is not None:
            pay(profile, w, high.prices[t].rho, beta)
        funded[w] = True
    return True


def _replay(profile: SupportProfile, run: MesRun, t: int) -> FloatArray:
    beta = np.full(profile.n_groups, float(run.b), dtype=np.float64)
    for r in range(t):
        pay(profile, run.winners[r], run.prices[r].rho, beta)
    return beta


def predicted_change(profile: SupportProfile, low: MesRun, high: MesRun) -> float | None:
    """Where, as a fraction of the way from low.b to high.b, the two runs' outcomes part.

    Both runs fund the same projects up to some round t and differ there. The project the high
    run funds at t either was unaffordable in the low run (its supporters' money, which grows
    with the budget, crosses its cost) or lost on price (the two projects' prices cross). Either
    margin is interpolated linearly between the two runs. This only chooses where a search
    splits an interval; nothing is concluded from it. None when no crossing can be estimated.
    """
    t = next(
        (r for r, (a, b) in enumerate(zip(low.winners, high.winners, strict=False)) if a != b),
        len(low.winners),
    )
    if t >= len(high.winners):
        return None
    w_hi = high.winners[t]
    w_lo = low.winners[t] if t < len(low.winners) else None
    beta_lo, beta_hi = _replay(profile, low, t), _replay(profile, high, t)
    cost = profile.cost_f[w_hi]
    money_lo = float(profile.sup_weight[w_hi] @ beta_lo[profile.supporters[w_hi]])
    if w_lo is None or money_lo < cost * (1 + REL):
        money_hi = float(profile.sup_weight[w_hi] @ beta_hi[profile.supporters[w_hi]])
        m_lo, m_hi = money_lo - cost, money_hi - cost  # below zero at low, above at high
    else:
        money_w = float(profile.sup_weight[w_lo] @ beta_hi[profile.supporters[w_lo]])
        if money_w < profile.cost_f[w_lo] * (1 + REL):
            return None
        m_lo = low.prices[t].rho - price(profile, w_hi, beta_lo, low.scale).rho  # low's cheaper
        m_hi = price(profile, w_lo, beta_hi, high.scale).rho - high.prices[t].rho  # high's
    if not (m_lo < 0 <= m_hi) and not (m_lo <= 0 < m_hi):
        return None
    share = -m_lo / (m_hi - m_lo)
    return share if 0.0 <= share <= 1.0 else None
