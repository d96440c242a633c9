"""Benchmark the PB counting rules on the published pabulib elections against pabutools.

    python bench/pb.py [--stored] [--repeat 3]

Per file: our seconds for greedy and for MES with Add1 and greedy completion (counted from a
parsed Election, grouping included; best of --repeat timings), pabutools' seconds for the same
calls, whether both fund the same projects, and the speedup; then one JSON line. Both sides
are timed alike, as timeit does (see _best): calls under 10 ms are looped to fill 10 ms.
Both sides start from a parsed election, as each library reads it (pabutools' Instance and
Profile, our Election); `build ms` is the time to build our Election from its parsed ballots
(checks, and every mark as a project position, which the rules count from), and `w/ build`
the speedup with that time added to ours, for a reader who counts it as part of the rule.
pabutools is re-run here, on the same machine and at the same time, for every call whose time
stored in tests/oracle/reference_outcomes.json (written by tests/oracle/make_reference.py) is
under two minutes; longer calls (MES on the two Warsaw files, 20-30 minutes each) use the stored
seconds and outcome. `--stored` uses the stored figures throughout (quick, but they were
measured on another day, under another load). The `src` column says which. pabutools is a GPL
test oracle: it is imported here and in tests only, never by obcms_core.
Targets: MES with completion on Poland_Warszawa_2026 in <= 3 s with pabutools' outcome;
>= 100x faster than pabutools wherever both run.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from obcms_core.adapters.pabulib import read_pb  # noqa: E402
from obcms_core.domain.pb.election import Election  # noqa: E402
from obcms_core.domain.pb.greedy import greedy  # noqa: E402
from obcms_core.domain.pb.mes import equal_shares  # noqa: E402

PABULIB = Path(
    os.environ.get("OBCMS_PABULIB_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "pabulib"
)
REFERENCE = ROOT / "tests" / "oracle" / "reference_outcomes.json"
LIVE_LIMIT = 120.0
HAVE_PABUTOOLS = importlib.util.find_spec("pabutools") is not None  # a dev requirement


@contextmanager
def _no_gc() -> Iterator[None]:
    """Time a call as timeit does: garbage collected before, collector off during (both sides
    alike, so neither pays for the other's leftovers)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _best(fn: Callable[[], list[str]], repeat: int) -> tuple[float, list[str]]:
    """Seconds per call, timed as timeit does: the best of `repeat` timings, where a call under
    10 ms is looped enough times to fill about 10 ms and the loop's time divided by its count
    (a single short call would mostly time the cold caches the collection before it left)."""
    with _no_gc():
        start = time.perf_counter()
        result = fn()
        single = time.perf_counter() - start
    number = 1 if single >= 0.01 else min(10_000, math.ceil(0.01 / max(single, 1e-7)))
    best = single  # a long call's first run counts as one of its timings
    for _ in range(repeat - 1 if number == 1 else max(repeat, 5)):
        with _no_gc():
            start = time.perf_counter()
            for _ in range(number):
                result = fn()
            best = min(best, (time.perf_counter() - start) / number)
    return best, result


def _pabutools(path: Path, rule: str, repeat: int) -> tuple[float, list[str]]:
    from pabutools.election import parse_pabulib

    from tests.oracle.pabutools_bridge import run_pabutools

    instance, profile = parse_pabulib(str(path))

    def call() -> list[str]:
        return sorted(p.name for p in run_pabutools(instance, profile, rule))

    return _best(call, repeat)


def _reference(stored: dict, name: str, rule: str, live: bool, path: Path) -> dict:
    entry = stored.get(name, {}).get(rule, {})
    if live and entry.get("seconds", LIVE_LIMIT) < LIVE_LIMIT and HAVE_PABUTOOLS:
        # timed as our side is, with fewer repeats for the calls that take seconds
        seconds, selected = _pabutools(path, rule, 3 if entry.get("seconds", 0) < 1 else 1)
        return {"seconds": seconds, "selected": selected, "src": "live"}
    if "selected" in entry:
        return {"seconds": entry["seconds"], "selected": entry["selected"], "src": "json"}
    return {"seconds": None, "selected": None, "src": entry.get("skipped", "none")[:24]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", action="store_true",
                        help="pabutools' stored seconds only (no re-run)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    stored = json.loads(REFERENCE.read_text())["files"] if REFERENCE.exists() else {}
    rows = []
    head = (
        f"{'file':<44}{'rule':<7}{'ours ms':>10}{'pabutools ms':>14}{'src':>6}{'same':>6}"
        f"{'speedup':>10}{'build ms':>10}{'w/ build':>10}"
    )
    print(head)
    print("-" * len(head))
    for path in sorted(PABULIB.glob("*.pb")):
        start = time.perf_counter()
        election: Election = read_pb(path)
        parse_s = time.perf_counter() - start
        # building the Election from parsed ballots (checks, and each mark as a project position)
        build_s, _ = _best(
            lambda e=election: Election(e.budget, e.vote_type, e.projects, e.ballots, e.meta),
            args.repeat,
        )
        rules: dict[str, Callable[[], list[str]]] = {
            "greedy": lambda e=election: sorted(greedy(e)),
            "mes": lambda e=election: sorted(equal_shares(e).selected),
        }
        for rule, fn in rules.items():
            ours_s, ours = _best(fn, args.repeat)
            ref = _reference(stored, path.name, rule, not args.stored, path)
            same = None if ref["selected"] is None else ours == ref["selected"]
            speedup = ref["seconds"] / ours_s if ref["seconds"] else None
            with_build = ref["seconds"] / (ours_s + build_s) if ref["seconds"] else None
            rows.append(
                {
                    "file": path.stem,
                    "rule": rule,
                    "ballots": len(election.ballots),
                    "parse_s": round(parse_s, 3),
                    "ours_s": round(ours_s, 6),
                    "pabutools_s": None if ref["seconds"] is None else round(ref["seconds"], 4),
                    "pabutools_source": ref["src"],
                    "same_outcome": same,
                    "speedup": None if speedup is None else round(speedup, 1),
                    "build_s": round(build_s, 6),
                    "speedup_with_build": None if with_build is None else round(with_build, 1),
                }
            )
            print(
                f"{path.stem[:43]:<44}{rule:<7}{ours_s * 1000:>10,.3f}"
                f"{'-' if ref['seconds'] is None else format(ref['seconds'] * 1000, ',.1f'):>14}"
                f"{ref['src'][:5]:>6}{'-' if same is None else ('yes' if same else 'NO'):>6}"
                f"{'-' if speedup is None else format(speedup, ',.0f') + 'x':>10}"
                f"{build_s * 1000:>10,.3f}"
                f"{'-' if with_build is None else format(with_build, ',.0f') + 'x':>10}"
            )
    warsaw = next(r for r in rows if r["file"] == "Poland_Warszawa_2026" and r["rule"] == "mes")
    speedups = [r["speedup"] for r in rows if r["speedup"] is not None]
    summary = {
        "bench": "pb",
        "warszawa_2026_mes_s": warsaw["ours_s"],
        "warszawa_2026_mes_same": warsaw["same_outcome"],
        "min_speedup": min(speedups) if speedups else None,
        "min_speedup_with_build": min(
            (r["speedup_with_build"] for r in rows if r["speedup_with_build"] is not None),
            default=None,
        ),
        "all_same": all(r["same_outcome"] is not False for r in rows),
        "rows": rows,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
