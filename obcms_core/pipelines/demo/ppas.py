"""PPAs for FY2019–FY2026: MOA programmes, OOBC programmes and funded community requests."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from obcms_core.domain.enums import AppropriationClass as AC
from obcms_core.domain.enums import ApprovalStatus as AS
from obcms_core.domain.enums import FundingSource as FS
from obcms_core.domain.enums import ImplementationStatus as IS
from obcms_core.domain.enums import PPAKind, PPASector
from obcms_core.pipelines.demo.base import (
    FIRST_FY,
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
from obcms_core.pipelines.demo.snapshot import Moa
from obcms_core.pipelines.demo.texts import OOBC_PROGRAMS

SOURCES = {FS.GAAB: 70, FS.SDF: 8, FS.TDIF: 7, FS.SUPPLEMENTAL_BUDGET: 4, FS.NATIONAL: 4,
           FS.ODA: 4, FS.LGU: 2, FS.OTHER: 1}
# FY2026 is being prepared as of the demo date, so its PPAs sit at every workflow step.
FY2026_APPROVAL = {AS.DRAFT: 15, AS.TECHNICAL_REVIEW: 18, AS.BUDGET_REVIEW: 20,
                   AS.STAKEHOLDER_CONSULTATION: 12, AS.EXECUTIVE_APPROVAL: 12, AS.APPROVED: 15,
                   AS.REJECTED: 8}
IMPLEMENTATION = {
    2022: {IS.COMPLETED: 92, IS.CANCELLED: 3, IS.ONGOING: 5},
    2023: {IS.COMPLETED: 80, IS.ONGOING: 17, IS.ON_HOLD: 3},
    2024: {IS.COMPLETED: 55, IS.ONGOING: 40, IS.ON_HOLD: 5},
    2025: {IS.ONGOING: 75, IS.PLANNING: 20, IS.ON_HOLD: 5},
    2026: {IS.PLANNING: 100},
}


@dataclass
class PpaFact:
    id: int
    fy: int
    kind: PPAKind
    theme: int | None
    sector: PPASector
    org_id: int | None
    approval: AS
    status: IS
    allocation: int
    obc: int
    appropriation: AC
    created: date
    need_id: int | None = None
    region_ids: list[int] = field(default_factory=list)


def _amounts(rand: random.Random, kind: PPAKind, fy: int, theme: int | None,
             need: NeedFact | None) -> tuple[int, int, int]:
    """Ceiling ≥ allocation ≥ OBC share, in round thousands of pesos."""
    growth = 1 + 0.05 * (fy - FIRST_FY)
    if kind is PPAKind.COMMUNITY_REQUEST and need is not None:
        base = (need.cost or THEMES[need.theme].cost[1]) * rand.uniform(0.9, 1.15)
        share = 1.0
    elif kind is PPAKind.OOBC_PPA:
        base, share = log_uniform(rand, 1_500_000, 25_000_000) * growth, rand.uniform(0.9, 1)
    else:
        infra = theme is not None and THEMES[theme].appropriation is AC.CO
        base = log_uniform(rand, 8_000_000, 120_000_000) * growth * (1.5 if infra else 1)
        share = rand.uniform(0.08, 0.45)
    allocation = pesos(base)
    ceiling = allocation + 1000 * round(allocation * rand.uniform(0, 0.2) / 1000)
    obc = max(1000, 1000 * int(allocation * share // 1000))
    return ceiling, allocation, obc


def _coverage(rand: random.Random, kind: PPAKind, need: NeedFact | None,
              by_region: dict[int, list[int]]) -> list[tuple[int, int | None, int | None]]:
    """(region, province, municipality) areas; a community request covers its own town."""
    if need is not None:
        p = need.community.place
        return [(p.region_id, p.province_id, p.municipality_id)]
    regions = sorted(by_region)
    count = len(regions) if kind is PPAKind.OOBC_PPA and rand.random() < 0.6 else rand.randint(1, 3)
    chosen = rand.sample(regions, min(count, len(regions)))
    areas: list[tuple[int, int | None, int | None]] = []
    for region in sorted(chosen):
        if kind is PPAKind.OOBC_PPA or rand.random() < 0.5:
            areas.append((region, None, None))
            continue
        provinces = by_region[region]
        for prov in rand.sample(provinces, min(len(provinces), rand.randint(1, 2))):
            areas.append((region, prov, None))
    return areas


def _area_name(areas: list[tuple[int, int | None, int | None]], names: dict[int, str],
               regions: dict[int, tuple[str, str]]) -> str:
    region_ids = sorted({a[0] for a in areas})
    codes = [regions[r][0] for r in region_ids]
    if len(areas) == 1 and areas[0][1] is not None:
        return names.get(areas[0][1], f"Region {codes[0]}")
    if len(codes) == 1:
        return f"Region {codes[0]}"
    return "Regions " + ", ".join(codes[:-1]) + " and " + codes[-1]


def generate_ppas(
    per_year: int, needs: Sequence[NeedFact], communities: Sequence[Obc], moas: Sequence[Moa],
    regions: dict[int, tuple[str, str]], ids: Ids, seed: int,
) -> tuple[list[Row], list[Row], list[PpaFact]]:
    """PPA rows, coverage rows and facts; community requests each fund one need in full."""
    rand, _ = streams(seed, "ppas")
    by_region: dict[int, set[int]] = {}
    for c in communities:
        by_region.setdefault(c.place.region_id, set()).add(c.place.province_id)
    provinces = {region: sorted(provs) for region, provs in by_region.items()}
    province_names = {c.place.province_id: c.place.province for c in communities}
    oobc = next((m for m in moas if m.acronym == "OOBC"), None)
    by_acronym = {m.acronym: m for m in moas}
    theme_freq = {i: t.frequency for i, t in enumerate(THEMES)}
    used: set[int] = set()
    rows: list[Row] = []
    coverage: list[Row] = []
    facts: list[PpaFact] = []
    seq: Counter[str] = Counter()
    for fy in range(FIRST_FY, LAST_FY + 1):
        requests = [n for n in needs if n.community_submitted and n.id not in used
                    and fy in n.fiscal_years()]
        rand.shuffle(requests)
        n_req = min(len(requests), round(0.15 * per_year))
        n_oobc = round(0.2 * per_year) if oobc else 0
        kinds = [PPAKind.COMMUNITY_REQUEST] * n_req + [PPAKind.OOBC_PPA] * n_oobc
        kinds += [PPAKind.MOA_PPA] * (per_year - len(kinds))
        for kind in kinds:
            need = None
            theme: int | None = None
            if kind is PPAKind.COMMUNITY_REQUEST:
                need = requests.pop()
                used.add(need.id)
                theme = need.theme
            elif kind is PPAKind.MOA_PPA:
                theme = weighted(rand, theme_freq)
            t = THEMES[theme] if theme is not None else None
            if kind is PPAKind.OOBC_PPA:
                org, program = oobc, pick(rand, OOBC_PROGRAMS)
                sector = PPASector.SOCIAL if "caravan" in program or "crisis" in program \
                    else PPASector.GOVERNANCE
                appropriation = weighted(rand, {AC.MOOE: 85, AC.PS: 10, AC.CO: 5})
            else:
                assert t is not None
                options = [by_acronym[a] for a in t.moas if a in by_acronym and a != "OOBC"]
                org = pick(rand, options) if options else pick(rand, moas)
                program, sector = pick(rand, t.programs), PPA_SECTOR[t.sector]
                appropriation = t.appropriation if rand.random() < 0.85 else AC.MOOE
            areas = _coverage(rand, kind, need, provinces)
            if kind is PPAKind.COMMUNITY_REQUEST and need is not None:
                title = f"Community request: {need_title(need)}"
            else:
                title = f"{program} – {_area_name(areas, province_names, regions)}"
            ceiling, allocation, obc = _amounts(rand, kind, fy, theme, need)
            approval = AS.ENACTED if fy < LAST_FY else weighted(rand, FY2026_APPROVAL)
            status = IS.CANCELLED if approval is AS.REJECTED else \
                weighted(rand, IMPLEMENTATION[max(2022, fy)])
            created = day_between(rand, date(fy - 1, 3, 1), date(fy - 1, 9, 30))
            start = day_between(rand, date(fy, 1, 15), date(fy, 6, 30))
            prefix = org.acronym if org and kind is not PPAKind.COMMUNITY_REQUEST else "CR"
            seq[prefix] += 1
            slots = (t.slots if t else True) and rand.random() < 0.9
            total = rand.randint(30, 3000) if slots else None
            tags = t.tags if t else "gps"
            ppa_id = ids.one("ppa")
            rows.append({
                "id": ppa_id, "code": f"DEMO-{fy}-{prefix}-{seq[prefix]:04d}", "title": title,
                "description": f"Part of the programme '{program}', FY{fy}, implemented by "
                f"{org.name if org else 'the host LGU'}. Generated demo record, not real.",
                "kind": kind, "implementing_org_id": org.id if org else None, "sector": sector,
                "appropriation_class": appropriation, "funding_source": weighted(rand, SOURCES),
                "fiscal_year": fy, "budget_ceiling": Decimal(ceiling),
                "budget_allocation": Decimal(allocation), "obc_allocation": Decimal(obc),
                "total_slots": total,
                "obc_slots": None if total is None else max(1, int(total * obc / allocation)),
                "compliance_gad": rand.random() < (0.6 if "g" in tags else 0.1),
                "compliance_climate": rand.random() < (0.5 if "c" in tags else 0.05),
                "compliance_ip": rand.random() < (0.5 if "i" in tags else 0.05),
                "compliance_peace": rand.random() < (0.6 if "p" in tags else 0.15),
                "compliance_sdg": rand.random() < (0.8 if "s" in tags else 0.3),
                "approval_status": approval, "status": status, "start_date": start,
                "target_end_date": start + timedelta(days=rand.randint(90, 540)),
                "is_baseline": False, "is_demo": True,
                "created_at": at(created), "updated_at": at(created + timedelta(days=90)),
            })
            for region, prov, muni in areas:
                coverage.append({"id": ids.one("ppa_coverage"), "ppa_id": ppa_id,
                                 "region_id": region, "province_id": prov,
                                 "municipality_id": muni})
            facts.append(PpaFact(ppa_id, fy, kind, theme, sector, org.id if org else None,
                                 approval, status, allocation, obc, appropriation, created,
                                 need.id if need else None, sorted({a[0] for a in areas})))
    return rows, coverage, facts


def need_title(need: NeedFact) -> str:
    """The funded need's category and place, as a short PPA title."""
    place = need.community.place
    return f"{THEMES[need.theme].name}, Brgy. {place.barangay}, {place.municipality}"
