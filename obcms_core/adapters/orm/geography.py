"""Region → province → city/municipality → barangay, keyed by PSGC codes."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from obcms_core.adapters.orm.base import Base


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(unique=True)  # "IX", "X", "XI", "XII"
    psgc_code: Mapped[str | None] = mapped_column(unique=True)
    name: Mapped[str]
    provinces: Mapped[list[Province]] = relationship(back_populates="region")


class Province(Base):
    """A province, or a highly urbanised city listed at province level by the census."""

    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    psgc_code: Mapped[str | None] = mapped_column(unique=True)
    name: Mapped[str]
    census_name: Mapped[str] = mapped_column(unique=True)
    is_huc: Mapped[bool] = mapped_column(default=False)
    population_2024: Mapped[int | None]
    center_lat: Mapped[float | None]
    center_lon: Mapped[float | None]
    boundary_geojson: Mapped[str | None] = mapped_column(Text)
    shape_quality: Mapped[str | None]
    region: Mapped[Region] = relationship(back_populates="provinces")
    municipalities: Mapped[list[Municipality]] = relationship(back_populates="province")


class Municipality(Base):
    """A city or municipality."""

    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("province_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    psgc_code: Mapped[str | None] = mapped_column(unique=True)
    name: Mapped[str]
    is_city: Mapped[bool] = mapped_column(default=False)
    population_2024: Mapped[int | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    province: Mapped[Province] = relationship(back_populates="municipalities")
    barangays: Mapped[list[Barangay]] = relationship(back_populates="municipality")


class Barangay(Base):
    __tablename__ = "barangay"
    __table_args__ = (
        UniqueConstraint("municipality_id", "name"),
        CheckConstraint("population_2024 IS NULL OR population_2024 >= 0", name="population"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    psgc_code: Mapped[str | None] = mapped_column(unique=True)
    name: Mapped[str]
    population_2024: Mapped[int | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    municipality: Mapped[Municipality] = relationship(back_populates="barangays")
