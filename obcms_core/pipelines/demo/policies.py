"""Policy recommendations with milestones (some overdue) and links to needs and PPAs."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from obcms_core.domain.enums import MilestoneStatus as MS
from obcms_core.domain.enums import PolicyCategory, PolicyScope, Priority
from obcms_core.domain.enums import PolicyStatus as PS
from obcms_core.pipelines.demo.base import (
    AS_OF,
    LAST_FY,
    Ids,
    Row,
    at,
    day_between,
    log_uniform,
    pesos,
    pick,
    streams,
    weighted,
)
from obcms_core.pipelines.demo.catalogue import PPA_SECTOR, THEMES
from obcms_core.pipelines.demo.communities import Obc
from obcms_core.pipelines.demo.needs import NeedFact
from obcms_core.pipelines.demo.policy_texts import CATEGORY_SECTORS, POLICY_TEXTS
from obcms_core.pipelines.demo.ppas import PpaFact
from obcms_core.pipelines.demo.texts import MILESTONES, group_name

YEARS = {2019: 1.0, 2020: 1.2, 2021: 1.4, 2022: 1.6, 2023: 1.8, 2024: 2.0, 2025: 2.0}
STATUS_BY_AGE = {
    "old": {PS.IMPLEMENTED: 35, PS.IN_IMPLEMENTATION: 30, PS.APPROVED: 10, PS.REJECTED: 8,
            PS.WITHDRAWN: 5, PS.EXPIRED: 7, PS.ON_HOLD: 5},
    "mid": {PS.IN_IMPLEMENTATION: 30, PS.APPROVED: 25, PS.IMPLEMENTED: 10,
            PS.UNDER_CONSIDERATION: 10, PS.SUBMITTED: 10, PS.ON_HOLD: 5, PS.REJECTED: 5,
            PS.NEEDS_REVISION: 5},
    "new": {PS.DRAFT: 20, PS.UNDER_REVIEW: 20, PS.NEEDS_REVISION: 10, PS.SUBMITTED: 20,
            PS.UNDER_CONSIDERATION: 15, PS.APPROVED: 10, PS.IN_IMPLEMENTATION: 5},
}
ACTIVE = {PS.APPROVED, PS.IN_IMPLEMENTATION, PS.ON_HOLD}
CLOSED = {PS.REJECTED, PS.WITHDRAWN, PS.EXPIRED}
SCOPES = {PolicyScope.REGIONAL: 40, PolicyScope.PROVINCIAL: 20, PolicyScope.MUNICIPAL: 10,
          PolicyScope.BARANGAY: 5, PolicyScope.COMMUNITY: 10, PolicyScope.NATIONAL: 15}


@dataclass
class PolicyRows:
    policies: list[Row] = field(default_factory=list)
    milestones: list[Row] = field(default_factory=list)
    need_links: list[Row] = field(default_factory=list)
    ppa_links: list[Row] = field(default_factory=list)


def _area(scope: PolicyScope, obc: Obc) -> str:
    p = obc.place
    return {
        PolicyScope.NATIONAL: "Regions IX, X, XI and XII",
        PolicyScope.REGIONAL: f"Region {p.region_code}", PolicyScope.PROVINCIAL: p.province,
        PolicyScope.MUNICIPAL: f"{p.municipality}, {p.province}",
        PolicyScope.BARANGAY: f"Brgy. {p.barangay}, {p.municipality}",
        PolicyScope.COMMUNITY: f"the {group_name(obc.group)} community of Brgy. {p.barangay}",
    }[scope]


def milestones(rand: random.Random, status: PS, submitted: date, owners: Sequence[str],
               policy_id: int, ids: Ids) -> list[Row]:
    """2–6 steps; past steps of live policies are mostly done, the rest overdue."""
    count = rand.randint(2, 6)
    titles = [MILESTONES[i] for i in sorted(rand.sample(range(len(MILESTONES)), count))]
    target = submitted + timedelta(days=rand.randint(30, 120))
    rows = []
    for seq, title in enumerate(titles, 1):
        done_chance = 1.0 if status is PS.IMPLEMENTED else 0.82 if status in ACTIVE else \
            (0.7, 0.35)[seq - 1] if seq <= 2 else 0.0
        due: date | None = target
        completed, progress, state = None, 0, MS.NOT_STARTED
        if status is PS.IMPLEMENTED or (target < AS_OF and rand.random() < done_chance):
            completed = min(AS_OF, target + timedelta(days=rand.randint(-20, 30)))
            progress, state = 100, MS.COMPLETED
        elif status in CLOSED:
            due, state = None, MS.CANCELLED
        elif target < AS_OF:  # overdue: the date passed and the step is not done
            progress, state = rand.randrange(10, 85, 5), weighted(rand, {MS.DELAYED: 6,
                                                                         MS.IN_PROGRESS: 4})
        elif status in ACTIVE and rand.random() < 0.4:
            progress, state = rand.randrange(10, 55, 5), MS.IN_PROGRESS
        rows.append({"id": ids.one("policy_milestone"), "policy_id": policy_id,
                     "sequence": seq, "title": title, "target_date": due,
                     "completed_on": completed, "progress": progress, "status": state,
                     "responsible_party": pick(rand, owners)})
        target += timedelta(days=rand.randint(45, 150))
    return rows


def generate_policies(
    n: int, communities: Sequence[Obc], needs: Sequence[NeedFact], ppas: Sequence[PpaFact],
    moa_acronyms: Sequence[str], ids: Ids, seed: int,
) -> PolicyRows:
    """Policies numbered OOBC-PR-<year>-<nnnn>, each tied to needs and, once approved, PPAs."""
    rand, _ = streams(seed, "policies")
    out = PolicyRows()
    needs_by: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for nf in needs:
        sector = THEMES[nf.theme].sector
        needs_by[(nf.community.place.region_id, sector)].append(nf.id)
        needs_by[(None, sector)].append(nf.id)
    ppas_by: dict[tuple[int, str], list[int]] = defaultdict(list)
    for p in ppas:
        ppas_by[(p.fy, p.sector)].append(p.id)
        ppas_by[(p.fy, "")].append(p.id)
    seq: Counter[int] = Counter()
    years = sorted(weighted(rand, YEARS) for _ in range(n))
    for year in years:
        pid = ids.one("policy_recommendation")
        seq[year] += 1
        submitted = day_between(rand, date(year, 1, 10), min(date(year, 12, 15), AS_OF))
        category = rand.choice(list(PolicyCategory))
        age = "old" if year <= 2021 else "mid" if year <= 2023 else "new"
        status = weighted(rand, STATUS_BY_AGE[age])
        scope = weighted(rand, SCOPES)
        obc = pick(rand, communities)
        titles, problems, solutions = POLICY_TEXTS[category]
        area = _area(scope, obc)
        out.policies.append({
            "id": pid, "reference_number": f"OOBC-PR-{year}-{seq[year]:04d}",
            "title": pick(rand, titles).format(area=area)[:250], "category": category,
            "scope": scope, "status": status,
            "priority": weighted(rand, {Priority.LOW: 10, Priority.MEDIUM: 35, Priority.HIGH: 35,
                                        Priority.URGENT: 12, Priority.CRITICAL: 8}),
            "problem_statement": pick(rand, problems).format(area=area),
            "proposed_solution": pick(rand, solutions),
            "estimated_cost": Decimal(pesos(log_uniform(rand, 2e6, 2.5e8)))
            if rand.random() < 0.8 else None,
            "region_id": None if scope is PolicyScope.NATIONAL else obc.place.region_id,
            "submitted_on": submitted, "is_demo": True,
            "created_at": at(submitted), "updated_at": at(min(AS_OF, submitted + timedelta(60))),
        })
        owners = ("OOBC Policy and Planning Division", pick(rand, moa_acronyms),
                  f"LGU of {obc.place.municipality}",
                  f"OOBC field office, Region {obc.place.region_code}")
        out.milestones += milestones(rand, status, submitted, owners, pid, ids)
        region = None if scope is PolicyScope.NATIONAL else obc.place.region_id
        linked: set[int] = set()
        for _ in range(rand.randint(1, 8)):
            sector = pick(rand, CATEGORY_SECTORS[category])
            pool = needs_by.get((region, sector)) or needs_by.get((None, sector))
            if pool:
                linked.add(pool[rand.randrange(len(pool))])
        out.need_links += [{"policy_id": pid, "need_id": i} for i in sorted(linked)]
        if status in ACTIVE or status is PS.IMPLEMENTED:
            chosen: set[int] = set()
            for _ in range(rand.randint(1, 3)):
                fy = rand.randint(min(year + 1, LAST_FY), min(year + 3, LAST_FY))
                ppa_sector = PPA_SECTOR[pick(rand, CATEGORY_SECTORS[category])]
                pool = ppas_by.get((fy, ppa_sector)) or ppas_by.get((fy, ""))
                if pool:
                    chosen.add(pool[rand.randrange(len(pool))])
            out.ppa_links += [{"policy_id": pid, "ppa_id": i,
                               "note": f"Carries out recommendation OOBC-PR-{year}-{seq[year]:04d}"}
                              for i in sorted(chosen)]
    return out
