"""Quarterly coordination meetings FY2019–FY2026 and the MOAs' quarterly reports to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from obcms_core.pipelines.demo.base import (
    AS_OF,
    FIRST_FY,
    LAST_FY,
    Ids,
    Row,
    at,
    day_between,
    money,
    pick,
    streams,
)
from obcms_core.pipelines.demo.communities import Obc
from obcms_core.pipelines.demo.ppas import PpaFact
from obcms_core.pipelines.demo.snapshot import Moa
from obcms_core.pipelines.demo.texts import ACCOMPLISHMENTS, CHALLENGES, PLANS, VENUES


def generate_meetings(existing: set[tuple[int, int]], ids: Ids, seed: int) -> list[Row]:
    """One meeting a quarter, on a weekday of its last month; reports are due 14 days before."""
    rand, _ = streams(seed, "meetings")
    rows: list[Row] = []
    for fy in range(FIRST_FY, LAST_FY + 1):
        for q in range(1, 5):
            day = day_between(rand, date(fy, 3 * q, 8), date(fy, 3 * q, 24))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            if (fy, q) in existing:
                continue
            rows.append({
                "id": ids.one("coordination_meeting"), "fiscal_year": fy, "quarter": q,
                "title": f"Q{q} FY{fy} OBC inter-agency coordination meeting",
                "meeting_date": day, "pre_meeting_report_due": day - timedelta(days=14),
                "venue": pick(rand, VENUES), "is_demo": True,
            })
    return rows


def generate_reports(
    meetings: Sequence[Row], moas: Sequence[Moa], ppas: Sequence[PpaFact],
    communities: Sequence[Obc], existing: set[tuple[int, int, int]], ids: Ids, seed: int,
) -> list[Row]:
    """Reports for meetings already held; some MOAs report faithfully, some rarely, some late."""
    rand, _ = streams(seed, "reports")
    budget: dict[tuple[int, int], int] = defaultdict(int)
    for p in ppas:
        if p.org_id is not None:
            budget[(p.org_id, p.fy)] += p.obc
    provinces = sorted({c.place.province for c in communities})
    diligence = {m.id: rand.uniform(0.45, 0.95) for m in moas}
    rows: list[Row] = []
    for meeting in meetings:
        if meeting["meeting_date"] > AS_OF:
            continue
        fy, q = meeting["fiscal_year"], meeting["quarter"]
        for moa in moas:
            allocated = budget.get((moa.id, fy), 0)
            wants = rand.random() < diligence[moa.id] * (1 if allocated else 0.4)
            if not wants or (moa.id, fy, q) in existing:
                continue
            due = meeting["pre_meeting_report_due"]
            late = rand.random() < 0.15
            submitted = due + timedelta(days=rand.randint(1, 20) if late else -rand.randint(0, 10))
            reached = int(allocated / rand.uniform(3000, 15000) * q / 4) if allocated else 0
            area = pick(rand, provinces) if provinces else "OBC areas"
            rows.append({
                "id": ids.one("moa_quarterly_report"), "organization_id": moa.id,
                "meeting_id": meeting["id"], "fiscal_year": fy, "quarter": q,
                "total_budget_allocated": money(allocated * 100),
                "total_obc_beneficiaries": reached,
                "accomplishments": pick(rand, ACCOMPLISHMENTS).format(n=max(1, reached // 10),
                                                                      area=area)
                if allocated else "No OBC-specific PPA this quarter; coordination only.",
                "challenges": pick(rand, CHALLENGES), "plans_next_quarter": pick(rand, PLANS),
                "submitted_at": at(min(submitted, AS_OF), 14), "is_demo": True,
            })
    return rows
