"""The public needs browser: filters change the rows, pages move through them, no personal data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, text
from workbench_harness import open_app, texts

from obcms_core.adapters.orm import Community, Need, NeedCategory
from obcms_core.domain.enums import Feasibility, NeedStatus, SubmissionType, Urgency
from obcms_core.services.database import Database


def public_count(db: Database, where: str = "1 = 1") -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(text(
            "SELECT count(*) FROM need n JOIN community c ON c.id = n.community_id "
            "JOIN barangay b ON b.id = c.barangay_id "
            "JOIN municipality m ON m.id = b.municipality_id "
            "JOIN province p ON p.id = m.province_id JOIN region r ON r.id = p.region_id "
            f"WHERE n.status <> 'rejected' AND {where}"
        )))


def test_anonymous_visitor_sees_public_needs_without_personal_data(sample_db: Database) -> None:
    at = open_app().run()
    rows = at.dataframe[0].value
    assert len(rows) == public_count(sample_db) == 7
    assert "submitted_by" not in rows.columns
    assert "Field officer (private)" not in rows.astype(str).to_numpy().ravel().tolist()
    assert "Deep well, Fort Pikit" not in set(rows["title"])  # rejected needs stay private
    assert texts(at.caption)[-1] == "Showing 1–7 of 7 needs"


def test_region_filter_changes_the_rows(sample_db: Database) -> None:
    at = open_app().run()
    at.selectbox(key="needs_region").select("XII").run()
    rows = at.dataframe[0].value
    assert len(rows) == public_count(sample_db, "r.code = 'XII'") == 3
    assert set(rows["municipality"]) == {"Pikit"}
    at.selectbox(key="needs_category").select("Education").run()
    rows = at.dataframe[0].value
    assert set(rows["title"]) == {"Teacher allowances, Fort Pikit", "Scholarships, Fort Pikit"}


def test_status_filter_and_search_narrow_the_rows(sample_db: Database) -> None:
    at = open_app().run()
    at.selectbox(key="needs_status").select("prioritized").run()
    assert set(at.dataframe[0].value["title"]) == {
        "Water system for Fort Pikit", "Classrooms for Tiguma madrasah"}
    at.selectbox(key="needs_status").select_index(0).run()  # all statuses
    at.text_input(key="needs_search").input("pagadian").run()
    assert len(at.dataframe[0].value) == public_count(
        sample_db, "lower(m.name) LIKE '%pagadian%'") == 4


def test_a_search_that_matches_nothing_says_what_to_do(sample_db: Database) -> None:
    at = open_app().run()
    at.text_input(key="needs_search").input("no such need").run()
    assert not at.dataframe
    assert texts(at.info) == [
        "No need matches these filters. Clear the search or choose “All” in a filter."]


def test_pages_move_through_many_needs_and_a_filter_returns_to_page_one(
    sample_db: Database,
) -> None:
    with sample_db.uow() as uow:
        community = uow.session.scalars(select(Community).order_by(Community.id)).first()
        category = uow.session.scalars(select(NeedCategory)).first()
        for i in range(30):
            uow.session.add(Need(
                title=f"Extra need {i:02d}", community=community, category=category,
                affected_population=10, urgency=Urgency.LONG_TERM, severity=1,
                feasibility=Feasibility.LOW, status=NeedStatus.IDENTIFIED,
                priority_score=Decimal("0.5"), submission_type=SubmissionType.COMMUNITY_SUBMITTED,
                submitted_on=date(2025, 2, 1),
            ))
        uow.commit()
    at = open_app().run()
    assert texts(at.caption)[-1] == "Showing 1–25 of 37 needs"
    at.pagination(key="needs_page").select(2).run()
    assert texts(at.caption)[-1] == "Showing 26–37 of 37 needs"
    assert len(at.dataframe[0].value) == 12
    at.selectbox(key="needs_region").select("IX").run()
    assert texts(at.caption)[-1] == "Showing 1–25 of 34 needs"
