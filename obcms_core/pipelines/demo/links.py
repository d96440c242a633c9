"""Which PPA funds which need: every planned or running need, about 4 in 10 validated ones."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from obcms_core.domain.enums import ApprovalStatus, NeedStatus
from obcms_core.pipelines.demo.base import AS_OF, Row, at, day_between, streams
from obcms_core.pipelines.demo.catalogue import PPA_SECTOR, THEMES
from obcms_core.pipelines.demo.needs import NeedFact
from obcms_core.pipelines.demo.ppas import PpaFact

ALWAYS_FUNDED = {NeedStatus.PLANNED, NeedStatus.IN_PROGRESS, NeedStatus.COMPLETED}
SOMETIMES_FUNDED = {NeedStatus.VALIDATED, NeedStatus.PRIORITIZED}
FUNDED_SHARE = 0.42


class PpaIndex:
    """Non-rejected PPAs by year and category, by year and sector, and by year."""

    def __init__(self, ppas: Sequence[PpaFact]) -> None:
        self.by_theme: dict[tuple[int, int], list[PpaFact]] = defaultdict(list)
        self.by_sector: dict[tuple[int, str], list[PpaFact]] = defaultdict(list)
        self.by_year: dict[int, list[PpaFact]] = defaultdict(list)
        for p in ppas:
            if p.approval is ApprovalStatus.REJECTED:
                continue
            if p.theme is not None:
                self.by_theme[(p.fy, p.theme)].append(p)
            self.by_sector[(p.fy, p.sector)].append(p)
            self.by_year[p.fy].append(p)

    def candidates(self, fy: int, need: NeedFact) -> list[PpaFact]:
        """PPAs of that year for the need's category, else its sector, else any."""
        sector = PPA_SECTOR[THEMES[need.theme].sector]
        return (self.by_theme.get((fy, need.theme)) or self.by_sector.get((fy, sector))
                or self.by_year.get(fy) or [])


def _included_on(rand: random.Random, fy: int, submitted: date) -> date:
    """The day the need entered a budget: during the preparation of that fiscal year's budget."""
    day = day_between(rand, date(fy - 1, 6, 1), date(fy - 1, 10, 31))
    if day <= submitted:
        day = submitted + timedelta(days=rand.randint(7, 60))
    return min(day, AS_OF)


def generate_need_links(
    needs: Sequence[NeedFact], need_rows: list[Row], ppas: Sequence[PpaFact], seed: int
) -> list[Row]:
    """Link rows with shares; fills each funded need's budget_included_on."""
    rand, _ = streams(seed, "need_links")
    index = PpaIndex(ppas)
    requested = {p.need_id: p for p in ppas if p.need_id is not None}
    rows: list[Row] = []
    for need in needs:
        first: PpaFact | None = requested.get(need.id)
        share = Decimal(1)
        if first is None:
            funded = need.status in ALWAYS_FUNDED or (
                need.status in SOMETIMES_FUNDED and rand.random() < FUNDED_SHARE
            )
            years = list(need.fiscal_years())
            rand.shuffle(years)
            options = next((c for fy in years if (c := index.candidates(fy, need))), [])
            if not funded or not options:
                continue
            first = options[rand.randrange(len(options))]
            if rand.random() >= 0.6:
                share = Decimal(rand.randrange(30, 96, 5)) / 100
        picks = [(first, share)]
        spare = Decimal(1) - share
        if spare > 0 and rand.random() < 0.25:
            others = [p for p in index.candidates(first.fy, need) if p.id != first.id]
            if others:
                picks.append((others[rand.randrange(len(others))], spare))
        included = _included_on(rand, first.fy, need.submitted_on)
        for ppa, part in picks:
            rows.append({"need_id": need.id, "ppa_id": ppa.id, "share": part,
                         "linked_on": at(included, 11), "linked_by": "planner"})
        row = need_rows[need.index]
        row["budget_included_on"] = included
        row["updated_at"] = max(row["updated_at"], at(included, 11))
    return rows
