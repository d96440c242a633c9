"""load-reference puts the real geography, MOAs and GAAB 2025 baseline in either database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Municipality,
    Organization,
    PPAIndicator,
    Province,
)
from obcms_core.pipelines.reference import load_reference, reference_loaded


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, backends):
    db = backends.new(request.param)
    report = load_reference(db, progress=lambda _msg: None)
    return db, report


def _count(db, model, *where):
    with db.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_census_geography_is_loaded_with_psgc_codes(loaded):
    db, report = loaded
    assert (_count(db, Province), _count(db, Municipality), _count(db, Barangay)) == (24, 282, 6597)
    coded = _count(db, Barangay, Barangay.psgc_code.is_not(None))
    assert coded / 6597 >= 0.99
    assert report.barangay_match_rate == pytest.approx(coded / 6597)
    assert _count(db, Municipality, Municipality.psgc_code.is_(None)) == 0
    with db.uow() as uow:
        codes = list(
            uow.session.scalars(select(Barangay.psgc_code).where(Barangay.psgc_code.is_not(None)))
        )
    assert all(len(c) == 10 and c.isdigit() for c in codes)


def test_every_province_has_a_centre_and_wrong_shapes_are_flagged(loaded):
    db, _ = loaded
    with db.uow() as uow:
        rows = uow.session.execute(
            select(Province.name, Province.center_lat, Province.shape_quality)
        ).all()
    assert all(lat is not None for _, lat, _ in rows)
    flagged = {name for name, _, quality in rows if quality and "centre point" in quality}
    assert any("Iligan" in name for name in flagged)


def test_the_gaab_2025_baseline_totals_exactly_the_enacted_amount(loaded):
    db, report = loaded
    with db.uow() as uow:
        total = uow.session.scalar(
            select(func.sum(PPA.budget_allocation)).where(PPA.is_baseline, PPA.fiscal_year == 2025)
        )
    assert Decimal(total) == Decimal("60153195042.00") == report.baseline_total
    assert _count(db, PPA, PPA.is_baseline) == 211
    assert _count(db, PPAIndicator) == 1463


def test_moas_are_loaded_with_their_parent_ministry(loaded):
    db, _ = loaded
    with db.uow() as uow:
        oobc = uow.session.scalar(select(Organization).where(Organization.acronym == "OOBC"))
        assert oobc is not None and oobc.parent is not None and oobc.parent.acronym == "OCM"
    assert _count(db, Organization) >= 43


def test_loading_the_reference_data_twice_changes_nothing(loaded):
    db, _ = loaded
    before = [
        _count(db, m) for m in (Province, Municipality, Barangay, Organization, PPA, PPAIndicator)
    ]
    load_reference(db, progress=lambda _msg: None)
    after = [
        _count(db, m) for m in (Province, Municipality, Barangay, Organization, PPA, PPAIndicator)
    ]
    assert before == after
    assert reference_loaded(db)
