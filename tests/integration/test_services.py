"""Services on a real database: users, the PPA workflow with its audit trail, home figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from obcms_core.adapters.orm import (
    PPA,
    AuditLog,
    Barangay,
    Community,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    Organization,
    PPAStatusChange,
    Province,
    Region,
)
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import (
    AccessRating,
    AppropriationClass,
    ApprovalStatus,
    EthnolinguisticGroup,
    FundingSource,
    NeedSector,
    NeedStatus,
    OrgType,
    PPAKind,
    PPASector,
    Role,
    SubmissionType,
)
from obcms_core.domain.errors import AuthenticationFailed, IllegalTransition, TransitionNotPermitted
from obcms_core.services import figures, ppa_workflow, users


def _small_world(uow) -> dict[str, int]:
    s = uow.session
    region = Region(code="XII", psgc_code="1200000000", name="Region XII")
    province = Province(
        region=region, name="Cotabato", census_name="COTABATO", psgc_code="1204700000"
    )
    muni = Municipality(province=province, name="Pikit", psgc_code="1204716000")
    brgy = Barangay(municipality=muni, name="Inug-ug", psgc_code="1204716001", population_2024=4000)
    moh = Organization(name="Ministry of Health", acronym="MOH", org_type=OrgType.MOA)
    mpw = Organization(name="Ministry of Public Works", acronym="MPW", org_type=OrgType.MOA)
    s.add_all([region, province, muni, brgy, moh, mpw])
    s.flush()
    access = dict.fromkeys(
        ["access_water", "access_electricity", "access_health", "access_education", "access_roads"],
        AccessRating.POOR,
    )
    community = Community(
        obc_code="XII-COT-PIK-0001",
        barangay_id=brgy.id,
        name="Inug-ug OBC",
        estimated_obc_population=1200,
        households=240,
        ethnolinguistic_group=EthnolinguisticGroup.MAGUINDANAON,
        **access,
    )
    water = NeedCategory(
        name="Potable water", sector=NeedSector.INFRASTRUCTURE, weight=Decimal("1.2")
    )
    s.add_all([community, water])
    s.flush()
    ids = {"moh": moh.id, "mpw": mpw.id}
    for i, (status, cost) in enumerate(
        [
            (NeedStatus.VALIDATED, "100000.00"),
            (NeedStatus.PRIORITIZED, "250000.50"),
            (NeedStatus.VALIDATED, "40000.00"),  # funded below
            (NeedStatus.IDENTIFIED, "999999.00"),  # not yet validated: not "unfunded"
        ]
    ):
        need = Need(
            title=f"Need {i}",
            community_id=community.id,
            category_id=water.id,
            affected_population=300,
            urgency="immediate",
            severity=4,
            feasibility="high",
            estimated_cost=Decimal(cost),
            status=status,
            priority_score=Decimal("2.1"),
            submission_type=SubmissionType.ASSESSMENT_DRIVEN,
            submitted_on=date(2025, 3, 1),
        )
        s.add(need)
        s.flush()
        ids[f"need{i}"] = need.id
    for code, org, amount, status in [
        ("P-1", moh.id, "5000000.00", ApprovalStatus.ENACTED),
        ("P-2", mpw.id, "7000000.25", ApprovalStatus.DRAFT),
        ("P-3", mpw.id, "1000000.00", ApprovalStatus.DRAFT),
    ]:
        ppa = PPA(
            code=code,
            title=f"PPA {code}",
            kind=PPAKind.MOA_PPA,
            implementing_org_id=org,
            sector=PPASector.SOCIAL,
            appropriation_class=AppropriationClass.MOOE,
            funding_source=FundingSource.GAAB,
            fiscal_year=2026,
            budget_allocation=Decimal(amount),
            approval_status=status,
        )
        s.add(ppa)
        s.flush()
        ids[code] = ppa.id
    s.add(NeedPPALink(need_id=ids["need2"], ppa_id=ids["P-1"], share=Decimal("0.5")))
    s.flush()
    return ids


def test_a_user_logs_in_with_the_right_password_only(db):
    with db.uow() as uow:
        users.create_user(
            uow,
            username="planner1",
            full_name="Amina Planner",
            email="a@example.org",
            password="correct horse battery",
            role=Role.PLANNER,
            bcrypt_rounds=4,
        )
        uow.commit()
    with db.uow() as uow:
        assert users.authenticate(uow, "Planner1", "correct horse battery").role is Role.PLANNER
        with pytest.raises(AuthenticationFailed):
            users.authenticate(uow, "planner1", "wrong password!")
        with pytest.raises(AuthenticationFailed):
            users.authenticate(uow, "nobody", "correct horse battery")
        creds = users.authenticator_credentials(uow)
    stored = creds["usernames"]["planner1"]["password"]
    assert stored.startswith("$2") and "correct horse" not in stored


def test_moving_a_ppa_records_its_history_and_the_audit_log(db):
    with db.uow() as uow:
        ids = _small_world(uow)
        uow.commit()
    focal = Actor("focal", Role.MOA_FOCAL, ids["mpw"])
    with db.uow() as uow:
        ppa_workflow.transition_ppa(uow, ids["P-2"], "technical_review", focal, note="complete")
        uow.commit()
    with db.uow() as uow:
        s = uow.session
        assert s.get(PPA, ids["P-2"]).approval_status is ApprovalStatus.TECHNICAL_REVIEW
        change = s.scalar(select(PPAStatusChange))
        assert (change.from_status, change.to_status, change.changed_by) == (
            ApprovalStatus.DRAFT,
            ApprovalStatus.TECHNICAL_REVIEW,
            "focal",
        )
        entry = s.scalar(select(AuditLog).where(AuditLog.entity == "ppa"))
        assert entry.before == {"approval_status": "draft"}
        assert entry.after["approval_status"] == "technical_review"


def test_a_refused_move_changes_nothing(db):
    with db.uow() as uow:
        ids = _small_world(uow)
        uow.commit()
    with db.uow() as uow:
        with pytest.raises(IllegalTransition):
            ppa_workflow.transition_ppa(uow, ids["P-2"], "enacted", Actor("boss", Role.ADMIN))
        other_moa = Actor("focal", Role.MOA_FOCAL, ids["moh"])
        with pytest.raises(TransitionNotPermitted, match="own MOA"):
            ppa_workflow.transition_ppa(uow, ids["P-2"], "technical_review", other_moa)
        uow.commit()
    with db.uow() as uow:
        assert uow.session.get(PPA, ids["P-2"]).approval_status is ApprovalStatus.DRAFT
        assert uow.session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_home_figures_count_unfunded_needs_and_the_budget_by_moa(db):
    with db.uow() as uow:
        _small_world(uow)
        uow.commit()
    with db.uow() as uow:
        fig = figures.home_figures(uow)
    assert fig.fiscal_year == 2026
    assert fig.total_needs == 4
    # validated/prioritized without a PPA: need0 and need1 (need2 is funded, need3 identified)
    assert fig.unfunded_needs == 2
    assert fig.unfunded_cost == Decimal("350000.50")
    assert fig.fy_budget == Decimal("13000000.25")
    assert dict(zip(fig.budget_by_moa.moa, fig.budget_by_moa.budget, strict=True)) == {
        "MPW": Decimal("8000000.25"),
        "MOH": Decimal("5000000.00"),
    }
    assert dict(
        zip(fig.ppas_by_approval.approval_status, fig.ppas_by_approval.ppas, strict=True)
    ) == {
        "draft": 2,
        "enacted": 1,
    }


def test_home_figures_on_an_empty_database_are_zero_not_an_error(db):
    with db.uow() as uow:
        fig = figures.home_figures(uow)
    assert (fig.total_needs, fig.unfunded_needs, fig.fy_budget, fig.fiscal_year) == (0, 0, 0, None)
