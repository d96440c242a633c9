"""A small, hand-built world for the evidence dashboards, small enough to check every figure.

Places and people (OBC population / 2024 census population):

    Region IX   Zamboanga del Sur (1,100,000)   Pagadian City (210,000)
                    Balangasan (12,000): 1,000 OBC      Tiguma (8,000): 500 OBC
                Zamboanga del Sur                Dumalinao (35,000)
                    Baguitan (3,000): 250 OBC
                Zamboanga Sibugay (700,000)      Ipil: no OBC community
    Region X    Lanao del Norte (720,000): no OBC community
    Region XII  Cotabato (1,300,000)             Pikit (160,000)
                    Fort Pikit (6,000): 2,000 OBC       Inug-ug (4,000): 1,250 OBC

The needs, PPAs, policies, milestones, service applications and focal persons are listed in
the tables below; the tests work out their figures by hand from these tables. "Today" is
TODAY (30 June 2025). `add_pb_votes` adds two participatory budgeting cycles with their
projects and ballots (PB_CYCLES, PB_PROJECTS, PB_BALLOTS below).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    FocalPerson,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    Organization,
    PolicyMilestone,
    PolicyPPALink,
    PolicyRecommendation,
    Province,
    Region,
    ServiceApplication,
    ServiceOffering,
)
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import (
    AccessRating,
    ApplicationStatus,
    ApprovalStatus,
    EligibilityLevel,
    EthnolinguisticGroup,
    Feasibility,
    FocalRole,
    FundingSource,
    MilestoneStatus,
    NeedSector,
    NeedStatus,
    OfferingStatus,
    OrgType,
    PolicyCategory,
    PolicyScope,
    PolicyStatus,
    PPAKind,
    PPASector,
    Priority,
    Role,
    ServiceType,
    SubmissionType,
    Urgency,
)
from obcms_core.services.pb import (
    BallotChoice,
    CycleSpec,
    ProjectSpec,
    create_cycle,
    submit_ballot,
)
from obcms_core.services.users import create_user

TODAY = date(2025, 6, 30)

# barangay -> (municipality, barangay population, OBC population or None when no community)
BARANGAYS = {
    "Balangasan": ("Pagadian City", 12_000, 1_000),
    "Tiguma": ("Pagadian City", 8_000, 500),
    "Baguitan": ("Dumalinao", 3_000, 250),
    "Bacalan": ("Ipil", 5_000, None),
    "Fort Pikit": ("Pikit", 6_000, 2_000),
    "Inug-ug": ("Pikit", 4_000, 1_250),
}

# key, community barangay, category, status, estimated cost, [(PPA, share)]
NEEDS = [
    ("N1", "Balangasan", "Water", "validated", "2000000.00", [("A", "0.5")]),
    ("N2", "Balangasan", "Education", "prioritized", "1000000.00", []),
    ("N3", "Balangasan", "Water", "completed", "500000.00", [("A", "1")]),
    ("N4", "Tiguma", "Education", "identified", "400000.00", []),
    ("N5", "Tiguma", "Water", "rejected", "900000.00", []),
    ("N6", "Baguitan", "Health", "in_progress", "600000.00", [("B", "0.75"), ("C", "0.5")]),
    ("N7", "Fort Pikit", "Water", "prioritized", "3000000.00", [("D", "0.25")]),
    ("N8", "Fort Pikit", "Education", "deferred", None, []),
    ("N9", "Inug-ug", "Health", "validated", "1200000.00", []),
    ("N10", "Inug-ug", "Water", "planned", "800000.00", [("D", "1")]),
]

# key, MOA, sector, fiscal year, allocation, OBC share (None: not set), approval status
PPAS = [
    ("A", "MPW", "infrastructure", 2025, "10000000.00", "4000000.00", "enacted"),
    ("B", "MOH", "social", 2025, "5000000.00", "2000000.00", "approved"),
    ("C", "MBHTE", "social", 2025, "3000000.00", None, "budget_review"),
    ("D", "MPW", "infrastructure", 2026, "8000000.00", "1000000.00", "draft"),
    ("E", "MBHTE", "economic", 2025, "6000000.00", "3000000.00", "rejected"),
]

# reference, category, status, region code (None: national), estimated cost, PPAs
POLICIES = [
    ("OOBC-PR-2024-0001", "economic_development", "in_implementation", "IX", "5000000.00",
     ["A", "E"]),
    ("OOBC-PR-2024-0002", "social_development", "approved", "XII", "2500000.00", ["B", "D"]),
    ("OOBC-PR-2024-0003", "social_development", "submitted", "IX", None, ["C"]),
    ("OOBC-PR-2025-0001", "protection_of_rights", "draft", None, "1000000.00", []),
    ("OOBC-PR-2025-0002", "economic_development", "in_implementation", "XII", None, ["A", "D"]),
]

# policy reference, sequence, target date, completed on, status
MILESTONES = [
    ("OOBC-PR-2024-0001", 1, date(2025, 1, 31), date(2025, 1, 20), "completed"),
    ("OOBC-PR-2024-0001", 2, date(2025, 3, 31), None, "delayed"),  # overdue 91 days
    ("OOBC-PR-2024-0001", 3, date(2025, 12, 31), None, "not_started"),
    ("OOBC-PR-2024-0002", 1, date(2024, 11, 30), date(2024, 11, 28), "completed"),
    ("OOBC-PR-2024-0002", 2, date(2025, 2, 28), date(2025, 3, 3), "completed"),
    ("OOBC-PR-2024-0002", 3, date(2025, 2, 1), None, "cancelled"),  # never overdue
    ("OOBC-PR-2024-0003", 1, date(2025, 6, 30), None, "in_progress"),  # due today: not yet
    ("OOBC-PR-2024-0003", 2, date(2025, 6, 29), None, "in_progress"),  # overdue 1 day
    ("OOBC-PR-2025-0002", 1, None, None, "not_started"),
]

# community barangay, status, beneficiaries
APPLICATIONS = [
    ("Balangasan", "approved", 40),
    ("Balangasan", "completed", 10),
    ("Balangasan", "rejected", 99),
    ("Tiguma", "submitted", 30),
    ("Fort Pikit", "in_progress", 25),
    ("Inug-ug", "waitlisted", 60),
]

# MOA, name, role, appointed, ended, e-mail
FOCAL_PERSONS = [
    ("MOH", "Amina Datu", "primary", date(2023, 1, 10), None, "amina.datu@moh.example.ph"),
    ("MOH", "Rashid Ali", "alternate", date(2024, 2, 1), date(2025, 1, 31),
     "rashid.ali@moh.example.ph"),
    ("MOH", "Noraida Sali", "technical", date(2024, 5, 1), None, "noraida.sali@moh.example.ph"),
    ("MBHTE", "Jamal Usman", "primary", date(2021, 3, 1), date(2025, 3, 31),
     "jamal.usman@mbhte.example.ph"),
    ("MBHTE", "Sittie Ampatuan", "alternate", date(2022, 6, 1), None,
     "sittie.ampatuan@mbhte.example.ph"),
    ("MPW", "Bai Guiamel", "primary", date(2024, 7, 1), None, "bai.guiamel@mpw.example.ph"),
]

MOAS = {
    "MOH": "Ministry of Health",
    "MBHTE": "Ministry of Basic, Higher and Technical Education",
    "MPW": "Ministry of Public Works",
    "MSSD": "Ministry of Social Services and Development",  # no focal person at all
}
ACCESS = dict.fromkeys(
    ["access_water", "access_electricity", "access_health", "access_education", "access_roads"],
    AccessRating.FAIR,
)


def _places(uow: UnitOfWork) -> dict[str, int]:
    s = uow.session
    regions = {code: Region(code=code, name=f"Region {code}") for code in ("IX", "X", "XII")}
    provinces = {
        name: Province(region=regions[code], name=name, census_name=name.upper(),
                       population_2024=population)
        for name, code, population in [
            ("Zamboanga del Sur", "IX", 1_100_000), ("Zamboanga Sibugay", "IX", 700_000),
            ("Lanao del Norte", "X", 720_000), ("Cotabato", "XII", 1_300_000),
        ]
    }
    municipalities = {
        name: Municipality(province=provinces[province], name=name, is_city=city,
                           population_2024=population)
        for name, province, population, city in [
            ("Pagadian City", "Zamboanga del Sur", 210_000, True),
            ("Dumalinao", "Zamboanga del Sur", 35_000, False),
            ("Ipil", "Zamboanga Sibugay", 90_000, False),
            ("Pikit", "Cotabato", 160_000, False),
        ]
    }
    s.add_all([*regions.values(), *provinces.values(), *municipalities.values()])
    ids: dict[str, int] = {}
    for i, (name, (municipality, population, obc)) in enumerate(BARANGAYS.items(), start=1):
        brgy = Barangay(municipality=municipalities[municipality], name=name,
                        population_2024=population)
        s.add(brgy)
        if obc is not None:
            community = Community(
                obc_code=f"EV-{i:04d}", barangay=brgy, name=f"{name} OBC",
                estimated_obc_population=obc, households=obc // 5,
                ethnolinguistic_group=EthnolinguisticGroup.MAGUINDANAON, **ACCESS)
            s.add(community)
            s.flush()
            ids[name] = community.id
    s.flush()
    ids.update({f"region:{k}": v.id for k, v in regions.items()})
    ids.update({f"province:{k}": v.id for k, v in provinces.items()})
    ids.update({f"municipality:{k}": v.id for k, v in municipalities.items()})
    return ids


def build_evidence_world(uow: UnitOfWork) -> dict[str, int]:
    """Add the world to an empty database (not committed); returns names -> ids."""
    s = uow.session
    ids = _places(uow)
    orgs = {a: Organization(name=n, acronym=a, org_type=OrgType.MOA) for a, n in MOAS.items()}
    orgs["LGU"] = Organization(name="City Government of Pagadian", acronym="CGP",
                               org_type=OrgType.LGU)
    orgs["OLD"] = Organization(name="Former Bangsamoro Office", acronym="FBO",
                               org_type=OrgType.MOA, is_active=False)
    categories = {
        "Water": NeedCategory(name="Water", sector=NeedSector.INFRASTRUCTURE),
        "Education": NeedCategory(name="Education", sector=NeedSector.EDUCATION),
        "Health": NeedCategory(name="Health", sector=NeedSector.HEALTH),
    }
    s.add_all([*orgs.values(), *categories.values()])
    ppas = {
        key: PPA(code=f"EV-{key}", title=f"PPA {key}", kind=PPAKind.MOA_PPA,
                 implementing_org=orgs[moa], sector=PPASector(sector),
                 funding_source=FundingSource.GAAB, fiscal_year=fy,
                 budget_allocation=Decimal(alloc),
                 obc_allocation=Decimal(obc) if obc else None,
                 approval_status=ApprovalStatus(status))
        for key, moa, sector, fy, alloc, obc, status in PPAS
    }
    s.add_all(ppas.values())
    s.flush()
    for key, brgy, category, status, cost, links in NEEDS:
        need = Need(
            title=f"Need {key}", community_id=ids[brgy], category=categories[category],
            affected_population=100, urgency=Urgency.SHORT_TERM, severity=3,
            feasibility=Feasibility.MEDIUM, status=NeedStatus(status),
            estimated_cost=Decimal(cost) if cost else None, priority_score=Decimal(1),
            submission_type=SubmissionType.ASSESSMENT_DRIVEN, submitted_on=date(2025, 1, 15))
        s.add(need)
        s.flush()
        ids[key] = need.id
        s.add_all(NeedPPALink(need_id=need.id, ppa_id=ppas[p].id, share=Decimal(share))
                  for p, share in links)
    regions = {r.code: r.id for r in s.query(Region)}
    policies = {}
    for ref, category, status, region, cost, linked in POLICIES:
        policies[ref] = PolicyRecommendation(
            reference_number=ref, title=f"Policy {ref}", category=PolicyCategory(category),
            scope=PolicyScope.REGIONAL if region else PolicyScope.NATIONAL,
            status=PolicyStatus(status), priority=Priority.HIGH,
            estimated_cost=Decimal(cost) if cost else None,
            region_id=regions[region] if region else None)
        s.add(policies[ref])
        s.flush()
        s.add_all(PolicyPPALink(policy_id=policies[ref].id, ppa_id=ppas[p].id) for p in linked)
    for ref, seq, target, done, status in MILESTONES:
        s.add(PolicyMilestone(policy_id=policies[ref].id, sequence=seq, title=f"Step {seq}",
                              target_date=target, completed_on=done,
                              status=MilestoneStatus(status), progress=100 if done else 20,
                              responsible_party="OOBC"))
    offering = ServiceOffering(
        title="Health caravan", service_type=ServiceType.HEALTH, organization=orgs["MOH"],
        eligibility_level=EligibilityLevel.COMMUNITY, total_slots=500, slots_filled=0,
        budget_allocated=Decimal("1000000.00"), budget_utilized=Decimal(0),
        opens_on=date(2025, 1, 1), status=OfferingStatus.ACTIVE)
    s.add(offering)
    s.flush()
    s.add_all(
        ServiceApplication(offering_id=offering.id, community_id=ids[brgy],
                           requested_amount=Decimal("10000.00"), beneficiary_count=people,
                           status=ApplicationStatus(status), submitted_on=date(2025, 2, 1))
        for brgy, status, people in APPLICATIONS)
    for moa, name, role, appointed, ended, email in FOCAL_PERSONS:
        person = FocalPerson(organization=orgs[moa], full_name=name, role=FocalRole(role),
                             appointed_on=appointed, ended_on=ended, email=email,
                             phone="+63 917 555 0100", designation="Planning Officer")
        s.add(person)
        s.flush()
        ids[name] = person.id
    s.flush()
    ids.update({f"org:{k}": v.id for k, v in orgs.items()})
    ids.update({f"policy:{k}": v.id for k, v in policies.items()})
    return ids


def add_users(uow: UnitOfWork, users: dict[str, tuple[Role, str]]) -> None:
    """Accounts to sign in with (username -> role, password); MOA focal persons belong to MOH."""
    for username, (role, password) in users.items():
        create_user(uow, username=username, full_name=f"{username.capitalize()} Tester",
                    email=f"{username}@example.org", password=password, role=role,
                    organization_acronym="MOH" if role is Role.MOA_FOCAL else None,
                    bcrypt_rounds=4)


# Participatory budgeting: cycle -> name, fiscal year, voting opens, voting closes.
PB_CYCLES = {
    "FY2025": ("Community priorities FY2025", 2025, datetime(2025, 3, 1, tzinfo=UTC),
               datetime(2025, 3, 31, tzinfo=UTC)),
    "FY2026": ("Community priorities FY2026", 2026, datetime(2026, 3, 1, tzinfo=UTC),
               datetime(2026, 3, 31, tzinfo=UTC)),
}
# cycle -> its projects: (code, need made into a project or None, town typed in or None). A
# need's project is placed in the need's community; a typed-in one in its town, or nowhere.
PB_PROJECTS: dict[str, list[tuple[str, str | None, str | None]]] = {
    "FY2025": [("N1", "N1", None), ("N4", "N4", None), ("N6", "N6", None), ("N7", "N7", None),
               ("N9", "N9", None), ("IPIL-1", None, "Ipil"), ("PIKIT-1", None, "Pikit"),
               ("ANY-1", None, None)],
    "FY2026": [("N1", "N1", None), ("N2", "N2", None), ("N10", "N10", None)],
}
# cycle, voter, the projects on each ballot they submitted (the last one stands)
PB_BALLOTS = [
    ("FY2025", "a1", [["N6"], ["N1", "N4"]]),
    ("FY2025", "a2", [["N1", "N6"]]),
    ("FY2025", "a3", [["N7", "PIKIT-1"]]),
    ("FY2025", "a4", [["N1", "IPIL-1"]]),
    ("FY2025", "a5", [["N9", "ANY-1"]]),
    ("FY2026", "b1", [["N1", "N2"]]),
    ("FY2026", "b2", [["N10"]]),
    ("FY2026", "b3", [["N2"]]),
]


def add_pb_votes(uow: UnitOfWork, ids: dict[str, int]) -> dict[str, int]:
    """The two cycles, their projects (₱100,000 each) and ballots, on top of
    build_evidence_world (not committed). Ballots are cast on the fourth day of voting.
    Returns cycle key -> id.
    """
    planner = Actor("planner", Role.PLANNER)
    cycles: dict[str, int] = {}
    for key, (name, year, opens, closes) in PB_CYCLES.items():
        projects = [
            ProjectSpec(code, f"Project {code}", Decimal("100000.00"),
                        need_id=ids[need] if need else None,
                        municipality_id=ids[f"municipality:{town}"] if town else None)
            for code, need, town in PB_PROJECTS[key]
        ]
        cycles[key] = create_cycle(uow, planner, CycleSpec(
            name=name, fiscal_year=year, envelope="5000000.00", opens_at=opens,
            closes_at=closes, milestones=()), projects)
    for key, voter, submissions in PB_BALLOTS:
        cast_at = PB_CYCLES[key][2].replace(day=4)
        for marked in submissions:
            submit_ballot(uow, cycles[key], voter, BallotChoice(marked), now=cast_at)
    return cycles
