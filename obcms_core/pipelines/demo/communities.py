"""OBC communities in real barangays: group, population share, poverty and access ratings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from obcms_core.domain.enums import AccessRating, EthnolinguisticGroup, PovertyBand
from obcms_core.pipelines.demo.base import AS_OF, Row, at, streams
from obcms_core.pipelines.demo.profiles import profile_for
from obcms_core.pipelines.demo.snapshot import Place
from obcms_core.pipelines.demo.texts import group_name

BANDS = (PovertyBand.VERY_LOW, PovertyBand.LOW, PovertyBand.MODERATE, PovertyBand.HIGH,
         PovertyBand.VERY_HIGH, PovertyBand.EXTREMELY_HIGH)
RATINGS = (AccessRating.EXCELLENT, AccessRating.GOOD, AccessRating.FAIR, AccessRating.POOR,
           AccessRating.NONE)
# Health posts and water lines reach OBC sitios less often than schools or power lines.
ACCESS_OFFSETS = {"access_water": 0.3, "access_electricity": -0.2, "access_health": 0.4,
                  "access_education": 0.0, "access_roads": 0.2}


@dataclass(frozen=True)
class Obc:
    """What later generators need to know about one generated community."""

    id: int
    place: Place
    group: EthnolinguisticGroup
    population: int
    households: int
    band: int  # index into BANDS, -1 when unknown
    access: dict[str, int]  # 0 excellent … 4 none


def choose_places(places: Sequence[Place], n: int, rng: np.random.Generator) -> list[Place]:
    """n distinct barangays, favouring provinces where OBCs live and larger barangays."""
    if n >= len(places):
        return list(places)
    weights = np.array(
        [profile_for(p.province_key, p.region_code).presence * p.population**0.3 for p in places]
    )
    chosen = rng.choice(len(places), size=n, replace=False, p=weights / weights.sum())
    return [places[i] for i in sorted(chosen)]


def _code_prefix(place: Place) -> str:
    """REGION-PROV-MUNI from the PSGC codes (database ids when a code is missing)."""
    prov = place.prov_psgc[2:5] if place.prov_psgc else f"P{place.province_id:03d}"
    muni = place.muni_psgc[5:7] if place.muni_psgc else f"M{place.municipality_id:04d}"
    return f"{place.region_code}-{prov}-{muni}"


def _coordinates(place: Place, rng: np.random.Generator) -> tuple[float | None, float | None]:
    """The barangay's point, else near its town, else near its province centre."""
    if place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    jitter = rng.uniform(-0.03, 0.03, 2)
    if place.muni_lat is not None and place.muni_lon is not None:
        return round(place.muni_lat + jitter[0], 6), round(place.muni_lon + jitter[1], 6)
    if place.prov_lat is not None and place.prov_lon is not None:
        # Towns of one province spread around its centre, each at its own fixed offset.
        town = np.random.default_rng(place.municipality_id).uniform(-0.25, 0.25, 2)
        return (round(place.prov_lat + town[0] + jitter[0], 6),
                round(place.prov_lon + town[1] + jitter[1], 6))
    return None, None


def _draws(chosen: Sequence[Place], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Population, poverty and access figures for all chosen barangays at once."""
    n = len(chosen)
    profiles = [profile_for(p.province_key, p.region_code) for p in chosen]
    mean = np.array([prof.obc_share for prof in profiles])
    population = np.array([p.population for p in chosen])
    city = np.array([p.is_city for p in chosen], dtype=float)
    share = rng.beta(mean * 6, (1 - mean) * 6)
    obc = np.clip(np.round(population * share), np.minimum(population, 12), population)
    households = np.clip(np.round(obc / rng.uniform(4.6, 5.6, n)), 1, np.maximum(obc, 1))
    poverty = np.array([prof.poverty for prof in profiles])
    band = np.clip(np.round(poverty + 0.2 + rng.normal(0, 0.9, n) - 0.6 * city), 0, 5)
    band = np.where(rng.random(n) < 0.03, -1, band)
    deprivation = np.where(band >= 0, band, 3) / 5 + rng.normal(0, 0.25, n) - 0.2 * city
    offsets = np.array(list(ACCESS_OFFSETS.values()))
    noise = rng.normal(0, 0.8, (n, len(offsets)))
    access = np.clip(np.round(0.2 + deprivation[:, None] * 2.6 + noise + offsets), 0, 4)
    return {"obc": obc.astype(int), "households": households.astype(int),
            "band": band.astype(int), "access": access.astype(int)}


def generate_communities(
    places: Sequence[Place], n: int, ids: range, seed: int
) -> tuple[list[Row], list[Obc]]:
    """Rows for the community table and the facts later generators build on."""
    rand, rng = streams(seed, "communities")
    chosen = choose_places(places, n, rng)
    draws = _draws(chosen, rng)
    rows: list[Row] = []
    facts: list[Obc] = []
    seq: dict[str, int] = defaultdict(int)  # numbered per prefix, so codes are unique
    created = at(AS_OF.replace(month=1, day=15), 8)
    for i, (cid, place) in enumerate(zip(ids, chosen, strict=False)):
        prof = profile_for(place.province_key, place.region_code)
        group = rand.choices(list(prof.groups), weights=list(prof.groups.values()))[0]
        pop, households, band = (int(draws[k][i]) for k in ("obc", "households", "band"))
        access = dict(zip(ACCESS_OFFSETS, draws["access"][i].tolist(), strict=True))
        prefix = _code_prefix(place)
        seq[prefix] += 1
        lat, lon = _coordinates(place, rng)
        rows.append({
            "id": cid, "obc_code": f"{prefix}-{seq[prefix]:04d}", "barangay_id": place.barangay_id,
            "name": f"Brgy. {place.barangay} {group_name(group)} community",
            "estimated_obc_population": pop, "households": households,
            "ethnolinguistic_group": group,
            "poverty_band": BANDS[band] if band >= 0 else PovertyBand.UNKNOWN,
            **{col: RATINGS[v] for col, v in access.items()},
            "latitude": lat, "longitude": lon, "is_demo": True,
            "created_at": created, "updated_at": created,
        })
        facts.append(Obc(cid, place, group, pop, households, band, access))
    return rows, facts
