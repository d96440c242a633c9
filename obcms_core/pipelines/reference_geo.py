"""Regions IX–XII geography from the 2024 census, keyed by PSGC codes, with province shapes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import Barangay, Municipality, Province, Region
from obcms_core.pipelines.psgc import fold, match_census

REGIONS = {
    "IX": ("0900000000", "Region IX – Zamboanga Peninsula"),
    "X": ("1000000000", "Region X – Northern Mindanao"),
    "XI": ("1100000000", "Region XI – Davao Region"),
    "XII": ("1200000000", "Region XII – SOCCSKSARGEN"),
}
CENSUS_FILE = "population_regions_ix_xii.csv"
SHAPES_FILE = "provinces_regions_ix_xii.geojson"


@dataclass(frozen=True)
class GeographyReport:
    provinces: int
    municipalities: int
    barangays: int
    province_match_rate: float
    municipality_match_rate: float
    barangay_match_rate: float
    unmatched: list[str]


def _shape_key(name: str) -> str:
    """Census and shape names differ ('CITY OF ZAMBOANGA' vs 'Zamboanga City')."""
    words = fold(name).replace("(huc)", "").replace("city of", "").replace("city", "").split()
    return " ".join(words)


def _shapes(path: Path) -> dict[str, dict[str, Any]]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {_shape_key(f["properties"]["name"]): f for f in features}


def _official(row: pd.Series, fallback: str) -> str:
    name = row["psgc_name"]
    return str(name) if isinstance(name, str) and name else fallback


def _code(row: pd.Series) -> str | None:
    code = row["psgc_code"]
    return str(code) if isinstance(code, str) and code else None


def _population(row: pd.Series) -> int | None:
    value = row["population"]
    return None if pd.isna(value) else int(value)


def load_geography(session: Session, reference_dir: Path) -> GeographyReport:
    """Insert or refresh regions, provinces, cities/municipalities and barangays (idempotent)."""
    census = pd.read_csv(reference_dir / CENSUS_FILE, dtype={"population": "Int64"})
    result = match_census(census)
    table = result.table
    shapes = _shapes(reference_dir / SHAPES_FILE)

    region_ids = _upsert_regions(session)
    province_ids: dict[str, int] = {}
    existing = {p.census_name: p for p in session.scalars(select(Province))}
    for _, row in table[table.level == "province"].iterrows():
        shape = shapes.get(_shape_key(row["province"]))
        props = shape["properties"] if shape else {}
        values = dict(
            region_id=region_ids[row["region"]],
            psgc_code=_code(row),
            name=_official(row, str(row["province"]).title()),
            census_name=row["province"],
            is_huc="CITY" in str(row["province"]).upper(),
            population_2024=_population(row),
            center_lat=props.get("center_lat"),
            center_lon=props.get("center_lon"),
            boundary_geojson=json.dumps(shape["geometry"]) if shape else None,
            shape_quality=props.get("shape_quality", "polygon" if shape else None),
        )
        if row["province"] in existing:
            province = existing[row["province"]]
            for key, value in values.items():
                setattr(province, key, value)
        else:
            province = Province(**values)
            session.add(province)
        session.flush()
        province_ids[row["province"]] = province.id

    muni_ids = _upsert_municipalities(session, table, province_ids)
    _upsert_barangays(session, table, muni_ids)
    unmatched = [
        " / ".join(
            str(v)
            for v in r[["region", "province", "city_municipality", "barangay"]]
            if isinstance(v, str)
        )
        for _, r in result.unmatched.iterrows()
    ]
    return GeographyReport(
        provinces=len(province_ids),
        municipalities=len(muni_ids),
        barangays=int((table.level == "barangay").sum()),
        province_match_rate=result.province_match_rate,
        municipality_match_rate=result.municipality_match_rate,
        barangay_match_rate=result.barangay_match_rate,
        unmatched=unmatched,
    )


def _upsert_regions(session: Session) -> dict[str, int]:
    existing = {r.code: r for r in session.scalars(select(Region))}
    for code, (psgc, name) in REGIONS.items():
        if code not in existing:
            existing[code] = Region(code=code, psgc_code=psgc, name=name)
            session.add(existing[code])
    session.flush()
    return {code: region.id for code, region in existing.items()}


def _upsert_municipalities(
    session: Session, table: pd.DataFrame, province_ids: dict[str, int]
) -> dict[tuple[str, str], int]:
    existing = {
        (m.province_id, m.name): m.id
        for m in session.execute(
            select(Municipality.id, Municipality.province_id, Municipality.name)
        )
    }
    ids: dict[tuple[str, str], int] = {}
    for _, row in table[table.level == "city_municipality"].iterrows():
        province_id = province_ids[row["province"]]
        name = _official(row, str(row["city_municipality"]))
        values = dict(
            province_id=province_id,
            psgc_code=_code(row),
            name=name,
            is_city="city" in fold(row["city_municipality"]),
            population_2024=_population(row),
        )
        key = (province_id, name)
        if key in existing:
            session.execute(
                update(Municipality).where(Municipality.id == existing[key]).values(**values)
            )
            muni_id = existing[key]
        else:
            muni_id = session.execute(
                insert(Municipality).values(**values).returning(Municipality.id)
            ).scalar_one()
        ids[(row["province"], row["city_municipality"])] = muni_id
    return ids


def _upsert_barangays(
    session: Session, table: pd.DataFrame, muni_ids: dict[tuple[str, str], int]
) -> None:
    existing = {
        (b.municipality_id, b.name): b.id
        for b in session.execute(select(Barangay.id, Barangay.municipality_id, Barangay.name))
    }
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for row in table[table.level == "barangay"].to_dict("records"):
        muni_id = muni_ids[(row["province"], row["city_municipality"])]
        series = pd.Series(row)
        name = _official(series, str(row["barangay"]))
        if (muni_id, name) in seen:  # two census rows with one official name: keep census names
            name = str(row["barangay"])
        seen.add((muni_id, name))
        values = dict(
            municipality_id=muni_id,
            psgc_code=_code(series),
            name=name,
            population_2024=_population(series),
        )
        if (muni_id, name) in existing:
            updates.append({"id": existing[(muni_id, name)], **values})
        else:
            new_rows.append(values)
    if new_rows:
        session.execute(insert(Barangay), new_rows)
    if updates:
        session.execute(update(Barangay), updates)
