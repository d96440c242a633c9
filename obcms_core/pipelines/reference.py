"""`load-reference`: real geography, MOAs and the GAAB 2025 baseline, idempotently."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from obcms_core.adapters.orm import DatasetInfo, Region
from obcms_core.config import REFERENCE_DIR
from obcms_core.domain.money import format_php
from obcms_core.pipelines.reference_budget import (
    INDICATOR_FILE,
    MOA_FILE,
    PPA_FILE,
    load_gaab_baseline,
    load_moas,
)
from obcms_core.pipelines.reference_geo import CENSUS_FILE, SHAPES_FILE, load_geography
from obcms_core.services.database import Database

FILES = (CENSUS_FILE, SHAPES_FILE, MOA_FILE, PPA_FILE, INDICATOR_FILE)


@dataclass(frozen=True)
class ReferenceReport:
    provinces: int
    municipalities: int
    barangays: int
    barangay_match_rate: float
    municipality_match_rate: float
    province_match_rate: float
    unmatched: list[str]
    moas: int
    baseline_ppas: int
    baseline_total: Decimal
    indicators: int
    seconds: float
    checksums: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"Geography: {self.provinces} provinces/HUCs, "
            f"{self.municipalities} cities/municipalities, "
            f"{self.barangays:,} barangays.",
            f"PSGC match: provinces {self.province_match_rate:.2%}, cities/municipalities "
            f"{self.municipality_match_rate:.2%}, barangays {self.barangay_match_rate:.2%}.",
        ]
        if self.unmatched:
            lines.append(
                f"Census names without a PSGC code ({len(self.unmatched)}), loaded uncoded:"
            )
            lines += [f"  - {name}" for name in self.unmatched]
        lines.append(
            f"MOAs: {self.moas}. GAAB 2025 baseline: {self.baseline_ppas} PPAs, "
            f"{format_php(self.baseline_total)}, {self.indicators:,} indicators."
        )
        lines.append(f"Done in {self.seconds:.1f} s.")
        return "\n".join(lines)


def _checksums(reference_dir: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((reference_dir / name).read_bytes()).hexdigest()[:16] for name in FILES
    }


def reference_loaded(db: Database) -> bool:
    """Whether load-reference has completed on this database."""
    with db.uow() as uow:
        return (
            uow.session.scalar(select(DatasetInfo.id).where(DatasetInfo.key == "reference"))
            is not None
        )


def load_reference(
    db: Database, reference_dir: Path = REFERENCE_DIR, progress: Callable[[str], None] = print
) -> ReferenceReport:
    """Load or refresh all reference data in one transaction; running it twice changes nothing."""
    missing = [name for name in FILES if not (reference_dir / name).exists()]
    if missing:
        raise FileNotFoundError(f"Reference files missing in {reference_dir}: {', '.join(missing)}")
    started = time.perf_counter()
    with db.uow() as uow:
        session = uow.session
        progress("Matching census names to PSGC codes and loading geography…")
        geo = load_geography(session, reference_dir)
        progress("Loading BARMM MOAs and the GAAB 2025 baseline…")
        org_ids = load_moas(session, reference_dir)
        ppas, total, indicators = load_gaab_baseline(session, reference_dir, org_ids)
        checksums = _checksums(reference_dir)
        info = session.scalar(select(DatasetInfo).where(DatasetInfo.key == "reference"))
        value = {"files": checksums, "barangay_match_rate": round(geo.barangay_match_rate, 5)}
        if info is None:
            session.add(DatasetInfo(key="reference", value=value))
        else:
            info.value = value
        uow.commit()
        regions = session.scalar(select(Region.id).limit(1))
    assert regions is not None
    return ReferenceReport(
        provinces=geo.provinces,
        municipalities=geo.municipalities,
        barangays=geo.barangays,
        barangay_match_rate=geo.barangay_match_rate,
        municipality_match_rate=geo.municipality_match_rate,
        province_match_rate=geo.province_match_rate,
        unmatched=geo.unmatched,
        moas=len(org_ids),
        baseline_ppas=ppas,
        baseline_total=total,
        indicators=indicators,
        seconds=time.perf_counter() - started,
        checksums=checksums,
    )
