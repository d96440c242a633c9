"""Benchmark PB cycles in the database: import, export, count and tally every pabulib file.

    python bench/pb_store.py [--url DATABASE_URL]

Without --url a fresh SQLite file in a temporary directory is used. For a PostgreSQL run, give
a URL whose search_path points at an empty schema, e.g.
    postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_pb
Per file: ballots, seconds to import (parse and bulk write in one transaction), to export the
cycle back to .pb (and whether the bytes are the file's), to count it with MES (with
explanations) and to compute the live tally; then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obcms_core.domain.access import Actor  # noqa: E402
from obcms_core.domain.enums import Role  # noqa: E402
from obcms_core.services.database import migrate, open_database  # noqa: E402
from obcms_core.services.pb.pabulib_io import export_pb, import_pb  # noqa: E402
from obcms_core.services.pb.results import count_cycle  # noqa: E402
from obcms_core.services.pb.tally import live_tally  # noqa: E402

PABULIB = Path(
    os.environ.get("OBCMS_PABULIB_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "pabulib"
)


def _timed(run):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = run()
    return value, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    files = sorted(PABULIB.glob("*.pb"))
    if not files:
        print(f"no pabulib files in {PABULIB} (set OBCMS_PABULIB_DIR)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(args.url or f"sqlite:///{tmp}/bench.db")
        migrate(db)
        actor = Actor("bench", Role.ADMIN)
        rows = []
        print(f"{'file':<48}{'ballots':>9}{'import s':>10}{'export s':>10}{'same':>6}"
              f"{'MES s':>8}{'tally s':>9}")
        for path in files:
            text = path.read_bytes().decode("utf-8")

            def load(text: str = text, name: str = path.stem) -> int:
                with db.uow() as uow:
                    report = import_pb(uow, actor, text, name=name[:120])
                    uow.commit()
                return report.cycle_id

            cid, t_import = _timed(load)
            with db.uow() as uow:
                exported, t_export = _timed(lambda u=uow, c=cid: export_pb(u, c))
                result, t_count = _timed(lambda u=uow, c=cid: count_cycle(u, c, "mes"))
                tally, t_tally = _timed(lambda u=uow, c=cid: live_tally(u, c, max_age=0))
            same = exported == text
            print(f"{path.stem[:47]:<48}{result.ballots:>9,}{t_import:>10.2f}{t_export:>10.2f}"
                  f"{'yes' if same else 'NO':>6}{t_count:>8.2f}{t_tally:>9.3f}")
            rows.append({"file": path.stem, "ballots": result.ballots, "import_s": t_import,
                         "export_s": t_export, "lossless": same, "mes_s": t_count,
                         "tally_s": t_tally, "tally_ballots": tally.ballots})
        print(json.dumps({"backend": db.engine.dialect.name, "files": rows}))
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
