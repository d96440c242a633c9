"""Compute pabutools reference outcomes for every pabulib file once; store them as JSON.

Usage: .venv/bin/python tests/oracle/make_reference.py [--timeout 900] [--rules mes ...] [FILE ...]
Each (file, rule) runs in its own child process with a time limit and a memory cap, so a slow
pabutools run (MES with Add1 on Poland_Warszawa_2026 takes minutes) cannot stall the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PABULIB = Path(
    os.environ.get("OBCMS_PABULIB_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"
)
OUT = HERE / "reference_outcomes.json"
RULES = ("greedy", "mes", "greedy_points", "mes_points", "max_welfare")
MEMORY_CAP = 12 * 2**30


def _bound_mes_cache() -> None:
    """pabutools memoises budget/satisfaction per voter for every budget it ever sees, so memory
    grows with each Add1 step; forget the memo past 100 entries. It is a pure cache: the values
    and the outcome are unchanged."""
    from pabutools.rules.mes import mes_rule

    original = mes_rule.MESVoter.budget_over_sat_project

    def bounded(self: object, proj: object) -> object:
        memo = self.budget_over_sat_map  # type: ignore[attr-defined]
        if len(memo) > 100:
            memo.clear()
        return original(self, proj)

    mes_rule.MESVoter.budget_over_sat_project = bounded


def _run_one(path: str, rule: str) -> dict[str, object]:
    """One pabutools reference run (child process)."""
    sys.path.insert(0, str(HERE))
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
    )
    from pabutools_sat import PointsCostSat

    _bound_mes_cache()
    instance, profile = parse_pabulib(path)
    sat = PointsCostSat if rule.endswith("_points") else Cost_Sat
    start = time.perf_counter()
    if rule.startswith("greedy"):
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat)
    elif rule.startswith("mes"):
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sat, "voter_budget_increment": 1}, {"sat_class": sat}],
        )
    else:
        outcome = max_additive_utilitarian_welfare(instance, profile, sat_class=sat)
    seconds = time.perf_counter() - start
    welfare = profile.as_sat_profile(sat).total_satisfaction(outcome)
    return {
        "selected": sorted(p.name for p in outcome),
        "seconds": round(seconds, 3),
        "welfare": str(welfare),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--one", nargs=2, metavar=("PATH", "RULE"))
    parser.add_argument("--rules", nargs="*", default=list(RULES))
    args = parser.parse_args()
    if args.one:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        print(json.dumps(_run_one(*args.one)))
        return
    from importlib.metadata import version

    data = json.loads(OUT.read_text()) if OUT.exists() else {"files": {}}
    data["pabutools_version"] = version("pabutools")
    data["calls"] = {
        "greedy": "greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)",
        "mes": "completion_by_rule_combination(instance, profile, [method_of_equal_shares, "
        "greedy_utilitarian_welfare], [{'sat_class': Cost_Sat, 'voter_budget_increment': 1}, "
        "{'sat_class': Cost_Sat}])",
        "*_points": "the same calls with sat_class=PointsCostSat (cost x points)",
        "max_welfare": "max_additive_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)"
        " (CBC; ties unspecified: compare the welfare)",
    }
    names = args.files or sorted(p.name for p in PABULIB.glob("*.pb"))
    for name in names:
        path = PABULIB / name
        is_points = "cumulative" in path.read_text(encoding="utf-8").split("VOTES")[0]
        entry = data["files"].setdefault(name, {})
        for rule in args.rules:
            if rule.endswith("_points") and not is_points:
                continue
            cmd = [sys.executable, __file__, "--one", str(path), rule]
            start = time.perf_counter()
            try:
                done = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=args.timeout, check=True
                )
                entry[rule] = json.loads(done.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                entry[rule] = {"skipped": f"pabutools exceeded {args.timeout:.0f} s"}
            except subprocess.CalledProcessError as exc:
                entry[rule] = {"skipped": f"pabutools failed: {exc.stderr.strip()[-300:]}"}
            took = time.perf_counter() - start
            print(f"{name} {rule}: {took:.1f} s {entry[rule].get('skipped', '')}", flush=True)
            OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
