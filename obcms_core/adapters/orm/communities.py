"""OBC communities: one barangay's Bangsamoro population and its access to services."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base, DemoFlag, Timestamps, enum_col
from obcms_core.adapters.orm.geography import Barangay
from obcms_core.domain.enums import AccessRating, EthnolinguisticGroup, PovertyBand


class Community(DemoFlag, Timestamps, Base):
    __tablename__ = "community"
    __table_args__ = (
        CheckConstraint("estimated_obc_population >= 0", name="obc_population"),
        CheckConstraint("households >= 0", name="households"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obc_code: Mapped[str] = mapped_column(unique=True)  # REGION-PROV-MUNI-####
    barangay_id: Mapped[int] = mapped_column(ForeignKey("barangay.id"), unique=True)
    name: Mapped[str]
    estimated_obc_population: Mapped[int]
    households: Mapped[int]
    ethnolinguistic_group: Mapped[EthnolinguisticGroup] = enum_col(EthnolinguisticGroup)
    poverty_band: Mapped[PovertyBand] = enum_col(PovertyBand, default=PovertyBand.UNKNOWN)
    access_water: Mapped[AccessRating] = enum_col(AccessRating)
    access_electricity: Mapped[AccessRating] = enum_col(AccessRating)
    access_health: Mapped[AccessRating] = enum_col(AccessRating)
    access_education: Mapped[AccessRating] = enum_col(AccessRating)
    access_roads: Mapped[AccessRating] = enum_col(AccessRating)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    barangay: Mapped[Barangay] = relationship()
