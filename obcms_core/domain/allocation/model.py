"""The allocation problem: PPAs, what they cost and what they deliver, as immutable arrays.

Formulation (shared by every solver in this package):

* PPA i requests c_i pesos (> 0) and has a minimum viable fraction m_i in (0, 1]
  (1 = all-or-nothing). The decision is the funded fraction f_i in [0, 1]: either f_i = 0
  (not funded) or m_i <= f_i <= 1; the allocation is x_i = c_i * f_i pesos.
* Benefit is proportional to the funded fraction. A fully funded PPA delivers its
  priority-weighted needs w_i (sum over linked needs of share x priority score), its
  population p_i, its urgency u_i and its community votes v_i (sum over linked needs of
  share x the need's participatory-budgeting vote score, 0..1).
* Each component is divided by its mean over the PPAs, so the weights the officer sets are
  comparable: with weight 1, funding every PPA in full scores n (the number of PPAs).
* Regional balance (optional, linear): t <= min(1, min_r R_r / F_r), where R_r is what region r
  receives and F_r its per-capita fair share of the envelope; it adds balance * n * t.
* Regions: a PPA covering several regions is split across them by coverage shares (each row of
  `coverage` sums to 1); regional floors, the balance term and explanations use those shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray


def _frozen(values: object, dtype: type) -> Array:
    array: Array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


def encode(
    labels: Sequence[str], names: Sequence[str] | None = None
) -> tuple[Array, tuple[str, ...]]:
    """Integer codes for labels (sector, MOA, source) and the names the codes stand for."""
    known = tuple(names) if names is not None else tuple(dict.fromkeys(labels))
    position = {name: k for k, name in enumerate(known)}
    missing = sorted({label for label in labels if label not in position})
    if missing:
        raise ValueError(f"unknown names: {', '.join(missing)}")
    return np.array([position[label] for label in labels], dtype=np.int64), known


@dataclass(frozen=True, eq=False)
class AllocationProblem:
    """Every PPA that competes for the envelope, with the facts the optimiser weighs."""

    ppa_ids: tuple[str, ...]
    cost: Array  # requested amount, pesos, read to the centavo
    min_fraction: Array  # minimum viable share of the request; 1 = all-or-nothing
    needs_value: Array  # priority-weighted needs addressed when fully funded
    population: Array  # people served when fully funded
    urgency: Array  # urgency of the linked needs, share-weighted
    coverage: Array  # (PPAs x regions) coverage shares, rows sum to 1
    sector: Array  # code into sector_names
    moa: Array  # code into moa_names
    source: Array  # code into source_names
    gad: Array  # tagged for Gender and Development
    last_year: Array  # last year's allocation, pesos (0 for new PPAs)
    region_names: tuple[str, ...]
    region_population: Array  # residents per region (for per-capita floors and balance)
    sector_names: tuple[str, ...]
    moa_names: tuple[str, ...]
    source_names: tuple[str, ...]
    moa_disbursement: Array  # last year's disbursement per MOA, pesos; NaN = no record
    # community votes addressed when fully funded (share-weighted need vote scores); none given
    # means no participatory-budgeting votes, zero for every PPA
    votes: Array = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        n = len(self.ppa_ids)
        if np.size(self.votes) == 0:
            object.__setattr__(self, "votes", np.zeros(n))
        spec = {
            "cost": float, "min_fraction": float, "needs_value": float, "population": float,
            "urgency": float, "sector": np.int64, "moa": np.int64, "source": np.int64,
            "gad": bool, "last_year": float, "coverage": float,
            "region_population": float, "moa_disbursement": float, "votes": float,
        }
        for name, dtype in spec.items():
            object.__setattr__(self, name, _frozen(getattr(self, name), dtype))
        for name in ("cost", "min_fraction", "needs_value", "population", "urgency",
                     "sector", "moa", "source", "gad", "last_year", "votes"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have one value per PPA ({n})")
        if len(set(self.ppa_ids)) != n:
            raise ValueError("PPA ids must be unique")
        if np.any(~np.isfinite(self.cost)) or np.any(self.cost <= 0):
            raise ValueError("every requested amount must be above zero")
        if np.any(self.min_fraction <= 0) or np.any(self.min_fraction > 1):
            raise ValueError("minimum viable fractions must be above 0 and at most 1")
        for name in ("needs_value", "population", "urgency", "last_year", "votes"):
            if np.any(getattr(self, name) < 0):
                raise ValueError(f"{name} cannot be negative")
        regions = len(self.region_names)
        if self.coverage.shape != (n, regions) or self.region_population.shape != (regions,):
            raise ValueError("coverage needs one column, and a population, per region")
        if n and not np.allclose(self.coverage.sum(axis=1), 1.0, atol=1e-9):
            raise ValueError("each PPA's coverage shares must sum to 1")
        if self.moa_disbursement.shape != (len(self.moa_names),):
            raise ValueError("moa_disbursement needs one value per MOA")
        for name, codes, names in (("sector", self.sector, self.sector_names),
                                   ("moa", self.moa, self.moa_names),
                                   ("source", self.source, self.source_names)):
            if n and (codes.min() < 0 or codes.max() >= len(names)):
                raise ValueError(f"{name} codes must index {name} names")

    @property
    def size(self) -> int:
        """Number of PPAs competing for the envelope."""
        return len(self.ppa_ids)

    def index_of(self, ppa_ids: Iterable[str]) -> Array:
        """Positions of the named PPAs; refuses names that are not in the problem."""
        position = {ppa: k for k, ppa in enumerate(self.ppa_ids)}
        names = sorted(ppa_ids)
        unknown = [name for name in names if name not in position]
        if unknown:
            raise ValueError(f"unknown PPAs: {', '.join(unknown[:5])}")
        return np.array([position[name] for name in names], dtype=np.int64)


@dataclass(frozen=True)
class ObjectiveWeights:
    """How much the officer values needs, people, urgency, balance and votes (each >= 0)."""

    needs: float = 1.0
    population: float = 0.0
    urgency: float = 0.0
    balance: float = 0.0
    votes: float = 0.0  # participatory-budgeting votes for the needs addressed

    def __post_init__(self) -> None:
        values = (self.needs, self.population, self.urgency, self.balance, self.votes)
        if any(v < 0 or not np.isfinite(v) for v in values):
            raise ValueError("objective weights must be zero or more")


def _by_mean(values: Array) -> Array:
    mean = float(values.mean()) if values.size else 0.0
    return values / mean if mean > 0 else np.zeros_like(values)


def ppa_values(problem: AllocationProblem, weights: ObjectiveWeights) -> Array:
    """What each PPA scores when funded in full, the components scaled to a mean of 1."""
    return (weights.needs * _by_mean(problem.needs_value)
            + weights.population * _by_mean(problem.population)
            + weights.urgency * _by_mean(problem.urgency)
            + weights.votes * _by_mean(problem.votes))


def fair_shares(problem: AllocationProblem, envelope: float) -> Array:
    """Each region's per-capita share of the envelope, in pesos."""
    total = float(problem.region_population.sum())
    if total <= 0:
        return np.zeros(len(problem.region_names))
    return envelope * problem.region_population / total


