"""Quarterly coordination meetings, MOA quarterly reports, the MOA menu of services."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Money, enum_col, utcnow
from obcms_core.adapters.orm.organisations import Organization
from obcms_core.domain.enums import (
    ApplicationStatus,
    EligibilityLevel,
    OfferingStatus,
    ServiceType,
)


class CoordinationMeeting(DemoFlag, Base):
    __tablename__ = "coordination_meeting"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int]
    quarter: Mapped[int]
    title: Mapped[str]
    meeting_date: Mapped[date]
    pre_meeting_report_due: Mapped[date]
    venue: Mapped[str | None]


class MOAQuarterlyReport(DemoFlag, Base):
    __tablename__ = "moa_quarterly_report"
    __table_args__ = (
        UniqueConstraint("organization_id", "fiscal_year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("coordination_meeting.id"))
    fiscal_year: Mapped[int]
    quarter: Mapped[int]
    total_budget_allocated: Mapped[Money]
    total_obc_beneficiaries: Mapped[int]
    accomplishments: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    plans_next_quarter: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    organization: Mapped[Organization] = relationship()


class ServiceOffering(DemoFlag, Base):
    """One item of a MOA's menu of programs and services for OBCs."""

    __tablename__ = "service_offering"
    __table_args__ = (
        CheckConstraint("slots_filled <= total_slots", name="slots"),
        CheckConstraint("closes_on IS NULL OR closes_on >= opens_on", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    service_type: Mapped[ServiceType] = enum_col(ServiceType)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    focal_person_id: Mapped[int | None] = mapped_column(ForeignKey("focal_person.id"))
    eligibility_level: Mapped[EligibilityLevel] = enum_col(EligibilityLevel)
    eligibility_criteria: Mapped[str] = mapped_column(Text, default="")
    total_slots: Mapped[int]
    slots_filled: Mapped[int] = mapped_column(default=0)
    budget_allocated: Mapped[Money]
    budget_utilized: Mapped[Money]
    opens_on: Mapped[date]
    closes_on: Mapped[date | None]
    status: Mapped[OfferingStatus] = enum_col(OfferingStatus)
    organization: Mapped[Organization] = relationship()


class ServiceApplication(DemoFlag, Base):
    __tablename__ = "service_application"
    __table_args__ = (
        CheckConstraint(
            "satisfaction_rating IS NULL OR satisfaction_rating BETWEEN 1 AND 5", name="rating"
        ),
        CheckConstraint("requested_amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("service_offering.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    requested_amount: Mapped[Money]
    beneficiary_count: Mapped[int]
    status: Mapped[ApplicationStatus] = enum_col(ApplicationStatus)
    satisfaction_rating: Mapped[int | None]
    feedback: Mapped[str | None] = mapped_column(Text)
    submitted_on: Mapped[date]
