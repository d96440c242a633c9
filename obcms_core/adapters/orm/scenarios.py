"""Budget scenarios: allocations per PPA, the change history for undo, optimiser runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Json, Money, Timestamps, enum_col, utcnow
from obcms_core.domain.enums import ScenarioStatus


class BudgetScenario(DemoFlag, Timestamps, Base):
    """A "what if" budget for one fiscal year, built from the baseline or another scenario."""

    __tablename__ = "budget_scenario"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "name"),
        CheckConstraint("envelope > 0", name="envelope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text, default="")
    fiscal_year: Mapped[int] = mapped_column(index=True)
    envelope: Mapped[Money]
    status: Mapped[ScenarioStatus] = enum_col(ScenarioStatus, default=ScenarioStatus.DRAFT)
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_scenario.id", ondelete="SET NULL")
    )
    basis: Mapped[str]  # "baseline" or "scenario", or "optimiser"
    author: Mapped[str]
    rules: Mapped[Json] = mapped_column(default=dict)  # constraint settings (see services)
    weights: Mapped[Json] = mapped_column(default=dict)  # optimiser objective weights
    allocations: Mapped[list[ScenarioAllocation]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan"
    )


class ScenarioAllocation(Base):
    """The amount a scenario gives one PPA, and why."""

    __tablename__ = "scenario_allocation"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("budget_scenario.id", ondelete="CASCADE"), primary_key=True
    )
    ppa_id: Mapped[int] = mapped_column(
        ForeignKey("ppa.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    amount: Mapped[Money]
    justification: Mapped[str] = mapped_column(Text, default="")
    locked: Mapped[bool] = mapped_column(default=False)
    scenario: Mapped[BudgetScenario] = relationship(back_populates="allocations")


class ScenarioChange(Base):
    """One saved edit of a scenario's allocations, kept so the last change can be undone."""

    __tablename__ = "scenario_change"
    __table_args__ = (Index("ix_scenario_change_scenario_seq", "scenario_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("budget_scenario.id", ondelete="CASCADE"))
    summary: Mapped[str]
    changes: Mapped[Json]  # [{"ppa_id": 1, "before": "100.00", "after": "110.00"}, ...]
    changed_by: Mapped[str]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone: Mapped[bool] = mapped_column(default=False)


class OptimisationRun(Base):
    """One optimiser run: its settings, solver figures and the explained result."""

    __tablename__ = "optimisation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_scenario.id", ondelete="SET NULL"), index=True
    )
    fiscal_year: Mapped[int]
    created_by: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    solver: Mapped[str]
    status: Mapped[str]
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    seconds: Mapped[float]
    settings: Mapped[Json]
    result: Mapped[Json]  # allocations by PPA id, explanations, messages

