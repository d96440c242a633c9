"""What a solver hands back, and how funded fractions become peso amounts.

Rounding: amounts are whole centavos. A PPA funded (within solver precision) in full gets
exactly its request, one left out gets exactly zero, a partly funded one gets its fraction of
the request rounded to the centavo but never below its minimum viable amount. If rounding
lifts the envelope, a ceiling or an MOA's capacity above its limit, the excess centavos are
taken back from that limit's partly funded PPAs with the most room above their minimum, so those
limits hold exactly; floors and GAD shares may then be off by centavos.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import numpy as np

from obcms_core.domain.allocation.constraints import Row
from obcms_core.domain.allocation.model import AllocationProblem, Array

SNAP = 1e-9  # fractions this close to 1 are solver noise


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven best within the requested gap
    FEASIBLE = "feasible"  # an allocation honouring every constraint, stopped with a gap
    INFEASIBLE = "infeasible"  # no allocation honours every constraint
    TIME_LIMIT = "time_limit"  # the time ran out before any allocation was found
    NOT_FOUND = "not_found"  # the quick heuristic could not honour every constraint


@dataclass(frozen=True)
class Binding:
    """A constraint the allocation presses against, with its shadow price."""

    key: str
    label: str
    slack: float  # pesos of room left
    dual: float | None  # objective gained per extra ₱1 M of room (LP relaxation)


@dataclass(frozen=True, eq=False)
class Relaxation:
    """The LP relaxation: PPAs fundable in any fraction. Its score bounds every allocation."""

    feasible: bool
    objective: float | None
    fractions: Array  # funded fraction per PPA
    duals: Mapping[str, float]  # per constraint key: score gained per extra ₱1 M of room
    solver: str
    build_seconds: float
    solve_seconds: float


@dataclass(frozen=True, eq=False)
class AllocationResult:
    """An allocation per PPA with its score, the best bound known and how it was found."""

    status: SolveStatus
    solver: str
    amounts: tuple[Decimal, ...]  # per PPA in problem order; empty without an allocation
    objective: float | None
    bound: float | None  # no allocation can score more than this
    gap: float | None  # (bound - objective) / bound
    build_seconds: float
    solve_seconds: float
    messages: tuple[str, ...] = ()  # why there is no allocation, or what it could not meet
    binding: tuple[Binding, ...] = ()
    relaxation: Relaxation | None = None

    @property
    def duals(self) -> Mapping[str, float]:
        """Shadow prices from the LP relaxation: score per extra ₱1 M of each constraint."""
        return self.relaxation.duals if self.relaxation is not None else {}

    @property
    def has_allocation(self) -> bool:
        """True when the result carries an amount for every PPA."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    def amounts_array(self) -> Array:
        """The amounts as floats, for arithmetic."""
        return np.array([float(a) for a in self.amounts], dtype=float)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """How far the score may be from the best possible, as a fraction of the bound."""
    if objective is None or bound is None:
        return None
    if abs(bound) < 1e-12:
        return 0.0 if abs(objective) < 1e-12 else None
    return max(0.0, (bound - objective) / abs(bound))


def to_cents(
    problem: AllocationProblem, fractions: Array, minimum: Array, limits: Sequence[Row]
) -> Array:
    """Funded fractions as whole centavos per PPA, never above the envelope or a ceiling."""
    f = np.clip(np.asarray(fractions, dtype=float), 0.0, 1.0)
    request = np.round(problem.cost * 100).astype(np.int64)
    floor_cents = np.round(minimum * 100).astype(np.int64)
    whole = problem.min_fraction >= 1.0
    # a fraction far below the minimum viable level can only be solver noise around zero
    full = (f >= 1 - SNAP) | (whole & (f >= 0.5))
    none = ~full & (f < 0.5 * problem.min_fraction)
    partial = ~full & ~none
    cents = np.round(request * f).astype(np.int64)
    cents[full], cents[none] = request[full], 0
    cents[partial] = np.clip(cents[partial], floor_cents[partial], request[partial])
    for row in limits:
        excess = int(cents[row.idx].sum()) - int(np.floor(row.rhs * 100 + 1e-6))
        if excess <= 0:
            continue
        idx = row.idx[partial[row.idx]]
        room = cents[idx] - floor_cents[idx]
        for j in np.argsort(-room, kind="stable"):
            take = min(excess, int(room[j]))
            cents[idx[j]] -= take
            excess -= take
            if excess <= 0:
                break
    return cents


def to_amounts(cents: Array) -> tuple[Decimal, ...]:
    """Centavos as Decimal pesos with two places."""
    return tuple(Decimal(int(c)).scaleb(-2) for c in cents)
