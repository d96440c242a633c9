"""A small hand-built world for the evidence dashboards, so that every figure can be worked out.

Places (OBC population of each community in brackets):
    Region IX  – Zamboanga del Sur: Pagadian City: Balangasan (4,000)
               – Zamboanga del Norte: Dipolog City: Miputak (2,000)
    Region X   – Lanao del Norte: Tubod: Barakanas (900)
    Region XII – Cotabato: Pikit: Fort Pikit (1,200), Inug-ug (800); Kabacan: Kayaga (1,500)

PPAs (allocation; flows: allotment / adjustment / obligation / disbursement; regions covered):
    MOH-2024-01   FY2024 enacted   4,000,000; 4,000,000 / – / 3,000,000 / 2,500,000; IX
    MPW-2025-01   FY2025 enacted  10,000,000; 8,000,000 / −500,000 / 6,000,000 / 3,000,000; IX, XII
    MBHTE-2025-02 FY2025 enacted   5,000,000; 5,000,000 / – / 4,000,000 / 1,000,000; IX
    MOH-2025-03   FY2025 rejected  2,000,000; no flows; X
    MPW-2026-01   FY2026 draft     6,000,000; no flows; XII

Needs: see NEEDS (key, title, barangay, category, status, urgency, cost, people, priority score,
submitted on, links as (PPA code, share)). N12 was forwarded to MBHTE on 2025-01-05 by "planner".
Policies: see POLICIES (milestones as (target date, completed on, status)).

Organisations: the MOAs MOH, MPW, MBHTE, MAFAR (active) and MSSD (inactive), and an LGU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    FundingFlow,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    Organization,
    PolicyMilestone,
    PolicyRecommendation,
    PPACoverage,
    Province,
    Region,
)
from obcms_core.domain.enums import (
    AccessRating,
    AppropriationClass,
    ApprovalStatus,
    EthnolinguisticGroup,
    Feasibility,
    FlowType,
    FundingSource,
    MilestoneStatus,
    NeedSector,
    NeedStatus,
    OrgType,
    PolicyCategory,
    PolicyScope,
    PolicyStatus,
    PPAKind,
    PPASector,
    Priority,
    Role,
    SubmissionType,
    Urgency,
)
from obcms_core.services.database import Database
from obcms_core.services.users import create_user

# region code -> name; province -> (region, cities/municipalities -> {barangay: OBC population})
REGIONS = {
    "IX": "Region IX – Zamboanga Peninsula",
    "X": "Region X – Northern Mindanao",
    "XII": "Region XII – SOCCSKSARGEN",
}
PLACES: dict[str, tuple[str, dict[str, dict[str, int]]]] = {
    "Zamboanga del Sur": ("IX", {"Pagadian City": {"Balangasan": 4000}}),
    "Zamboanga del Norte": ("IX", {"Dipolog City": {"Miputak": 2000}}),
    "Lanao del Norte": ("X", {"Tubod": {"Barakanas": 900}}),
    "Cotabato": ("XII", {"Pikit": {"Fort Pikit": 1200, "Inug-ug": 800},
                         "Kabacan": {"Kayaga": 1500}}),
}
CATEGORIES = {
    "Water and sanitation": NeedSector.INFRASTRUCTURE,
    "Education": NeedSector.EDUCATION,
    "Health services": NeedSector.HEALTH,
    "Livelihood": NeedSector.ECONOMIC_DEVELOPMENT,
}
# acronym -> (name, type, active)
ORGANISATIONS = {
    "MOH": ("Ministry of Health", OrgType.MOA, True),
    "MPW": ("Ministry of Public Works", OrgType.MOA, True),
    "MBHTE": ("Ministry of Basic, Higher and Technical Education", OrgType.MOA, True),
    "MAFAR": ("Ministry of Agriculture, Fisheries and Agrarian Reform", OrgType.MOA, True),
    "MSSD": ("Ministry of Social Services and Development", OrgType.MOA, False),
    "PIKIT-LGU": ("Municipal Government of Pikit", OrgType.LGU, True),
}
# code -> (title, MOA, FY, approval, allocation, regions, flows as (type, amount, date))
PPAS: dict[str, tuple[str, str, int, ApprovalStatus, str, tuple[str, ...],
                      list[tuple[FlowType, str, date]]]] = {
    "MOH-2024-01": ("Barangay health stations", "MOH", 2024, ApprovalStatus.ENACTED, "4000000.00",
                    ("IX",), [(FlowType.ALLOTMENT, "4000000.00", date(2024, 2, 10)),
                              (FlowType.OBLIGATION, "3000000.00", date(2024, 5, 1)),
                              (FlowType.DISBURSEMENT, "2500000.00", date(2024, 9, 1))]),
    "MPW-2025-01": ("Level II water systems", "MPW", 2025, ApprovalStatus.ENACTED,
                    "10000000.00", ("IX", "XII"),
                    [(FlowType.ALLOTMENT, "8000000.00", date(2025, 2, 3)),
                     (FlowType.OBLIGATION, "6000000.00", date(2025, 6, 2)),
                     (FlowType.DISBURSEMENT, "3000000.00", date(2025, 10, 1)),
                     (FlowType.ADJUSTMENT, "-500000.00", date(2025, 12, 31))]),
    "MBHTE-2025-02": ("Madrasah classrooms", "MBHTE", 2025, ApprovalStatus.ENACTED,
                      "5000000.00", ("IX",),
                      [(FlowType.ALLOTMENT, "5000000.00", date(2025, 2, 3)),
                       (FlowType.OBLIGATION, "4000000.00", date(2025, 7, 1)),
                       (FlowType.DISBURSEMENT, "1000000.00", date(2025, 11, 3))]),
    "MOH-2025-03": ("Mobile clinics", "MOH", 2025, ApprovalStatus.REJECTED, "2000000.00",
                    ("X",), []),
    "MPW-2026-01": ("Farm-to-market road", "MPW", 2026, ApprovalStatus.DRAFT, "6000000.00",
                    ("XII",), []),
}
U, S = Urgency, NeedStatus
# key -> (title, barangay, category, status, urgency, cost, people, priority, submitted, links)
NEEDS: dict[str, tuple[str, str, str, NeedStatus, Urgency, str | None, int, str, date,
                       list[tuple[str, str]]]] = {
    "N1": ("Level II water system, Fort Pikit", "Fort Pikit", "Water and sanitation",
           S.VALIDATED, U.IMMEDIATE, "3000000.00", 400, "3.5", date(2024, 3, 1), []),
    "N2": ("Madrasah classrooms, Balangasan", "Balangasan", "Education", S.PRIORITIZED,
           U.SHORT_TERM, "2000000.00", 300, "3.0", date(2024, 5, 10), [("MBHTE-2025-02", "1")]),
    "N3": ("Health station, Miputak", "Miputak", "Health services", S.VALIDATED, U.IMMEDIATE,
           "1500000.00", 250, "2.8", date(2023, 8, 1), [("MOH-2024-01", "0.5")]),
    "N4": ("Fishing boats, Barakanas", "Barakanas", "Livelihood", S.PRIORITIZED, U.MEDIUM_TERM,
           "900000.00", 120, "2.2", date(2025, 2, 1), [("MOH-2025-03", "1")]),
    "N5": ("Deep wells, Kayaga", "Kayaga", "Water and sanitation", S.PRIORITIZED, U.IMMEDIATE,
           "1200000.00", 600, "3.2", date(2025, 6, 15), [("MPW-2026-01", "1")]),
    "N6": ("Learning materials, Inug-ug", "Inug-ug", "Education", S.VALIDATED, U.LONG_TERM,
           None, 150, "1.5", date(2025, 1, 20), []),
    "N7": ("Madrasah teachers' allowances, Balangasan", "Balangasan", "Education", S.IDENTIFIED,
           U.SHORT_TERM, "700000.00", 90, "2.0", date(2025, 3, 3), []),
    "N8": ("Communal toilets, Fort Pikit", "Fort Pikit", "Water and sanitation", S.COMPLETED,
           U.SHORT_TERM, "350000.00", 200, "2.4", date(2023, 4, 4), [("MPW-2025-01", "1")]),
    "N9": ("Post-harvest facility, Barakanas", "Barakanas", "Livelihood", S.REJECTED,
           U.LONG_TERM, "450000.00", 60, "1.2", date(2024, 7, 7), []),
    "N10": ("Water refilling station, Balangasan", "Balangasan", "Water and sanitation",
            S.VALIDATED, U.SHORT_TERM, "2500000.00", 500, "2.9", date(2025, 9, 1),
            [("MPW-2025-01", "0.6")]),
    "N11": ("Skills training, Kayaga", "Kayaga", "Livelihood", S.VALIDATED, U.MEDIUM_TERM,
            "600000.00", 200, "1.9", date(2026, 2, 10), []),
    "N12": ("College scholarships, Miputak", "Miputak", "Education", S.PRIORITIZED,
            U.SHORT_TERM, "1000000.00", 80, "2.5", date(2024, 11, 11), []),
}
FORWARDED = {"N12": ("MBHTE", date(2025, 1, 5), "planner")}
M = MilestoneStatus
# reference -> (title, status, priority, milestones as (target, completed on, status))
POLICIES: dict[str, tuple[str, PolicyStatus, Priority,
                          list[tuple[date, date | None, MilestoneStatus]]]] = {
    "POL-1": ("Halal enterprise support", PolicyStatus.IN_IMPLEMENTATION, Priority.HIGH,
              [(date(2025, 3, 31), date(2025, 3, 20), M.COMPLETED),
               (date(2025, 9, 30), None, M.IN_PROGRESS),
               (date(2026, 6, 30), None, M.NOT_STARTED)]),
    "POL-2": ("Madaris teacher standards", PolicyStatus.APPROVED, Priority.MEDIUM,
              [(date(2024, 6, 30), date(2025, 2, 1), M.COMPLETED),
               (date(2026, 3, 31), None, M.NOT_STARTED)]),
    "POL-3": ("Scholarship quota", PolicyStatus.WITHDRAWN, Priority.LOW,
              [(date(2024, 12, 1), None, M.NOT_STARTED)]),
    "POL-4": ("Coastal protection", PolicyStatus.IN_IMPLEMENTATION, Priority.URGENT,
              [(date(2025, 5, 31), None, M.CANCELLED),
               (date(2025, 11, 30), date(2026, 1, 10), M.COMPLETED)]),
    "POL-5": ("Water governance", PolicyStatus.SUBMITTED, Priority.CRITICAL,
              [(date(2023, 10, 1), None, M.DELAYED)]),
}


@dataclass
class World:
    """Ids of what was built, by the names used above."""

    regions: dict[str, int] = field(default_factory=dict)
    provinces: dict[str, int] = field(default_factory=dict)
    municipalities: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    ppas: dict[str, int] = field(default_factory=dict)
    needs: dict[str, int] = field(default_factory=dict)
    policies: dict[str, int] = field(default_factory=dict)


def _community(code: str, barangay: Barangay, name: str, people: int) -> Community:
    return Community(
        obc_code=code, barangay=barangay, name=f"OBC of {name}", estimated_obc_population=people,
        households=people // 5, ethnolinguistic_group=EthnolinguisticGroup.MAGUINDANAON,
        access_water=AccessRating.POOR, access_electricity=AccessRating.FAIR,
        access_health=AccessRating.POOR, access_education=AccessRating.FAIR,
        access_roads=AccessRating.GOOD,
    )


def build_dashboard_world(db: Database) -> World:
    """Build the world above in one transaction and return its ids."""
    world = World()
    with db.uow() as uow:
        s = uow.session
        regions = {code: Region(code=code, name=name) for code, name in REGIONS.items()}
        s.add_all(regions.values())
        communities: dict[str, Community] = {}
        for province_name, (region, towns) in PLACES.items():
            province = Province(region=regions[region], name=province_name,
                                census_name=province_name.upper())
            s.add(province)
            for town_name, barangays in towns.items():
                town = Municipality(province=province, name=town_name,
                                    is_city=town_name.endswith("City"))
                s.add(town)
                for brgy_name, people in barangays.items():
                    brgy = Barangay(municipality=town, name=brgy_name)
                    s.add(brgy)
                    code = f"T-{len(communities) + 1:04d}"
                    communities[brgy_name] = _community(code, brgy, brgy_name, people)
                s.flush()
                world.municipalities[town_name] = town.id
            world.provinces[province_name] = province.id
        s.add_all(communities.values())
        categories = {name: NeedCategory(name=name, sector=sector)
                      for name, sector in CATEGORIES.items()}
        orgs = {acr: Organization(name=name, acronym=acr, org_type=kind, is_active=active)
                for acr, (name, kind, active) in ORGANISATIONS.items()}
        s.add_all([*categories.values(), *orgs.values()])
        s.flush()
        ppas = _ppas(s, orgs, regions)
        _needs(s, communities, categories, ppas, orgs, world)
        _policies(s, world)
        s.flush()
        world.regions = {code: r.id for code, r in regions.items()}
        world.categories = {name: c.id for name, c in categories.items()}
        world.organisations = {acr: o.id for acr, o in orgs.items()}
        world.ppas = {code: p.id for code, p in ppas.items()}
        uow.commit()
    return world


def _ppas(s, orgs, regions) -> dict[str, PPA]:  # type: ignore[no-untyped-def]
    ppas = {}
    for code, (title, moa, fy, status, allocation, covered, flows) in PPAS.items():
        ppa = PPA(code=code, title=title, kind=PPAKind.MOA_PPA, implementing_org=orgs[moa],
                  sector=PPASector.SOCIAL, appropriation_class=AppropriationClass.CO,
                  funding_source=FundingSource.GAAB, fiscal_year=fy,
                  budget_ceiling=Decimal(allocation), budget_allocation=Decimal(allocation),
                  approval_status=status)
        s.add(ppa)
        s.flush()
        s.add_all(PPACoverage(ppa_id=ppa.id, region_id=regions[r].id) for r in covered)
        s.add_all(FundingFlow(ppa_id=ppa.id, flow_type=kind, amount=Decimal(amount),
                              appropriation_class=AppropriationClass.CO, flow_date=day)
                  for kind, amount, day in flows)
        ppas[code] = ppa
    return ppas


def _needs(s, communities, categories, ppas, orgs, world: World) -> None:  # type: ignore[no-untyped-def]
    for key, (title, brgy, category, status, urgency, cost, people, score, submitted,
              links) in NEEDS.items():
        forwarded = FORWARDED.get(key)
        need = Need(
            title=title, community=communities[brgy], category=categories[category],
            affected_population=people, urgency=urgency, severity=3,
            feasibility=Feasibility.MEDIUM, status=status,
            estimated_cost=Decimal(cost) if cost else None, priority_score=Decimal(score),
            submission_type=SubmissionType.ASSESSMENT_DRIVEN, submitted_on=submitted,
            forwarded_to_id=orgs[forwarded[0]].id if forwarded else None,
            forwarded_on=forwarded[1] if forwarded else None,
            forwarded_by=forwarded[2] if forwarded else None,
        )
        s.add(need)
        s.flush()
        s.add_all(NeedPPALink(need_id=need.id, ppa_id=ppas[code].id, share=Decimal(share),
                              linked_by="planner") for code, share in links)
        world.needs[key] = need.id


def _policies(s, world: World) -> None:  # type: ignore[no-untyped-def]
    for ref, (title, status, priority, milestones) in POLICIES.items():
        policy = PolicyRecommendation(
            reference_number=ref, title=title, category=PolicyCategory.ECONOMIC_DEVELOPMENT,
            scope=PolicyScope.REGIONAL, status=status, priority=priority,
        )
        s.add(policy)
        s.flush()
        s.add_all(
            PolicyMilestone(policy_id=policy.id, sequence=i, title=f"{ref} step {i}",
                            target_date=target, completed_on=done, status=st,
                            progress=100 if done else 0)
            for i, (target, done, st) in enumerate(milestones, start=1)
        )
        world.policies[ref] = policy.id


def add_users(db: Database, users: dict[str, tuple[Role, str]]) -> None:
    """Accounts for page tests: username -> (role, password); MOA focal persons belong to MOH."""
    with db.uow() as uow:
        for username, (role, password) in users.items():
            create_user(
                uow, username=username, full_name=f"{username.capitalize()} Tester",
                email=f"{username}@example.org", password=password, role=role,
                organization_acronym="MOH" if role is Role.MOA_FOCAL else None, bcrypt_rounds=4,
            )
        uow.commit()
