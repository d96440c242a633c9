"""Exact replay of an MES run in fractions, used only to settle close calls."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from obcms_core.domain.pb.election import exact

if TYPE_CHECKING:
    from obcms_core.domain.pb.profile import SupportProfile


class ExactState:
    """Budgets of every ballot group in exact fractions, replayed round by round on demand."""

    def __init__(self, profile: SupportProfile, b: Fraction) -> None:
        self.profile = profile
        self.beta: list[Fraction] = [b] * profile.n_groups
        self.rounds = 0
        self.rho: list[Fraction] = []

    def _advance(self, winners: list[int], t: int) -> None:
        while self.rounds < t:
            j = winners[self.rounds]
            rho = self._price(j)
            cost = self.profile.costs[j]
            for g, f in zip(self.profile.supporters[j], self.profile.factor[j], strict=True):
                due = rho * cost * exact(f)
                self.beta[g] = self.beta[g] - due if self.beta[g] > due else Fraction(0)
            self.rho.append(rho)
            self.rounds += 1

    def _price(self, j: int) -> Fraction:
        cost = self.profile.costs[j]
        pairs = [
            (self.beta[g] / (cost * exact(f)), int(g), exact(f))
            for g, f in zip(self.profile.supporters[j], self.profile.factor[j], strict=True)
        ]
        pairs.sort()
        paid = Fraction(0)
        rich = cost * self.profile.support[j]
        for cap, g, f in pairs:
            rho = (cost - paid) / rich
            if rho <= cap:
                return rho
            weight = self.profile.exact_weight(g)
            paid += weight * self.beta[g]
            rich -= weight * cost * f
        raise ValueError("price asked for a project its supporters cannot afford")

    def price_at(self, j: int, winners: list[int], t: int) -> Fraction:
        """The exact price per unit of utility of project j at round t."""
        self._advance(winners, t)
        return self._price(j)

    def available(self, j: int, winners: list[int], t: int) -> Fraction:
        """What project j's supporters hold together at round t, exactly."""
        self._advance(winners, t)
        return sum(
            (self.profile.exact_weight(int(g)) * self.beta[g] for g in self.profile.supporters[j]),
            Fraction(0),
        )
