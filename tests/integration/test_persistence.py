"""Constraints and transactions hold on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from obcms_core.adapters.orm import PPA, AuditLog, Organization, User
from obcms_core.domain.enums import AppropriationClass, FundingSource, OrgType, PPAKind, PPASector
from obcms_core.services import users


def _ppa(**overrides: object) -> PPA:
    values: dict[str, object] = dict(
        code="T-1",
        title="Madrasah classrooms",
        kind=PPAKind.MOA_PPA,
        sector=PPASector.SOCIAL,
        appropriation_class=AppropriationClass.CO,
        funding_source=FundingSource.GAAB,
        fiscal_year=2025,
        budget_ceiling=Decimal("100.00"),
        budget_allocation=Decimal("80.00"),
        obc_allocation=Decimal("20.00"),
    )
    values.update(overrides)
    return PPA(**values)


def test_a_valid_ppa_is_stored_with_exact_peso_amounts(db):
    with db.uow() as uow:
        uow.session.add(_ppa(budget_allocation=Decimal("80.05")))
        uow.commit()
    with db.uow() as uow:
        stored = uow.session.scalar(select(PPA))
        assert stored.budget_allocation == Decimal("80.05")
        assert isinstance(stored.budget_allocation, Decimal)


@pytest.mark.parametrize(
    "overrides",
    [
        {"budget_allocation": Decimal("120.00")},  # above the ceiling
        {"obc_allocation": Decimal("90.00")},  # OBC share above the allocation
        {"total_slots": 10, "obc_slots": 11},
        {"fiscal_year": 1999},
        {"start_date": date(2025, 5, 1), "target_end_date": date(2025, 4, 1)},
    ],
)
def test_the_database_refuses_a_ppa_that_breaks_a_budget_rule(db, overrides):
    with db.uow() as uow:
        uow.session.add(_ppa(**overrides))
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_an_enum_column_refuses_a_value_outside_its_list(db):
    from sqlalchemy import text

    with db.engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(
            text(
                "INSERT INTO organization (name, org_type, is_active, is_demo) "
                "VALUES ('X', 'spaceship', true, false)"
            )
        )


def test_a_rolled_back_write_leaves_nothing_behind(db):
    with db.uow() as uow:
        uow.session.add(
            Organization(name="Ministry of Health", acronym="MOH", org_type=OrgType.MOA)
        )
        users.create_user(
            uow,
            username="officer1",
            full_name="Budget Officer",
            email="o@example.org",
            password="a-long-password",
            role="budget_officer",
            bcrypt_rounds=4,
        )
        # no commit: leaving the block rolls everything back
    with db.uow() as uow:
        for model in (Organization, User, AuditLog):
            assert uow.session.scalar(select(func.count()).select_from(model)) == 0


def test_a_duplicate_username_is_refused_with_a_clear_message(db):
    with db.uow() as uow:
        kwargs = dict(
            full_name="A B",
            email="a@example.org",
            password="long-enough-pw",
            role="analyst",
            bcrypt_rounds=4,
        )
        users.create_user(uow, username="ana", **kwargs)
        with pytest.raises(users.ValidationFailed, match="already taken"):
            users.create_user(uow, username="ANA", **kwargs)
