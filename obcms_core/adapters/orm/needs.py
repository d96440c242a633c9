"""Need categories, needs and the one Need ↔ PPA link table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Money, Timestamps, enum_col, utcnow
from obcms_core.adapters.orm.communities import Community
from obcms_core.domain.enums import Feasibility, NeedSector, NeedStatus, SubmissionType, Urgency


class NeedCategory(Base):
    __tablename__ = "need_category"
    __table_args__ = (CheckConstraint("weight > 0 AND weight <= 5", name="weight"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    sector: Mapped[NeedSector] = enum_col(NeedSector)
    weight: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.00"))


class Need(DemoFlag, Timestamps, Base):
    __tablename__ = "need"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("affected_population >= 0", name="affected_population"),
        CheckConstraint("affected_households IS NULL OR affected_households >= 0", name="hh"),
        CheckConstraint("estimated_cost IS NULL OR estimated_cost >= 0", name="cost"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    description: Mapped[str] = mapped_column(Text, default="")
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("need_category.id"), index=True)
    affected_population: Mapped[int]
    affected_households: Mapped[int | None]
    urgency: Mapped[Urgency] = enum_col(Urgency)
    severity: Mapped[int]
    feasibility: Mapped[Feasibility] = enum_col(Feasibility)
    estimated_cost: Mapped[Money | None]
    status: Mapped[NeedStatus] = enum_col(NeedStatus, default=NeedStatus.IDENTIFIED, index=True)
    priority_score: Mapped[Decimal] = mapped_column(Numeric(6, 3), index=True)
    submission_type: Mapped[SubmissionType] = enum_col(SubmissionType)
    submitted_by: Mapped[str | None]
    submitted_on: Mapped[date]
    forwarded_to_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    forwarded_on: Mapped[date | None]
    forwarded_by: Mapped[str | None]
    budget_included_on: Mapped[date | None]
    community: Mapped[Community] = relationship()
    category: Mapped[NeedCategory] = relationship()
    ppa_links: Mapped[list[NeedPPALink]] = relationship(back_populates="need")


class NeedPPALink(Base):
    """A PPA that funds (part of) a need; share is the fraction of the need it covers."""

    __tablename__ = "need_ppa_link"
    __table_args__ = (CheckConstraint("share > 0 AND share <= 1", name="share"),)

    need_id: Mapped[int] = mapped_column(
        ForeignKey("need.id", ondelete="CASCADE"), primary_key=True
    )
    ppa_id: Mapped[int] = mapped_column(
        ForeignKey("ppa.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    share: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal(1))
    linked_on: Mapped[datetime] = mapped_column(default=utcnow)
    linked_by: Mapped[str | None]
    need: Mapped[Need] = relationship(back_populates="ppa_links")
