"""Evidence flags on a small hand-built world whose figures are worked out by hand below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

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
    Province,
    Region,
)
from obcms_core.domain.enums import (
    AccessRating,
    EthnolinguisticGroup,
    FlowType,
    FundingSource,
    NeedSector,
    OrgType,
    PPAKind,
    PPASector,
    SubmissionType,
)
from obcms_core.services.scenarios import flags

SOCIAL, INFRA, ENV = PPASector.SOCIAL, PPASector.INFRASTRUCTURE, PPASector.ENVIRONMENT
# needs: community, affected population
NEEDS = {"N1": ("A", 1000), "N2": ("B", 2000), "N3": ("C", 1600), "N4": ("A", 400)}
# PPAs: fiscal year, MOA, sector, request (pesos)
PPAS = {
    "S-0": (2026, "MOH", SOCIAL, 5_000_000),  # no linked needs: no figure, outside the median
    "S-1": (2026, "MOH", SOCIAL, 1_100_000),
    "S-2": (2026, "MPW", SOCIAL, 3_000_000),
    "S-3": (2026, "MOH", SOCIAL, 12_000_000),
    "S-4": (2026, "MOH", SOCIAL, 4_000_000),
    "I-1": (2026, "MPW", INFRA, 50_000_000),
    "E-1": (2026, "MSSD", ENV, 800_000),
    "O-1": (2025, "MPW", SOCIAL, 90_000_000),
    "O-2": (2025, "MOH", SOCIAL, 10_000_000),
    "O-3": (2024, "MPW", INFRA, 20_000_000),
    "O-4": (2025, "MOH", SOCIAL, 7_000_000),  # linked, but no flows at all
}
LINKS = [
    ("S-1", "N1", "1"),  # 1,000 people
    ("S-1", "N4", "0.25"),  # + 100 = 1,100 people -> ₱1,000 each
    ("S-2", "N2", "0.75"),  # 1,500 people -> ₱2,000 each
    ("S-3", "N3", "0.5"),  # 800 people -> ₱15,000 each
    ("S-4", "N3", "0.5"),  # 800 people -> ₱5,000 each (same MOA as S-3: no pair)
    ("I-1", "N1", "0.5"),  # shares N1 and N4 with S-1 (another MOA) in Pikit
    ("I-1", "N4", "1"),
    ("E-1", "N3", "0.5"),  # shares N3 with S-3 and S-4 in Midsayap
    ("O-1", "N1", "1"),  # FY2025: 1,000 people; pairs only within one fiscal year
    ("O-2", "N2", "0.5"),  # FY2025: 1,000 people
    ("O-3", "N4", "1"),  # FY2024: 400 people, but nothing disbursed
    ("O-4", "N2", "0.5"),
]
# flows: PPA, type, amount
FLOWS = [
    ("O-1", FlowType.ALLOTMENT, "80000000"),
    ("O-1", FlowType.OBLIGATION, "60000000"),
    ("O-1", FlowType.DISBURSEMENT, "45000000"),
    ("O-1", FlowType.ADJUSTMENT, "-5000000"),  # reversions are not execution
    ("O-2", FlowType.ALLOTMENT, "10000000"),
    ("O-2", FlowType.OBLIGATION, "4000000"),
    ("O-2", FlowType.OBLIGATION, "6000000"),
    ("O-2", FlowType.DISBURSEMENT, "5000000"),
    ("O-3", FlowType.ALLOTMENT, "15000000"),
    ("O-3", FlowType.ALLOTMENT, "5000000"),
    ("O-3", FlowType.OBLIGATION, "16000000"),
    ("S-1", FlowType.ALLOTMENT, "1100000"),  # the year being planned: not history
]


def _build(uow) -> None:
    s = uow.session
    region = Region(code="XII", psgc_code="1200000000", name="Region XII")
    province = Province(region=region, name="Cotabato", census_name="COTABATO")
    pikit = Municipality(province=province, name="Pikit")
    midsayap = Municipality(province=province, name="Midsayap")
    barangays = {
        "A": Barangay(municipality=pikit, name="Inug-ug"),
        "B": Barangay(municipality=pikit, name="Bagoinged"),
        "C": Barangay(municipality=midsayap, name="Kiwanan"),
    }
    orgs = {
        acronym: Organization(name=f"Ministry {acronym}", acronym=acronym, org_type=OrgType.MOA)
        for acronym in ("MOH", "MPW", "MSSD")
    }
    category = NeedCategory(name="Basic services", sector=NeedSector.SOCIAL_DEVELOPMENT)
    s.add_all([region, province, pikit, midsayap, *barangays.values(), *orgs.values(), category])
    s.flush()
    access = dict.fromkeys(
        ["access_water", "access_electricity", "access_health", "access_education", "access_roads"],
        AccessRating.POOR,
    )
    communities = {
        key: Community(
            obc_code=f"XII-COT-{key}",
            barangay_id=brgy.id,
            name=f"{brgy.name} OBC",
            estimated_obc_population=3000,
            households=600,
            ethnolinguistic_group=EthnolinguisticGroup.MAGUINDANAON,
            **access,
        )
        for key, brgy in barangays.items()
    }
    s.add_all(communities.values())
    s.flush()
    needs = {
        name: Need(
            title=name,
            community_id=communities[key].id,
            category_id=category.id,
            affected_population=people,
            urgency="immediate",
            severity=3,
            feasibility="high",
            status="validated",
            priority_score=Decimal("2"),
            submission_type=SubmissionType.ASSESSMENT_DRIVEN,
            submitted_on=date(2024, 1, 15),
        )
        for name, (key, people) in NEEDS.items()
    }
    ppas = {
        code: PPA(
            code=code,
            title=f"PPA {code}",
            kind=PPAKind.MOA_PPA,
            implementing_org_id=orgs[moa].id,
            sector=sector,
            funding_source=FundingSource.GAAB,
            fiscal_year=fy,
            budget_allocation=Decimal(request),
        )
        for code, (fy, moa, sector, request) in PPAS.items()
    }
    s.add_all([*needs.values(), *ppas.values()])
    s.flush()
    s.add_all(
        NeedPPALink(ppa_id=ppas[p].id, need_id=needs[n].id, share=Decimal(share))
        for p, n, share in LINKS
    )
    s.add_all(
        FundingFlow(
            ppa_id=ppas[p].id,
            flow_type=kind,
            amount=Decimal(amount),
            flow_date=date(PPAS[p][0], 6, 30),
        )
        for p, kind, amount in FLOWS
    )


@pytest.fixture
def world(db):
    with db.uow() as uow:
        _build(uow)
        uow.commit()
    return db


def test_a_ppa_costing_over_three_times_its_sector_median_per_person_is_flagged(world):
    with world.uow() as uow:
        flagged = flags.inefficient_allocations(uow, 2026)
        loose = flags.inefficient_allocations(uow, 2026, factor=1.4)
        strict = flags.inefficient_allocations(uow, 2026, factor=5.0)
    # social figures 1,000 / 2,000 / 15,000 / 5,000 per person: median 3,500
    assert flagged.to_dict("records") == [
        {
            "code": "S-3",
            "title": "PPA S-3",
            "sector": "social",
            "cost_per_beneficiary": pytest.approx(15_000),
            "sector_median": pytest.approx(3_500),
            "ratio": pytest.approx(15_000 / 3_500),
        }
    ]
    # I-1 (₱55,555.56 a person) is alone in its sector, so it is its own median
    assert list(loose["code"]) == ["S-3", "S-4"]
    assert loose["ratio"].iloc[1] == pytest.approx(5_000 / 3_500)
    assert strict.empty and list(strict.columns) == list(flagged.columns)


def test_ppas_of_different_moas_serving_the_same_needs_in_one_municipality_are_paired(world):
    with world.uow() as uow:
        pairs = flags.consolidation_opportunities(uow, 2026)
        last_year = flags.consolidation_opportunities(uow, 2025)
    columns = ["ppa_a", "moa_a", "ppa_b", "moa_b", "shared_needs", "municipality"]
    assert list(pairs[columns].itertuples(index=False, name=None)) == [
        ("I-1", "MPW", "S-1", "MOH", 2, "Pikit"),
        ("E-1", "MSSD", "S-3", "MOH", 1, "Midsayap"),
        ("E-1", "MSSD", "S-4", "MOH", 1, "Midsayap"),
    ]
    assert set(pairs["province"]) == {"Cotabato"}
    assert last_year.empty  # O-1 and O-2 serve different needs


def test_sector_track_records_sum_past_flows_and_people_served_per_million_disbursed(world):
    with world.uow() as uow:
        history = flags.historical_efficiency(uow, up_to_year=2026).set_index("sector")
        before_2025 = flags.historical_efficiency(uow, up_to_year=2025).set_index("sector")
    assert list(history.index) == ["infrastructure", "social"]
    social = history.loc["social"]
    assert (social["years"], social["allotments"], social["obligations"]) == (
        1,
        Decimal("90000000.00"),
        Decimal("70000000.00"),
    )
    assert social["disbursements"] == Decimal("50000000.00")
    assert social["obligation_rate"] == pytest.approx(70 / 90)
    assert social["disbursement_rate"] == pytest.approx(50 / 70)
    assert social["people_per_million"] == pytest.approx(2_000 / 50)  # O-1 + O-2 served
    infra = history.loc["infrastructure"]
    assert (infra["allotments"], infra["obligations"], infra["disbursements"]) == (
        Decimal("20000000.00"),
        Decimal("16000000.00"),
        Decimal("0.00"),
    )
    assert infra["obligation_rate"] == pytest.approx(0.8)
    assert infra["disbursement_rate"] == 0
    assert pd.isna(infra["people_per_million"])  # nothing paid out: no figure
    assert list(before_2025.index) == ["infrastructure"]
