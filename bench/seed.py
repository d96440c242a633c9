"""Benchmark seed-demo: seconds and rows/s per scale on SQLite and PostgreSQL, plus `stats`.

Each run uses a fresh database (a temporary SQLite file; a throw-away PostgreSQL schema when
OBCMS_BENCH_DATABASE_URL or OBCMS_TEST_DATABASE_URL is set), loads the reference data first
(timed on its own), seeds the demo data, then times `database_stats`. Prints a table and one
JSON line with every figure.

    python bench/seed.py --scales 1,10
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.schemas import fresh_schema  # noqa: E402
from obcms_core.pipelines.demo import seed_demo  # noqa: E402
from obcms_core.pipelines.reference import load_reference  # noqa: E402
from obcms_core.services.database import Database, migrate, open_database  # noqa: E402
from obcms_core.services.stats import database_stats  # noqa: E402


def _quiet(_message: str) -> None:
    pass


@contextmanager
def fresh_database(backend: str, pg_url: str | None) -> Iterator[Database]:
    """A migrated, empty database that disappears afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="obcms-bench-") as tmp:
            db = open_database(f"sqlite:///{tmp}/bench.db")
            migrate(db)
            try:
                yield db
            finally:
                db.dispose()
        return
    assert pg_url is not None
    with fresh_schema(pg_url) as (db, _url):
        yield db


def run_one(backend: str, scale: float, seed: int, pg_url: str | None) -> dict[str, Any]:
    with fresh_database(backend, pg_url) as db:
        started = time.perf_counter()
        load_reference(db, progress=_quiet)
        reference_s = time.perf_counter() - started
        report = seed_demo(db, scale=scale, seed=seed, progress=_quiet)
        latencies = []
        for _ in range(3):
            started = time.perf_counter()
            with db.uow() as uow:
                database_stats(uow)
            latencies.append(time.perf_counter() - started)
    return {
        "backend": backend, "scale": scale, "reference_s": round(reference_s, 2),
        "seed_s": round(report.seconds, 2), "rows": report.rows,
        "rows_per_s": round(report.rows / report.seconds) if report.seconds else None,
        "stats_ms": round(statistics.median(latencies) * 1000, 1),
        "stats_first_ms": round(latencies[0] * 1000, 1),
        "needs": report.counts.get("needs"), "communities": report.counts.get("communities"),
        "ppas": report.counts.get("ppas"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated scales (default 1,10)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    pg_url = os.environ.get("OBCMS_BENCH_DATABASE_URL") or os.environ.get(
        "OBCMS_TEST_DATABASE_URL")
    backends = ["sqlite"] + (["postgresql"] if pg_url else [])
    if not pg_url:
        print("PostgreSQL skipped: set OBCMS_BENCH_DATABASE_URL or OBCMS_TEST_DATABASE_URL.")
    results = []
    header = (f"{'backend':<11}{'scale':>6}{'reference s':>13}{'seed s':>9}{'rows':>10}"
              f"{'rows/s':>10}{'stats ms':>10}")
    print(header)
    print("-" * len(header))
    for backend in backends:
        for scale in scales:
            r = run_one(backend, scale, args.seed, pg_url)
            results.append(r)
            print(f"{backend:<11}{scale:>6g}{r['reference_s']:>13.2f}{r['seed_s']:>9.2f}"
                  f"{r['rows']:>10,}{r['rows_per_s']:>10,}{r['stats_ms']:>10.1f}", flush=True)
    print(json.dumps({"bench": "seed-demo", "seed": args.seed, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
