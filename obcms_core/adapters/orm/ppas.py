"""PPAs (programs, projects, activities) with coverage, indicators, funding flows, approvals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Money, Timestamps, enum_col, utcnow
from obcms_core.adapters.orm.organisations import Organization
from obcms_core.domain.enums import (
    AppropriationClass,
    ApprovalStatus,
    FlowType,
    FundingSource,
    ImplementationStatus,
    IndicatorType,
    PPAKind,
    PPASector,
)


class PPA(DemoFlag, Timestamps, Base):
    __tablename__ = "ppa"
    __table_args__ = (
        CheckConstraint("fiscal_year BETWEEN 2000 AND 2100", name="fiscal_year"),
        CheckConstraint("budget_ceiling IS NULL OR budget_ceiling >= 0", name="ceiling_nonneg"),
        CheckConstraint("budget_allocation IS NULL OR budget_allocation >= 0", name="alloc_nonneg"),
        CheckConstraint("obc_allocation IS NULL OR obc_allocation >= 0", name="obc_nonneg"),
        CheckConstraint(
            "budget_ceiling IS NULL OR budget_allocation IS NULL "
            "OR budget_allocation <= budget_ceiling",
            name="allocation_within_ceiling",
        ),
        CheckConstraint(
            "budget_allocation IS NULL OR obc_allocation IS NULL "
            "OR obc_allocation <= budget_allocation",
            name="obc_share_within_allocation",
        ),
        CheckConstraint(
            "total_slots IS NULL OR obc_slots IS NULL OR obc_slots <= total_slots",
            name="obc_slots_within_total",
        ),
        CheckConstraint(
            "start_date IS NULL OR target_end_date IS NULL OR target_end_date >= start_date",
            name="dates",
        ),
        Index("ix_ppa_fy_org", "fiscal_year", "implementing_org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[PPAKind] = enum_col(PPAKind)
    implementing_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    sector: Mapped[PPASector] = enum_col(PPASector)
    # PS/MOOE/CO is unknown for enacted line items that are published as totals.
    appropriation_class: Mapped[AppropriationClass | None] = enum_col(
        AppropriationClass, nullable=True
    )
    funding_source: Mapped[FundingSource] = enum_col(FundingSource)
    fiscal_year: Mapped[int] = mapped_column(index=True)
    budget_ceiling: Mapped[Money | None]
    budget_allocation: Mapped[Money | None]
    obc_allocation: Mapped[Money | None]
    total_slots: Mapped[int | None]
    obc_slots: Mapped[int | None]
    compliance_gad: Mapped[bool] = mapped_column(default=False)
    compliance_climate: Mapped[bool] = mapped_column(default=False)
    compliance_ip: Mapped[bool] = mapped_column(default=False)
    compliance_peace: Mapped[bool] = mapped_column(default=False)
    compliance_sdg: Mapped[bool] = mapped_column(default=False)
    approval_status: Mapped[ApprovalStatus] = enum_col(
        ApprovalStatus, default=ApprovalStatus.DRAFT, index=True
    )
    status: Mapped[ImplementationStatus] = enum_col(
        ImplementationStatus, default=ImplementationStatus.PLANNING
    )
    start_date: Mapped[date | None]
    target_end_date: Mapped[date | None]
    is_baseline: Mapped[bool] = mapped_column(default=False)  # enacted GAAB line item
    implementing_org: Mapped[Organization | None] = relationship()
    coverage: Mapped[list[PPACoverage]] = relationship(back_populates="ppa")
    indicators: Mapped[list[PPAIndicator]] = relationship(back_populates="ppa")
    flows: Mapped[list[FundingFlow]] = relationship(back_populates="ppa")


class PPACoverage(Base):
    """One area a PPA covers: a region, optionally narrowed to a province or municipality."""

    __tablename__ = "ppa_coverage"

    id: Mapped[int] = mapped_column(primary_key=True)
    ppa_id: Mapped[int] = mapped_column(ForeignKey("ppa.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("province.id"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    ppa: Mapped[PPA] = relationship(back_populates="coverage")


class PPAIndicator(Base):
    __tablename__ = "ppa_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    ppa_id: Mapped[int] = mapped_column(ForeignKey("ppa.id", ondelete="CASCADE"), index=True)
    indicator_type: Mapped[IndicatorType] = enum_col(IndicatorType)
    description: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str | None]
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    unit: Mapped[str | None]
    ppa: Mapped[PPA] = relationship(back_populates="indicators")


class FundingFlow(DemoFlag, Base):
    """An allotment, obligation, disbursement or adjustment of a PPA's funds."""

    __tablename__ = "funding_flow"
    __table_args__ = (
        CheckConstraint("flow_type = 'adjustment' OR amount >= 0", name="amount"),
        Index("ix_funding_flow_ppa_type", "ppa_id", "flow_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ppa_id: Mapped[int] = mapped_column(ForeignKey("ppa.id", ondelete="CASCADE"))
    flow_type: Mapped[FlowType] = enum_col(FlowType)
    amount: Mapped[Money]
    appropriation_class: Mapped[AppropriationClass | None] = enum_col(
        AppropriationClass, nullable=True
    )
    flow_date: Mapped[date]
    remarks: Mapped[str | None]
    ppa: Mapped[PPA] = relationship(back_populates="flows")


class PPAStatusChange(Base):
    """One step of a PPA's approval history (the state machine's trail)."""

    __tablename__ = "ppa_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    ppa_id: Mapped[int] = mapped_column(ForeignKey("ppa.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ApprovalStatus] = enum_col(ApprovalStatus)
    to_status: Mapped[ApprovalStatus] = enum_col(ApprovalStatus)
    changed_by: Mapped[str]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
