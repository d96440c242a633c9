"""Shared pieces of the demo generator: the demo's fixed 'today', random streams, ids, money."""

from __future__ import annotations

import random
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np

# The demo describes the office as of this day (FY2025 in execution, FY2026 in preparation).
# A fixed date keeps the data identical whenever it is generated; the clock is never read.
AS_OF = date(2025, 10, 31)
FIRST_FY = 2019
LAST_FY = 2026
CURRENT_FY = 2025
MAX_SCALE = 50.0
NEEDS_REFERENCE = "Load the reference data first: python -m obcms_core load-reference"

Row = dict[str, Any]
T = TypeVar("T")


def streams(seed: int, area: str) -> tuple[random.Random, np.random.Generator]:
    """Independent random streams per area, so changing one area never shifts another."""
    key = zlib.crc32(area.encode())
    return random.Random(f"{seed}:{area}"), np.random.default_rng([seed % 2**63, key])


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, each equally likely."""
    # random() is a single C call; randrange() costs several Python frames per draw.
    return items[int(rng.random() * len(items))]


def integer(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high] (a quicker randint for hot loops)."""
    return low + int(rng.random() * (high - low + 1))


def weighted(rng: random.Random, table: Mapping[T, float]) -> T:
    """One key of `table`, drawn with the given relative weights."""
    return rng.choices(list(table), weights=list(table.values()))[0]


def day_between(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end]; `start` when the range is empty."""
    span = (end - start).days
    return start if span <= 0 else start + timedelta(days=integer(rng, 0, span))


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A timestamp on `day` (UTC) for created/linked/changed columns."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def quarter_bounds(fy: int, quarter: int) -> tuple[date, date]:
    """First and last day of a fiscal quarter (the fiscal year is the calendar year)."""
    start = date(fy, 3 * quarter - 2, 1)
    end = date(fy + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def pesos(amount: float | int, step: int = 1000) -> int:
    """A whole-peso amount rounded to `step` pesos (budget lines are round figures)."""
    return max(step, int(round(float(amount) / step)) * step)


def money(centavos: int) -> Decimal:
    """An exact peso Decimal from integer centavos."""
    return Decimal(int(centavos)).scaleb(-2)


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """Amounts spread evenly in orders of magnitude (many small, few large)."""
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def split_integer(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` non-negative integers that add up exactly."""
    if parts <= 1:
        return [total]
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = sum(weights)
    shares = [int(total * w / scale) for w in weights]
    shares[0] += total - sum(shares)
    return shares


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind a scale asks for."""

    scale: float
    communities: int
    communities_wanted: int
    needs: int
    ppas_per_year: int
    policies: int
    offerings: int

    @property
    def communities_capped(self) -> bool:
        """Whether fewer barangays were free than the scale asked for."""
        return self.communities < self.communities_wanted


def make_plan(scale: float, barangays_available: int) -> Plan:
    """Scale 1 = 1,500 communities, 5,000 needs, 60 PPAs a year, 300 policies, 130 offerings."""
    wanted = max(1, round(1500 * scale))
    return Plan(
        scale=scale,
        communities=min(wanted, barangays_available),
        communities_wanted=wanted,
        needs=max(1, round(5000 * scale)),
        ppas_per_year=max(2, round(60 * scale)),
        policies=max(1, round(300 * scale)),
        offerings=max(1, round(130 * scale)),
    )


class Ids:
    """Hands out explicit primary keys after the highest one already in each table."""

    def __init__(self, next_ids: dict[str, int]) -> None:
        self._next = dict(next_ids)

    def take(self, table: str, count: int) -> range:
        """The next `count` ids of a table."""
        start = self._next.get(table, 1)
        self._next[table] = start + count
        return range(start, start + count)

    def one(self, table: str) -> int:
        """The next id of a table."""
        return self.take(table, 1)[0]
