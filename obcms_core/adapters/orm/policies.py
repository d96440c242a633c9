"""Policy recommendations, their implementation milestones and links to needs and PPAs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Money, Timestamps, enum_col
from obcms_core.domain.enums import (
    MilestoneStatus,
    PolicyCategory,
    PolicyScope,
    PolicyStatus,
    Priority,
)
from obcms_core.domain.rules import milestone_is_overdue


class PolicyRecommendation(DemoFlag, Timestamps, Base):
    __tablename__ = "policy_recommendation"
    __table_args__ = (
        CheckConstraint("estimated_cost IS NULL OR estimated_cost >= 0", name="cost"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_number: Mapped[str] = mapped_column(unique=True)
    title: Mapped[str]
    category: Mapped[PolicyCategory] = enum_col(PolicyCategory)
    scope: Mapped[PolicyScope] = enum_col(PolicyScope)
    status: Mapped[PolicyStatus] = enum_col(PolicyStatus, default=PolicyStatus.DRAFT)
    priority: Mapped[Priority] = enum_col(Priority)
    problem_statement: Mapped[str] = mapped_column(Text, default="")
    proposed_solution: Mapped[str] = mapped_column(Text, default="")
    estimated_cost: Mapped[Money | None]
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    submitted_on: Mapped[date | None]
    milestones: Mapped[list[PolicyMilestone]] = relationship(
        back_populates="policy", order_by="PolicyMilestone.sequence"
    )


class PolicyMilestone(Base):
    __tablename__ = "policy_milestone"
    __table_args__ = (
        UniqueConstraint("policy_id", "sequence"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policy_recommendation.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int]
    title: Mapped[str]
    target_date: Mapped[date | None]
    completed_on: Mapped[date | None]
    progress: Mapped[int] = mapped_column(default=0)
    status: Mapped[MilestoneStatus] = enum_col(MilestoneStatus, default=MilestoneStatus.NOT_STARTED)
    responsible_party: Mapped[str | None]
    policy: Mapped[PolicyRecommendation] = relationship(back_populates="milestones")

    def is_overdue(self, today: date) -> bool:
        return milestone_is_overdue(self.target_date, self.completed_on, today)


class PolicyNeedLink(Base):
    __tablename__ = "policy_need_link"

    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policy_recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[int] = mapped_column(
        ForeignKey("need.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PolicyPPALink(Base):
    """A PPA that implements a policy recommendation."""

    __tablename__ = "policy_ppa_link"

    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policy_recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    ppa_id: Mapped[int] = mapped_column(
        ForeignKey("ppa.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
