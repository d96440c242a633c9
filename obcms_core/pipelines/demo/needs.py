"""Needs raised by OBC communities, with believable wording, figures, pathway and status."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from obcms_core.domain.enums import EthnolinguisticGroup as G
from obcms_core.domain.enums import Feasibility, NeedStatus, SubmissionType, Urgency
from obcms_core.domain.rules import priority_score
from obcms_core.pipelines.demo.base import (
    AS_OF,
    FIRST_FY,
    LAST_FY,
    Row,
    at,
    day_between,
    integer,
    log_uniform,
    pesos,
    pick,
)
from obcms_core.pipelines.demo.base import streams as make_streams
from obcms_core.pipelines.demo.catalogue import THEMES, Theme
from obcms_core.pipelines.demo.communities import Obc
from obcms_core.pipelines.demo.snapshot import Moa
from obcms_core.pipelines.demo.texts import SITIOS, SUBMITTER_ROLES, full_name, group_name

ST = NeedStatus
STATUS_SHARE = {ST.IDENTIFIED: 0.18, ST.VALIDATED: 0.20, ST.PRIORITIZED: 0.17, ST.PLANNED: 0.12,
                ST.IN_PROGRESS: 0.10, ST.COMPLETED: 0.11, ST.DEFERRED: 0.07, ST.REJECTED: 0.05}
# Older needs are further along: a completed need was raised years before one just identified.
SUBMITTED = {
    ST.COMPLETED: (date(2018, 1, 8), date(2023, 6, 30)),
    ST.IN_PROGRESS: (date(2021, 7, 1), date(2024, 9, 30)),
    ST.PLANNED: (date(2022, 7, 1), date(2025, 6, 30)),
    ST.VALIDATED: (date(2023, 1, 2), date(2025, 9, 30)),
    ST.PRIORITIZED: (date(2023, 1, 2), date(2025, 9, 30)),
    ST.IDENTIFIED: (date(2024, 6, 3), AS_OF),
    ST.DEFERRED: (date(2019, 1, 7), date(2025, 6, 30)),
    ST.REJECTED: (date(2019, 1, 7), date(2025, 6, 30)),
}
FORWARD_CHANCE = {ST.IDENTIFIED: 0.05, ST.VALIDATED: 0.6, ST.PRIORITIZED: 0.7, ST.PLANNED: 0.95,
                  ST.IN_PROGRESS: 0.97, ST.COMPLETED: 0.97, ST.DEFERRED: 0.3, ST.REJECTED: 0.1}
FEASIBILITY = (Feasibility.VERY_LOW, Feasibility.LOW, Feasibility.MEDIUM, Feasibility.HIGH,
               Feasibility.VERY_HIGH)
SEAFARING = {G.SAMA, G.BADJAO, G.TAUSUG, G.SANGIL, G.IRANUN, G.JAMA_MAPUN, G.MOLBOG}
COASTAL_THEMES = {"Fishing boats and gear", "Mangrove rehabilitation and coastal protection"}
ACCESS_FACTOR = (0.3, 0.6, 1.0, 2.0, 3.0)  # by access rating, excellent … none


@dataclass(frozen=True)
class NeedFact:
    id: int
    index: int  # position in the row list
    community: Obc
    theme: int
    status: NeedStatus
    submitted_on: date
    cost: int | None
    community_submitted: bool

    def fiscal_years(self) -> range:
        """The fiscal years whose budget could fund this need, given its status and age."""
        y, st = self.submitted_on.year, self.status
        if st is ST.COMPLETED:
            return range(max(FIRST_FY, y + 1), 2025)
        if st is ST.IN_PROGRESS:
            return range(max(2023, y + 1), 2026)
        if st is ST.PLANNED:
            return range(max(2025, y + 1), LAST_FY + 1)
        if st in (ST.VALIDATED, ST.PRIORITIZED):
            return range(LAST_FY, LAST_FY + 1)
        return range(0)


def theme_weights(obc: Obc) -> np.ndarray:
    """How likely each category is for this community: poor access makes a need common."""
    seafaring = obc.group in SEAFARING
    weights = []
    for theme in THEMES:
        w = theme.frequency
        if theme.access:
            w *= ACCESS_FACTOR[obc.access[theme.access]]
        if theme.name in COASTAL_THEMES:
            w *= 2.0 if seafaring else 0.4
        weights.append(w)
    arr = np.array(weights)
    return arr / arr.sum()


URGENCY_BY_SCORE = (Urgency.LONG_TERM, Urgency.MEDIUM_TERM, Urgency.SHORT_TERM, Urgency.IMMEDIATE)


def _figures(communities: Sequence[Obc], chosen: np.ndarray,
             rng: np.random.Generator) -> dict[str, list[int]]:
    """Severity, urgency, feasibility and reach of every need at once (poorer = more severe)."""
    n = len(chosen)
    band = np.array([max(c.band, 1) for c in communities])[chosen]
    population = np.array([c.population for c in communities])[chosen]
    severity = np.clip(np.round(2.4 + 0.35 * band + rng.normal(0, 0.9, n)), 1, 5)
    urgency = np.digitize(severity + rng.normal(0, 1, n), [2.2, 3.3, 4.5])
    feasibility = rng.choice(5, size=n, p=[0.05, 0.15, 0.35, 0.3, 0.15])
    affected = np.clip(np.round(population * rng.beta(2, 2.5, n)),
                       np.minimum(population, 8), population)
    households = np.clip(np.round(affected / rng.uniform(4.6, 5.6, n)), 1, np.maximum(affected, 1))
    return {k: v.astype(int).tolist() for k, v in (
        ("severity", severity), ("urgency", urgency), ("feasibility", feasibility),
        ("affected", affected), ("households", households))}


def describe(theme: Theme, obc: Obc, households: int, rand: random.Random) -> tuple[str, str]:
    """A title naming the place and a three-sentence description."""
    values = {
        "sitio": pick(rand, SITIOS), "brgy": obc.place.barangay, "muni": obc.place.municipality,
        "group": group_name(obc.group), "hh": households,
        "km": f"{rand.uniform(0.8, 8.5):.1f}", "n": integer(rand, 15, 30),
        "taps": integer(rand, 4, 12),
        "n2": max(5, households // integer(rand, 1, 3)), "ha": integer(rand, 2, 25),
    }
    title = pick(rand, theme.titles).format(**values)
    text = " ".join((pick(rand, theme.problems), pick(rand, theme.asks))).format(**values)
    confirmed = f"The need was confirmed with {obc.place.municipality} LGU and OBC leaders."
    return title[:250], f"{text} {confirmed}"


def generate_needs(
    communities: Sequence[Obc], n: int, ids: range, categories: dict[str, tuple[int, str]],
    moas: Sequence[Moa], staff: Sequence[str], seed: int,
) -> tuple[list[Row], list[NeedFact]]:
    """Rows for the need table (priority scores by the domain rule) and facts for linking."""
    rand, rng = make_streams(seed, "needs")
    reach = np.array([c.population**0.5 * (1 + 0.3 * max(c.band, 0)) for c in communities])
    chosen = rng.choice(len(communities), size=n, p=reach / reach.sum())
    statuses = list(STATUS_SHARE)
    status_idx = rng.choice(len(statuses), size=n, p=list(STATUS_SHARE.values()))
    cdfs = np.array([np.cumsum(theme_weights(c)) for c in communities])
    draws = rng.random(n)
    theme_idx = (draws[:, None] > cdfs[chosen]).sum(axis=1).clip(0, len(THEMES) - 1)
    figures = _figures(communities, chosen, rng)
    by_acronym = {m.acronym: m for m in moas}
    rows: list[Row] = []
    facts: list[NeedFact] = []
    for i, need_id in enumerate(ids):
        obc = communities[chosen[i]]
        theme = THEMES[theme_idx[i]]
        status = statuses[status_idx[i]]
        submitted = day_between(rand, *SUBMITTED[status])
        severity, affected = figures["severity"][i], figures["affected"][i]
        households = figures["households"][i]
        urgency = URGENCY_BY_SCORE[figures["urgency"][i]]
        feasibility = FEASIBILITY[figures["feasibility"][i]]
        cost = None if rand.random() < 0.03 else pesos(log_uniform(rand, *theme.cost))
        category_id, weight = categories[theme.name]
        assessed = rand.random() < 0.6
        forwarded_to = forwarded_on = forwarded_by = None
        if rand.random() < FORWARD_CHANCE[status]:
            options = [by_acronym[a] for a in theme.moas if a in by_acronym and a != "OOBC"]
            forwarded_to = (pick(rand, options) if options else pick(rand, moas)).id
            forwarded_on = min(AS_OF, submitted + timedelta(days=integer(rand, 14, 120)))
            forwarded_by = pick(rand, staff)
        title, description = describe(theme, obc, households, rand)
        rows.append({
            "id": need_id, "title": title, "description": description,
            "community_id": obc.id, "category_id": category_id,
            "affected_population": affected, "affected_households": households,
            "urgency": urgency, "severity": severity, "feasibility": feasibility,
            "estimated_cost": Decimal(cost) if cost is not None else None, "status": status,
            "priority_score": priority_score(urgency, severity, feasibility, affected, weight),
            "submission_type": SubmissionType.ASSESSMENT_DRIVEN if assessed
            else SubmissionType.COMMUNITY_SUBMITTED,
            "submitted_by": f"OOBC MANA team, Region {obc.place.region_code}" if assessed
            else f"{full_name(rand, 0.95)} ({pick(rand, SUBMITTER_ROLES)})",
            "submitted_on": submitted, "forwarded_to_id": forwarded_to,
            "forwarded_on": forwarded_on, "forwarded_by": forwarded_by,
            "budget_included_on": None, "is_demo": True,
            "created_at": at(submitted), "updated_at": at(forwarded_on or submitted, 15),
        })
        facts.append(
            NeedFact(need_id, i, obc, int(theme_idx[i]), status, submitted, cost, not assessed)
        )
    return rows, facts
