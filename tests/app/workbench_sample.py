"""A small, hand-built data set for the workbench tests, so every figure can be checked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    Organization,
    Province,
    Region,
)
from obcms_core.domain.enums import (
    AccessRating,
    AppropriationClass,
    ApprovalStatus,
    EthnolinguisticGroup,
    Feasibility,
    FundingSource,
    NeedSector,
    NeedStatus,
    OrgType,
    PPAKind,
    PPASector,
    Role,
    SubmissionType,
    Urgency,
)
from obcms_core.domain.money import to_money
from obcms_core.services.database import Database
from obcms_core.services.users import create_user

# username -> (role, password); the MOA focal person belongs to MOH.
USERS: dict[str, tuple[Role, str]] = {
    "admin": (Role.ADMIN, "admin-test-pass"),
    "budget": (Role.BUDGET_OFFICER, "budget-test-pass"),
    "planner": (Role.PLANNER, "planner-test-pass"),
    "analyst": (Role.ANALYST, "analyst-test-pass"),
    "executive": (Role.EXECUTIVE, "executive-test-pass"),
    "moafocal": (Role.MOA_FOCAL, "moafocal-test-pass"),
    "community": (Role.COMMUNITY_MEMBER, "community-test-pass"),
    "partner": (Role.PARTNER, "partner-test-pass"),
}

# (code, title, MOA, fiscal year, allocation, approval status)
PPAS = [
    ("MOH-2025-001", "Rural health unit upgrade", "MOH", 2025, "12500000.00", "draft"),
    ("MBHTE-2025-004", "Madrasah teacher training", "MBHTE", 2025, "3250000.50",
     "technical_review"),
    ("MPW-2025-010", "Level II water system, Pikit", "MPW", 2025, "48000000.00", "budget_review"),
    ("MPW-2025-011", "Farm-to-market road, Tiguma", "MPW", 2025, "20000000.00",
     "executive_approval"),
    ("MOH-2024-007", "Barangay health station", "MOH", 2024, "5000000.00", "approved"),
]

# (title, barangay, category, status, estimated cost, funded by PPA code)
NEEDS = [
    ("Potable water for Balangasan", "Balangasan", "Water and sanitation", "validated",
     "2400000.00", None),
    ("Water system for Fort Pikit", "Fort Pikit", "Water and sanitation", "prioritized",
     "5600000.75", "MPW-2025-010"),
    ("Classrooms for Tiguma madrasah", "Tiguma", "Education", "prioritized", "1200000.00", None),
    ("Teacher allowances, Fort Pikit", "Fort Pikit", "Education", "identified", "800000.00", None),
    ("Communal toilets, Tiguma", "Tiguma", "Water and sanitation", "completed", "300000.00", None),
    ("Learning materials, Balangasan", "Balangasan", "Education", "validated", None, None),
    ("Deep well, Fort Pikit", "Fort Pikit", "Water and sanitation", "rejected", "900000.00", None),
    ("Scholarships, Fort Pikit", "Fort Pikit", "Education", "in_progress", "950000.00", None),
]


def build_sample(db: Database) -> None:
    """Two regions, three communities, eight needs, five PPAs and one user per role."""
    with db.uow() as uow:
        s = uow.session
        ix = Region(code="IX", name="Region IX – Zamboanga Peninsula")
        xii = Region(code="XII", name="Region XII – SOCCSKSARGEN")
        zds = Province(region=ix, name="Zamboanga del Sur", census_name="ZAMBOANGA DEL SUR")
        cot = Province(region=xii, name="Cotabato", census_name="COTABATO")
        pagadian = Municipality(province=zds, name="Pagadian City", is_city=True)
        pikit = Municipality(province=cot, name="Pikit")
        s.add_all([ix, xii, zds, cot, pagadian, pikit])
        barangays = {
            "Balangasan": Barangay(municipality=pagadian, name="Balangasan"),
            "Tiguma": Barangay(municipality=pagadian, name="Tiguma"),
            "Fort Pikit": Barangay(municipality=pikit, name="Fort Pikit"),
        }
        communities = {}
        for i, (name, brgy) in enumerate(barangays.items(), start=1):
            communities[name] = Community(
                obc_code=f"TEST-{i:04d}", barangay=brgy, name=f"OBC of {name}",
                estimated_obc_population=500 * i, households=100 * i,
                ethnolinguistic_group=EthnolinguisticGroup.MAGUINDANAON,
                access_water=AccessRating.POOR, access_electricity=AccessRating.FAIR,
                access_health=AccessRating.POOR, access_education=AccessRating.FAIR,
                access_roads=AccessRating.GOOD,
            )
        s.add_all(communities.values())
        categories = {
            "Water and sanitation": NeedCategory(
                name="Water and sanitation", sector=NeedSector.INFRASTRUCTURE),
            "Education": NeedCategory(name="Education", sector=NeedSector.EDUCATION),
        }
        s.add_all(categories.values())
        orgs = {
            acronym: Organization(name=name, acronym=acronym, org_type=OrgType.MOA)
            for acronym, name in [
                ("MOH", "Ministry of Health"),
                ("MBHTE", "Ministry of Basic, Higher and Technical Education"),
                ("MPW", "Ministry of Public Works"),
            ]
        }
        s.add_all(orgs.values())
        ppas = {}
        for code, title, moa, fy, allocation, status in PPAS:
            ppas[code] = PPA(
                code=code, title=title, kind=PPAKind.MOA_PPA, implementing_org=orgs[moa],
                sector=PPASector.SOCIAL, appropriation_class=AppropriationClass.CO,
                funding_source=FundingSource.GAAB, fiscal_year=fy,
                budget_ceiling=Decimal(allocation) + 1_000_000,
                budget_allocation=Decimal(allocation),
                obc_allocation=to_money(Decimal(allocation) / 4),
                approval_status=ApprovalStatus(status),
            )
        s.add_all(ppas.values())
        for i, (title, brgy, category, status, cost, funded_by) in enumerate(NEEDS):
            need = Need(
                title=title, community=communities[brgy], category=categories[category],
                affected_population=120 * (i + 1), urgency=Urgency.SHORT_TERM, severity=3,
                feasibility=Feasibility.MEDIUM, status=NeedStatus(status),
                estimated_cost=Decimal(cost) if cost else None,
                priority_score=Decimal(10 - i), submission_type=SubmissionType.ASSESSMENT_DRIVEN,
                submitted_by="Field officer (private)", submitted_on=date(2025, 1, 15),
            )
            s.add(need)
            if funded_by:
                s.flush()
                s.add(NeedPPALink(need_id=need.id, ppa_id=ppas[funded_by].id))
        s.flush()
        for username, (role, password) in USERS.items():
            create_user(
                uow, username=username, full_name=f"{username.capitalize()} Tester",
                email=f"{username}@example.org", password=password, role=role,
                organization_acronym="MOH" if role is Role.MOA_FOCAL else None, bcrypt_rounds=4,
            )
        uow.commit()
