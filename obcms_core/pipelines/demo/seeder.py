"""seed-demo: generate every demo table in memory, then write it in one transaction."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import Community, DatasetInfo, Need
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.pipelines.demo.base import AS_OF, MAX_SCALE, NEEDS_REFERENCE
from obcms_core.pipelines.demo.generate import generate_all
from obcms_core.pipelines.demo.pb import seed_demo_pb
from obcms_core.pipelines.demo.snapshot import barangay_count
from obcms_core.pipelines.demo.store import delete_demo_rows
from obcms_core.services import audit
from obcms_core.services.database import Database

DATASET_KEY = "demo"


@dataclass(frozen=True)
class SeedReport:
    """What seed-demo did: rows per table, time taken, and anything worth knowing."""

    seed: int
    scale: float
    counts: dict[str, int]
    seconds: float
    skipped: bool = False
    notes: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        """All rows written."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """What was done, rows per table, and notes, for the command line."""
        if self.skipped:
            head = (f"Demo data (seed {self.seed}, scale {self.scale:g}) is already loaded; "
                    "nothing to do.")
        else:
            rate = self.rows / self.seconds if self.seconds > 0 else 0.0
            head = (f"Seeded demo data (seed {self.seed}, scale {self.scale:g}): {self.rows:,} "
                    f"rows in {self.seconds:.1f} s ({rate:,.0f} rows/s), all flagged as demo.")
        lines = [head, *(f"  {name:>24}: {n:,}" for name, n in self.counts.items())]
        return "\n".join(lines + [f"  note: {note}" for note in self.notes])


def _demo_info(session: Session) -> DatasetInfo | None:
    return session.scalar(select(DatasetInfo).where(DatasetInfo.key == DATASET_KEY))


def _has_demo_rows(session: Session) -> bool:
    return bool(session.scalar(select(
        exists().where(Community.is_demo.is_(True)) | exists().where(Need.is_demo.is_(True))
    )))


def demo_present(db: Database) -> bool:
    """Whether demo data (of any seed or scale) is in the database."""
    with db.uow() as uow:
        return _demo_info(uow.session) is not None or _has_demo_rows(uow.session)


def _same(value: dict[str, Any], seed: int, scale: float) -> bool:
    return value.get("seed") == seed and math.isclose(float(value.get("scale", -1)), scale)


def seed_demo(
    db: Database, scale: float = 1.0, seed: int = 2025, replace: bool = False,
    progress: Callable[[str], None] = print,
) -> SeedReport:
    """Fill the database with demo data flagged is_demo; same seed and scale, same rows."""
    if not 0 < scale <= MAX_SCALE:
        raise ValidationFailed(f"The scale must be above 0 and at most {MAX_SCALE:g}.")
    started = time.perf_counter()
    with db.uow() as uow:
        session = uow.session
        if barangay_count(session) == 0:
            raise ValidationFailed(NEEDS_REFERENCE)
        info = _demo_info(session)
        if info is not None or _has_demo_rows(session):
            old = info.value if info is not None else {}
            if not replace:
                if _same(old, seed, scale):
                    return SeedReport(seed, scale, dict(old.get("counts", {})),
                                      time.perf_counter() - started, skipped=True)
                what = (f"seed {old.get('seed')}, scale {old.get('scale')}" if old
                        else "an unknown seed and scale")
                raise ValidationFailed(
                    f"Demo data with {what} is already loaded. Run seed-demo with --replace to "
                    f"replace it with seed {seed}, scale {scale:g}."
                )
            progress("Removing the previous demo data (reference data stays)...")
            delete_demo_rows(session)
            if info is not None:
                session.delete(info)
            session.flush()
        counts, notes = generate_all(uow, scale, seed, progress)
        pb_counts, pb_notes = seed_demo_pb(uow, seed, progress)
        counts.update(pb_counts)
        notes += pb_notes
        value = {"seed": seed, "scale": scale, "generated_by": "seed-demo",
                 "note": "generated demo data, not real", "as_of": AS_OF.isoformat(),
                 "counts": counts}
        session.add(DatasetInfo(key=DATASET_KEY, value=value))
        audit.record(uow, username="seed-demo", source=ChangeSource.PIPELINE, action="seed_demo",
                     entity="dataset", entity_id=DATASET_KEY,
                     after={"seed": seed, "scale": scale, "rows": sum(counts.values())})
        progress("Committing...")
        uow.commit()
    return SeedReport(seed, scale, counts, time.perf_counter() - started, notes=tuple(notes))

