"""Benchmark the budget allocation optimiser on a synthetic instance with every constraint kind.

    python bench/optimizer.py --ppas 5000 --needs 50000

Prints build and solve seconds, score, bound and gap for HiGHS, CBC and the greedy estimate,
the time the explanations take, how many more priority-weighted needs (and community votes)
the optimised allocation addresses than last year's shares scaled to the same envelope, then one
JSON line. --votes-weight puts a weight on the community votes (0 by default, as in the product).
Targets: MILP within 0.5 % of the bound in <= 10 s; greedy <= 0.5 s; model build <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from obcms_core.domain.allocation import (  # noqa: E402
    check_allocation,
    left_out_reasons,
    marginal_values,
    solve_greedy,
    solve_milp,
    solve_relaxation,
)
from obcms_core.domain.allocation.model import (  # noqa: E402
    baseline_amounts,
    needs_addressed,
    people_reached,
    votes_addressed,
)
from obcms_core.domain.allocation.synthetic import synthetic_instance  # noqa: E402


def _row(name: str, build: float, solve: float, score: float | None, bound: float | None,
         gap: float | None, status: str) -> dict[str, object]:
    def fmt(value: float | None, spec: str) -> str:
        return "—" if value is None else format(value, spec)

    print(f"{name:<8} {build:>8.3f} {solve:>8.3f} {fmt(score, '12.2f'):>12} "
          f"{fmt(bound, '12.2f'):>12} {fmt(gap and gap * 100, '8.3f'):>8}  {status}")
    return {"build_s": round(build, 3), "solve_s": round(solve, 3), "objective": score,
            "bound": bound, "gap": gap, "status": status}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ppas", type=int, default=5000)
    parser.add_argument("--needs", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--gap", type=float, default=0.005)
    parser.add_argument("--votes-weight", type=float, default=0.0)
    args = parser.parse_args()

    started = time.perf_counter()
    instance = synthetic_instance(args.ppas, args.needs, args.seed)
    problem, rules = instance.problem, instance.rules
    weights = replace(instance.weights, votes=args.votes_weight)
    generated = time.perf_counter() - started
    print(f"instance: {problem.size} PPAs, {instance.needs} needs, {len(problem.moa_names)} MOAs,"
          f" envelope ₱{rules.envelope / 1e9:.2f} B of ₱{problem.cost.sum() / 1e9:.2f} B requested"
          f" (generated in {generated:.2f} s)")
    report: dict[str, object] = {"ppas": problem.size, "needs": instance.needs}
    print(f"{'method':<8} {'build s':>8} {'solve s':>8} {'objective':>12} {'bound':>12} "
          f"{'gap %':>8}  status")
    relaxation = solve_relaxation(problem, rules, weights)
    report["lp"] = _row("LP", relaxation.build_seconds, relaxation.solve_seconds,
                        relaxation.objective, relaxation.objective, 0.0, "relaxation")
    results = {}
    for solver in ("highs", "cbc"):
        result = solve_milp(problem, rules, weights, solver=solver, time_limit=args.time_limit,
                            gap=args.gap, explain=False)
        bound = min(b for b in (result.bound, relaxation.objective) if b is not None)
        gap = (bound - result.objective) / bound if result.objective is not None else None
        report[solver] = _row(solver, result.build_seconds, result.solve_seconds,
                              result.objective, bound, gap, result.status.value)
        results[solver] = result
    greedy = solve_greedy(problem, rules, weights, bound=relaxation.objective)
    report["greedy"] = _row("greedy", greedy.build_seconds, greedy.solve_seconds,
                            greedy.objective, greedy.bound, greedy.gap, greedy.status.value)

    best = replace(results["highs"], relaxation=relaxation)  # the explanations use its duals
    for name, result in (*results.items(), ("greedy", greedy)):
        if result.has_allocation:
            breaches = check_allocation(problem, rules, result.amounts)
            print(f"{name}: {len(breaches)} constraint breaches")
    started = time.perf_counter()
    values = marginal_values(problem, rules, weights, relaxation)
    reasons = list(left_out_reasons(problem, rules, weights, best).values())
    explained = time.perf_counter() - started
    print(f"explanations: {len(values)} marginal values and {len(reasons)} left-out reasons "
          f"in {explained:.3f} s")
    for line in [v.sentence for v in values if v.kind == "region"] + reasons[:2]:
        print(f"  {line}")

    amounts = best.amounts_array()
    baseline = baseline_amounts(problem, rules.envelope)
    needs_opt, needs_base = needs_addressed(problem, amounts), needs_addressed(problem, baseline)
    people_opt, people_base = people_reached(problem, amounts), people_reached(problem, baseline)
    print(f"priority-weighted needs addressed: optimised {needs_opt:,.0f} vs last year's shares "
          f"{needs_base:,.0f} ({needs_opt / needs_base - 1:+.1%}); people "
          f"{people_opt:,.0f} vs {people_base:,.0f} ({people_opt / people_base - 1:+.1%})")
    votes_opt, votes_base = votes_addressed(problem, amounts), votes_addressed(problem, baseline)
    print(f"community votes addressed (weight {weights.votes:g}): optimised {votes_opt:,.1f} vs "
          f"{votes_base:,.1f} ({votes_opt / votes_base - 1:+.1%})")
    report["votes_weight"] = weights.votes
    report["votes_gain"] = round(votes_opt / votes_base - 1, 4)
    report["explain_s"] = round(explained, 3)
    report["needs_gain"] = round(needs_opt / needs_base - 1, 4)
    report["people_gain"] = round(people_opt / people_base - 1, 4)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
