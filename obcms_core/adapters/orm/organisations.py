"""Organisations (MOAs with parents, LGUs, NGAs, CSOs, donors), focal persons, users, audit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Json, enum_col, utcnow
from obcms_core.domain.enums import ChangeSource, FocalRole, OrgType, Role


class Organization(DemoFlag, Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    acronym: Mapped[str | None] = mapped_column(unique=True)
    org_type: Mapped[OrgType] = enum_col(OrgType)
    moa_kind: Mapped[str | None]  # ministry, office, attached_agency, other_entity
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    parent: Mapped[Organization | None] = relationship(remote_side="Organization.id")
    focal_persons: Mapped[list[FocalPerson]] = relationship(back_populates="organization")


class FocalPerson(DemoFlag, Base):
    """A MOA's designated contact for OBC matters (primary, alternate or technical)."""

    __tablename__ = "focal_person"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= appointed_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    full_name: Mapped[str]
    role: Mapped[FocalRole] = enum_col(FocalRole)
    designation: Mapped[str | None]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    appointed_on: Mapped[date]
    ended_on: Mapped[date | None]
    organization: Mapped[Organization] = relationship(back_populates="focal_persons")

    def is_active_on(self, day: date) -> bool:
        return self.appointed_on <= day and (self.ended_on is None or self.ended_on >= day)


class User(DemoFlag, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(unique=True)
    full_name: Mapped[str]
    email: Mapped[str]
    password_hash: Mapped[str]
    role: Mapped[Role] = enum_col(Role)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditLog(Base):
    """Who changed what, when, from where, with the values before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str]
    source: Mapped[ChangeSource] = enum_col(ChangeSource)
    action: Mapped[str]
    entity: Mapped[str]
    entity_id: Mapped[str]
    before: Mapped[Json | None]
    after: Mapped[Json | None]


class DatasetInfo(Base):
    """Key facts about what was loaded: reference versions, demo seed and scale."""

    __tablename__ = "dataset_info"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str]
    value: Mapped[Json]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
