"""Participatory budgeting: cycles, their projects, one ballot per voter, history, outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Json, Money, Timestamps, enum_col, utcnow
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.pb.cycle import BallotFormat, CountingRule, TieBreak
from obcms_core.domain.pb.milestones import OutboxStatus


def new_settings_version() -> str:
    """A fresh, random version stamp for a cycle's settings."""
    return uuid.uuid4().hex


class PBCycle(DemoFlag, Timestamps, Base):
    """One round of participatory budgeting: envelope, voting window, ballot and counting rule."""

    __tablename__ = "pb_cycle"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "name"),
        CheckConstraint("envelope >= 0", name="envelope"),
        CheckConstraint("closes_at >= opens_at", name="window"),
        CheckConstraint("min_choices >= 0", name="min_choices"),
        CheckConstraint("max_choices IS NULL OR max_choices >= min_choices", name="max_choices"),
        CheckConstraint(
            "min_envelope_share >= 0 AND min_envelope_share <= 1", name="min_envelope_share"
        ),
        CheckConstraint("ballot_count >= 0", name="ballot_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text, default="")
    fiscal_year: Mapped[int] = mapped_column(index=True)
    envelope: Mapped[Money]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    ballot_format: Mapped[BallotFormat] = enum_col(BallotFormat)
    min_choices: Mapped[int] = mapped_column(default=0)
    max_choices: Mapped[int | None]
    min_envelope_share: Mapped[Decimal] = mapped_column(Numeric(5, 4), default=Decimal(0))
    points: Mapped[int | None]  # cumulative: points each voter spreads
    max_points_per_project: Mapped[int | None]
    spend_all_points: Mapped[bool] = mapped_column(default=False)
    min_score: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=5)
    counting_rule: Mapped[CountingRule] = enum_col(CountingRule)
    tie_break: Mapped[TieBreak] = enum_col(TieBreak, default=TieBreak.PROJECT_ID)
    stakeholder_weights: Mapped[Json] = mapped_column(default=dict)  # {"youth": "1.5", ...}
    milestones: Mapped[Json] = mapped_column(default=list)  # ballot counts that notify [100, ...]
    notify_emails: Mapped[Json] = mapped_column(default=list)
    ballot_count: Mapped[int] = mapped_column(default=0)  # kept by the ballot service
    # A fresh random value whenever the cycle's row changes (the ballot counter keeps it): the
    # version the ballot service caches a cycle's ballot form under. NULL: never cached.
    settings_version: Mapped[str | None] = mapped_column(
        String(32), default=new_settings_version, onupdate=new_settings_version
    )
    source: Mapped[str] = mapped_column(String(40), default="workbench")  # or "pabulib"
    pabulib_meta: Mapped[Json | None]  # [[key, value], ...] as the imported file wrote them
    pabulib_layout: Mapped[Json | None]  # line ends, headers, section names of that file
    created_by: Mapped[str]
    projects: Mapped[list[PBProject]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="PBProject.position"
    )


class PBProject(Base):
    """A project on a cycle's ballot, optionally a need, placed in a community or town."""

    __tablename__ = "pb_project"
    __table_args__ = (
        UniqueConstraint("cycle_id", "code"),
        CheckConstraint("cost >= 0", name="cost"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pb_cycle.id", ondelete="CASCADE"))
    code: Mapped[str]  # the project id voters and files use; ties compare it as text
    position: Mapped[int] = mapped_column(default=0)  # published order
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None]
    cost: Mapped[Money]
    cost_as_written: Mapped[str | None] = mapped_column(String(60))  # when Money would round it
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("need.id", ondelete="SET NULL"), index=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL"), index=True
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL")
    )
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"))
    pabulib_fields: Mapped[Json] = mapped_column(default=list)  # other columns, as written
    cycle: Mapped[PBCycle] = relationship(back_populates="projects")


class PBBallot(Base):
    """A voter's current ballot in a cycle: the database keeps one per (cycle, voter)."""

    __tablename__ = "pb_ballot"
    __table_args__ = (
        UniqueConstraint("cycle_id", "voter_key"),
        CheckConstraint("weight > 0", name="weight"),
        CheckConstraint("submissions >= 1", name="submissions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pb_cycle.id", ondelete="CASCADE"))
    voter_key: Mapped[str]  # "user:<id>" for signed-in voters, the file's voter_id on import
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    stakeholder_type: Mapped[str | None] = mapped_column(String(60))
    comment: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(14, 6), default=Decimal(1))  # voter weight
    submissions: Mapped[int] = mapped_column(default=1)
    first_submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    pabulib_fields: Mapped[Json] = mapped_column(default=list)  # age, sex, ... as written


class PBBallotMark(Base):
    """One project marked on a ballot, in ballot order (rank for ranked ballots), with points."""

    __tablename__ = "pb_ballot_mark"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("pb_ballot.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("pb_project.id", ondelete="CASCADE"), index=True
    )
    points: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))


class PBBallotSubmission(Base):
    """Every ballot a voter submitted, kept so they can see their own history."""

    __tablename__ = "pb_ballot_submission"
    __table_args__ = (Index("ix_pb_ballot_submission_voter", "cycle_id", "voter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pb_cycle.id", ondelete="CASCADE"))
    voter_key: Mapped[str]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[ChangeSource] = enum_col(ChangeSource)
    snapshot: Mapped[Json]  # {"projects": [...], "points": [...], "comment": ..., ...}


class NotificationOutbox(Base):
    """A message waiting to be e-mailed; a cycle's milestone is queued at most once."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        UniqueConstraint("cycle_id", "milestone"),
        CheckConstraint("attempts >= 0", name="attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(60))  # e.g. "pb_milestone"
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("pb_cycle.id", ondelete="CASCADE"), index=True
    )
    milestone: Mapped[int | None]
    recipients: Mapped[Json] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = enum_col(OutboxStatus, default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
