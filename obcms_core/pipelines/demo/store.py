"""Bulk writes of generated rows, sequence repair, and removal of every demo row."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Select, Table, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import (
    PPA,
    Base,
    Community,
    CoordinationMeeting,
    FocalPerson,
    FundingFlow,
    MOAQuarterlyReport,
    Need,
    NeedPPALink,
    PolicyMilestone,
    PolicyNeedLink,
    PolicyPPALink,
    PolicyRecommendation,
    PPACoverage,
    PPAIndicator,
    PPAStatusChange,
    ServiceApplication,
    ServiceOffering,
    User,
)
from obcms_core.domain.errors import ValidationFailed
from obcms_core.pipelines.demo.base import Row
from obcms_core.pipelines.demo.snapshot import GENERATED_TABLES

BATCH = 5000


def insert_rows(session: Session, table: str, rows: Sequence[Row]) -> int:
    """Insert rows in the session's transaction: COPY on PostgreSQL, executemany on SQLite."""
    target: Table = Base.metadata.tables[table]
    conn = session.connection()
    if rows and conn.dialect.name == "postgresql":
        _copy_rows(session, target, rows)
        return len(rows)
    for start in range(0, len(rows), BATCH):
        conn.execute(target.insert(), list(rows[start : start + BATCH]))
    return len(rows)


def _copy_rows(session: Session, target: Table, rows: Sequence[Row]) -> None:
    """COPY is several times faster than multi-row INSERTs for tens of thousands of rows."""
    columns = list(rows[0])
    enums = [i for i, c in enumerate(columns) if isinstance(target.c[c].type, SAEnum)]
    raw = session.connection().connection.driver_connection
    assert raw is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{target.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[c] for c in columns]
            for i in enums:  # the database stores an enum's value, not the member's name
                if values[i] is not None:
                    values[i] = values[i].value if isinstance(values[i], Enum) else values[i]
            copy.write_row(values)


def reset_sequences(session: Session) -> None:
    """PostgreSQL keeps its own id counters; move them past the ids the generator assigned."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    for table in GENERATED_TABLES:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
            )
        )


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def delete_demo_rows(session: Session) -> None:
    """Remove all is_demo rows and the links that touch them; reference rows stay."""
    demo_need = select(Need.id).where(Need.is_demo.is_(True))
    demo_ppa = select(PPA.id).where(PPA.is_demo.is_(True))
    demo_policy = select(PolicyRecommendation.id).where(PolicyRecommendation.is_demo.is_(True))
    demo_community = select(Community.id).where(Community.is_demo.is_(True))
    demo_offering = select(ServiceOffering.id).where(ServiceOffering.is_demo.is_(True))
    demo_focal = select(FocalPerson.id).where(FocalPerson.is_demo.is_(True))
    real_on_demo = _count(
        session,
        select(Need.id).where(Need.is_demo.is_(False), Need.community_id.in_(demo_community)),
    ) + _count(
        session,
        select(ServiceApplication.id).where(
            ServiceApplication.is_demo.is_(False),
            or_(ServiceApplication.community_id.in_(demo_community),
                ServiceApplication.offering_id.in_(demo_offering)),
        ),
    )
    if real_on_demo:
        raise ValidationFailed(
            f"{real_on_demo} needs or service applications entered by users refer to demo "
            "communities or offerings; move or delete them before replacing the demo data."
        )
    statements = [
        delete(NeedPPALink).where(or_(NeedPPALink.need_id.in_(demo_need),
                                      NeedPPALink.ppa_id.in_(demo_ppa))),
        delete(PolicyNeedLink).where(or_(PolicyNeedLink.policy_id.in_(demo_policy),
                                         PolicyNeedLink.need_id.in_(demo_need))),
        delete(PolicyPPALink).where(or_(PolicyPPALink.policy_id.in_(demo_policy),
                                        PolicyPPALink.ppa_id.in_(demo_ppa))),
        delete(PolicyMilestone).where(PolicyMilestone.policy_id.in_(demo_policy)),
        delete(ServiceApplication).where(ServiceApplication.is_demo.is_(True)),
        update(ServiceOffering).where(ServiceOffering.focal_person_id.in_(demo_focal))
        .values(focal_person_id=None),
        delete(ServiceOffering).where(ServiceOffering.is_demo.is_(True)),
        update(MOAQuarterlyReport)
        .where(MOAQuarterlyReport.meeting_id.in_(
            select(CoordinationMeeting.id).where(CoordinationMeeting.is_demo.is_(True))))
        .values(meeting_id=None),
        delete(MOAQuarterlyReport).where(MOAQuarterlyReport.is_demo.is_(True)),
        delete(CoordinationMeeting).where(CoordinationMeeting.is_demo.is_(True)),
        delete(FundingFlow).where(or_(FundingFlow.is_demo.is_(True),
                                      FundingFlow.ppa_id.in_(demo_ppa))),
        delete(PPAStatusChange).where(PPAStatusChange.ppa_id.in_(demo_ppa)),
        delete(PPAIndicator).where(PPAIndicator.ppa_id.in_(demo_ppa)),
        delete(PPACoverage).where(PPACoverage.ppa_id.in_(demo_ppa)),
        delete(PPA).where(PPA.is_demo.is_(True)),
        delete(PolicyRecommendation).where(PolicyRecommendation.is_demo.is_(True)),
        delete(Need).where(Need.is_demo.is_(True)),
        delete(Community).where(Community.is_demo.is_(True)),
        delete(FocalPerson).where(FocalPerson.is_demo.is_(True)),
        update(FocalPerson).where(FocalPerson.user_id.in_(
            select(User.id).where(User.is_demo.is_(True)))).values(user_id=None),
        delete(User).where(User.is_demo.is_(True)),
    ]
    for stmt in statements:
        session.execute(stmt.execution_options(synchronize_session=False))
    # Any other table that flags demo rows (added later by other features), children first.
    for table in reversed(Base.metadata.sorted_tables):
        if "is_demo" in table.c:
            session.execute(table.delete().where(table.c.is_demo.is_(True)))
