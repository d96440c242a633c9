"""The seed success metric: how many more priority-weighted needs the optimised scenario
addresses than the baseline, at the same envelope, on the demo data.

How it is computed: a fresh SQLite database gets the reference data and seed-demo (given scale
and seed). For each fiscal year asked, a scenario is copied from the baseline (every PPA of the
year at its current allocation; envelope = their total). Its impact is
Σ_i (amount_i / request_i) × Σ_{needs n linked to PPA i} share_in × priority_score_n, i.e. the
priority-weighted needs addressed, with benefit in proportion to each PPA's funded share. The
optimiser (HiGHS, objective weight on needs only, PPAs fundable from 50 % of their request)
re-allocates the same envelope; the gain is its impact over the baseline's. Runs with the GAD
mandate off and on (the baseline itself may not meet the GAD mandate). Prints a table and one
JSON line (which also gives the community votes each allocation addresses, and their year).

It also prints the largest gain any allocation could reach ("bound"): every need-serving PPA at
its full request, whatever the envelope. No scenario can address more than that, since a PPA is
never funded above its request; the optimiser's gain is best read against it.

    python bench/scenario_gain.py --scale 1 --years 2025,2026
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from obcms_core.domain.access import Actor  # noqa: E402
from obcms_core.domain.allocation import ObjectiveWeights  # noqa: E402
from obcms_core.domain.enums import Role  # noqa: E402
from obcms_core.pipelines.demo import seed_demo  # noqa: E402
from obcms_core.pipelines.reference import load_reference  # noqa: E402
from obcms_core.services.database import migrate, open_database  # noqa: E402
from obcms_core.services.scenarios import analysis, optimise, problem, store  # noqa: E402
from obcms_core.services.scenarios.rules import ScenarioRules  # noqa: E402

OFFICER = Actor("bench", Role.BUDGET_OFFICER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--years", default="2026")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="obcms-gain-") as tmp:
        db = open_database(f"sqlite:///{tmp}/gain.db")
        migrate(db)
        load_reference(db, progress=lambda _m: None)
        seed_demo(db, scale=args.scale, seed=args.seed, progress=lambda _m: None)
        for fy in (int(y) for y in args.years.split(",")):
            for gad in (0.0, 0.05):
                with db.uow() as uow:
                    sid = store.create_scenario(
                        uow,
                        OFFICER,
                        name=f"Baseline GAD {gad:.0%}",
                        fiscal_year=fy,
                        rules=ScenarioRules(gad_share=gad),
                    )
                    run_id = optimise.run_optimiser(
                        uow,
                        sid,
                        OFFICER,
                        optimise.OptimiserSettings(
                            weights=ObjectiveWeights(needs=1), time_limit=60
                        ),
                    )
                    run = optimise.get_run(uow, run_id)
                    view = analysis.load_view(uow, sid)
                    ppas = problem.load_facts(uow, fy).ppas
                    uow.commit()
                value = ppas["needs_value"].astype(float)
                funded = (ppas["baseline"].astype(float) / ppas["request"].astype(float)).clip(0, 1)
                bound = float(value.sum() / (value * funded).sum() - 1)
                before = run.result.get("impact_before", {}).get("needs_addressed")
                after = run.result.get("impact_after", {}).get("needs_addressed")
                gain = (after / before - 1) if before and after is not None else None
                rows.append(
                    {
                        "fiscal_year": fy,
                        "gad_share": gad,
                        "ppas": len(view.table),
                        "envelope_php": str(view.envelope),
                        "baseline_violations": len(view.violations()),
                        "status": run.status,
                        "gap": run.gap,
                        "seconds": round(run.seconds, 2),
                        "needs_addressed_baseline": before,
                        "needs_addressed_optimised": after,
                        # community votes the same runs address (optimised for needs only)
                        "votes_year": view.facts.votes_year,
                        "votes_addressed_baseline": run.result.get("impact_before", {}).get(
                            "votes_addressed"),
                        "votes_addressed_optimised": run.result.get("impact_after", {}).get(
                            "votes_addressed"),
                        "gain": gain,
                        "bound": bound,
                    }
                )
        db.dispose()
    print(
        f"{'FY':>6} {'GAD':>5} {'PPAs':>5} {'baseline':>10} {'optimised':>10} {'gain':>8} "
        f"{'bound':>8} {'gap':>8} {'s':>6}  baseline violations"
    )
    for r in rows:
        gain = f"{r['gain']:+.1%}" if r["gain"] is not None else "—"
        gap = f"{r['gap']:.3%}" if r["gap"] is not None else "—"
        before, after = r["needs_addressed_baseline"] or 0, r["needs_addressed_optimised"] or 0
        print(
            f"{r['fiscal_year']:>6} {r['gad_share']:>5.0%} {r['ppas']:>5} "
            f"{before:>10.1f} {after:>10.1f} "
            f"{gain:>8} {r['bound']:>+8.1%} {gap:>8} {r['seconds']:>6}  {r['baseline_violations']}"
        )
    print(json.dumps({"scale": args.scale, "seed": args.seed, "runs": rows}))


if __name__ == "__main__":
    main()
