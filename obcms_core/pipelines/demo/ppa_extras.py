"""Each demo PPA's approval trail (valid state-machine steps) and its output/outcome targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from obcms_core.domain.enums import ApprovalStatus as AS
from obcms_core.domain.enums import IndicatorType
from obcms_core.domain.workflow import TRANSITIONS
from obcms_core.pipelines.demo.base import AS_OF, Ids, Row, at, streams
from obcms_core.pipelines.demo.ppas import PpaFact

PATH = (AS.DRAFT, AS.TECHNICAL_REVIEW, AS.BUDGET_REVIEW, AS.STAKEHOLDER_CONSULTATION,
        AS.EXECUTIVE_APPROVAL, AS.APPROVED, AS.ENACTED)
REJECTED_AT = (AS.TECHNICAL_REVIEW, AS.BUDGET_REVIEW, AS.EXECUTIVE_APPROVAL)
# The demo user whose role makes each move (see domain.workflow.TRANSITIONS).
MOVER = {AS.DRAFT: "planner", AS.TECHNICAL_REVIEW: "planner", AS.BUDGET_REVIEW: "budget",
         AS.STAKEHOLDER_CONSULTATION: "budget", AS.EXECUTIVE_APPROVAL: "executive",
         AS.APPROVED: "budget"}


def steps_to(status: AS, rejected_at: AS) -> list[tuple[AS, AS]]:
    """The moves that bring a new PPA from draft to `status`."""
    if status is AS.REJECTED:
        upto = PATH[: PATH.index(rejected_at) + 1]
        return [*zip(upto, upto[1:], strict=False), (rejected_at, AS.REJECTED)]
    upto = PATH[: PATH.index(status) + 1]
    return list(zip(upto, upto[1:], strict=False))


def generate_trails(ppas: Sequence[PpaFact], ids: Ids, seed: int) -> list[Row]:
    """One status-change row per workflow move, dated after the PPA was drafted."""
    rand, _ = streams(seed, "trails")
    rows: list[Row] = []
    for ppa in ppas:
        day = ppa.created
        for frm, to in steps_to(ppa.approval, REJECTED_AT[rand.randrange(3)]):
            assert (frm, to) in TRANSITIONS
            day = min(AS_OF, day + timedelta(days=rand.randint(7, 20)))
            rows.append({
                "id": ids.one("ppa_status_change"), "ppa_id": ppa.id, "from_status": frm,
                "to_status": to, "changed_by": MOVER[frm], "changed_at": at(day, 10),
                "note": "Returned with comments" if to is AS.REJECTED else None,
            })
    return rows


def generate_indicators(ppas: Sequence[PpaFact], slots: dict[int, int | None], ids: Ids,
                        seed: int) -> list[Row]:
    """An output target for every PPA and an outcome target for about half of them."""
    rand, _ = streams(seed, "indicators")
    rows: list[Row] = []
    for ppa in ppas:
        target = slots.get(ppa.id)
        if target:
            desc, unit = "Number of OBC beneficiaries served", "persons"
        else:
            desc, unit, target = "Number of facilities completed in OBC barangays", "units", \
                rand.randint(1, 12)
        rows.append({"id": ids.one("ppa_indicator"), "ppa_id": ppa.id,
                     "indicator_type": IndicatorType.OUTPUT, "description": desc,
                     "target_text": f"{target:,} {unit}", "target_value": Decimal(target),
                     "unit": unit})
        if rand.random() < 0.5:
            pct = rand.randrange(60, 95, 5)
            rows.append({"id": ids.one("ppa_indicator"), "ppa_id": ppa.id,
                         "indicator_type": IndicatorType.OUTCOME,
                         "description": "Share of target OBC households reporting improved "
                         "access to the service", "target_text": f"{pct}%",
                         "target_value": Decimal(pct), "unit": "percent"})
    return rows