def balance_score(problem: AllocationProblem, amounts: Array, envelope: float) -> float:
    """The worst-off region's funding as a fraction of its per-capita share, at most 1."""
    fair = fair_shares(problem, envelope)
    counted = fair > 0
    if not counted.any():
        return 0.0
    received = problem.coverage.T @ amounts
    return float(min(1.0, np.min(received[counted] / fair[counted])))


def objective_value(
    problem: AllocationProblem, weights: ObjectiveWeights, amounts: Array, envelope: float
) -> float:
    """The weighted score of an allocation in pesos per PPA (higher is better)."""
    amounts = np.asarray(amounts, dtype=float)
    score = float(ppa_values(problem, weights) @ (amounts / problem.cost))
    if weights.balance > 0:
        score += weights.balance * problem.size * balance_score(problem, amounts, envelope)
    return score


def baseline_amounts(problem: AllocationProblem, envelope: float) -> Array:
    """Last year's amounts scaled to the envelope, never above a PPA's request."""
    total = float(problem.last_year.sum())
    if total <= 0:
        return np.zeros(problem.size)
    return np.minimum(problem.last_year * (envelope / total), problem.cost)


def needs_addressed(problem: AllocationProblem, amounts: Array) -> float:
    """Priority-weighted needs the allocation addresses (benefit in proportion to funding)."""
    return float(problem.needs_value @ (np.asarray(amounts, dtype=float) / problem.cost))


def people_reached(problem: AllocationProblem, amounts: Array) -> float:
    """People the allocation serves (in proportion to each PPA's funding)."""
    return float(problem.population @ (np.asarray(amounts, dtype=float) / problem.cost))


def votes_addressed(problem: AllocationProblem, amounts: Array) -> float:
    """Community votes the allocation addresses (in proportion to each PPA's funding)."""
    return float(problem.votes @ (np.asarray(amounts, dtype=float) / problem.cost))
