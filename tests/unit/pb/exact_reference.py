"""A plain exact-fraction MES with Add1 by linear scan: slow, obviously right, for tests."""

from __future__ import annotations

from fractions import Fraction

from obcms_core.domain.pb.election import Election


def exact_mes(election: Election, b: Fraction) -> list[str]:
    """MES with cost utility, every voter starting at b; ties to the smaller id."""
    budget = dict.fromkeys(range(len(election.ballots)), b)
    backers = {
        p.id: [i for i, x in enumerate(election.ballots) if p.id in x.projects]
        for p in election.projects
    }
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    open_ = {p for p in cost if cost[p] > 0 and backers[p]}
    chosen: list[str] = []
    while True:
        best: tuple[Fraction, str] | None = None
        for p in sorted(open_):
            if sum(budget[i] for i in backers[p]) < cost[p]:
                continue
            share = _share(cost[p], [budget[i] for i in backers[p]])
            key = (share / cost[p], p)
            if best is None or key < best:
                best = key
        if best is None:
            return chosen
        rho, p = best
        for i in backers[p]:
            budget[i] -= min(budget[i], rho * cost[p])
        chosen.append(p)
        open_.discard(p)


def _share(cost: Fraction, held: list[Fraction]) -> Fraction:
    """The equal share q with sum(min(held, q)) == cost."""
    held = sorted(held)
    paid = Fraction(0)
    for k, h in enumerate(held):
        q = (cost - paid) / (len(held) - k)
        if q <= h:
            return q
        paid += h
    raise ValueError("unaffordable")


def exact_add1(election: Election) -> tuple[list[str], int]:
    """Add1 as pabutools runs it: +1 per voter until overspending (keep previous) or exhaustive."""
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    envelope = Fraction(election.budget)
    supported = {p for p in cost if cost[p] > 0 and any(p in x.projects for x in election.ballots)}
    free = [p for p in cost if cost[p] == 0 and any(p in x.projects for x in election.ballots)]
    start = envelope / len(election.ballots)
    previous: list[str] = list(free)
    k = 0
    while True:
        outcome = free + exact_mes(election, start + k)
        spent = sum(cost[p] for p in outcome)
        if spent > envelope:
            return previous, k - 1
        if all(p in outcome or spent + cost[p] > envelope for p in supported):
            return outcome, k
        previous, k = outcome, k + 1
