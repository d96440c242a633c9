"""Allotments, obligations and disbursements per quarter for enacted demo PPAs."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from obcms_core.domain.enums import ApprovalStatus, FlowType, ImplementationStatus
from obcms_core.pipelines.demo.base import (
    AS_OF,
    CURRENT_FY,
    Ids,
    Row,
    day_between,
    money,
    quarter_bounds,
    split_integer,
    streams,
)
from obcms_core.pipelines.demo.ppas import PpaFact

# Share of obligations already paid out, by how long ago the fiscal year closed.
DISBURSED = {2023: (0.85, 0.98), 2024: (0.70, 0.95), CURRENT_FY: (0.30, 0.70)}


def _in_quarter(rand: random.Random, fy: int, quarter: int) -> date:
    start, end = quarter_bounds(fy, quarter)
    end = min(end, AS_OF)
    return day_between(rand, min(start, end), end)


def _rates(rand: random.Random, ppa: PpaFact) -> tuple[float, float, float]:
    """(released share of the allocation, obligated share of allotments, disbursed share)."""
    if ppa.status is ImplementationStatus.CANCELLED:
        return rand.uniform(0.3, 0.7), rand.uniform(0.1, 0.4), rand.uniform(0.5, 1.0)
    if ppa.fy == CURRENT_FY:
        return rand.uniform(0.75, 1.0), rand.uniform(0.35, 0.75), rand.uniform(*DISBURSED[ppa.fy])
    released = 1.0 if rand.random() < 0.9 else rand.uniform(0.9, 1.0)
    obligated = min(0.98, max(0.60, rand.gauss(0.88 if ppa.fy < 2024 else 0.84, 0.07)))
    return released, obligated, rand.uniform(*DISBURSED.get(ppa.fy, (0.90, 1.0)))


def _flow(ids: Ids, ppa: PpaFact, kind: FlowType, centavos: int, day: date,
          remarks: str | None = None) -> Row:
    return {"id": ids.one("funding_flow"), "ppa_id": ppa.id, "flow_type": kind,
            "amount": money(centavos), "appropriation_class": ppa.appropriation,
            "flow_date": day, "remarks": remarks, "is_demo": True}


def generate_flows(ppas: Sequence[PpaFact], ids: Ids, seed: int) -> list[Row]:
    """Flows whose totals respect allocation ≥ allotments ≥ obligations ≥ disbursements."""
    rand, _ = streams(seed, "funding")
    rows: list[Row] = []
    saro = 0
    for ppa in ppas:
        if ppa.approval is not ApprovalStatus.ENACTED or ppa.fy > CURRENT_FY:
            continue
        released, obligated, disbursed = _rates(rand, ppa)
        allotted = int(ppa.allocation * 100 * released)
        obliged = int(allotted * obligated)
        paid = int(obliged * disbursed)
        # Allotments are released in the first quarters; dates never pass the demo's today.
        for k, part in enumerate(split_integer(rand, allotted, rand.randint(1, 3)), 1):
            saro += 1
            day = _in_quarter(rand, ppa.fy, k)
            rows.append(_flow(ids, ppa, FlowType.ALLOTMENT, part, day, f"SARO-{ppa.fy}-{saro:05d}"))
        for q, part in enumerate(split_integer(rand, obliged, 4), 1):
            rows.append(_flow(ids, ppa, FlowType.OBLIGATION, part, _in_quarter(rand, ppa.fy, q)))
        for q, part in enumerate(split_integer(rand, paid, 3), 2):
            rows.append(_flow(ids, ppa, FlowType.DISBURSEMENT, part, _in_quarter(rand, ppa.fy, q)))
        if ppa.fy < CURRENT_FY and allotted > obliged and rand.random() < 0.05:
            rows.append(_flow(ids, ppa, FlowType.ADJUSTMENT, -(allotted - obliged),
                              date(ppa.fy, 12, 31), "Reversion of unobligated allotment"))
    return rows
