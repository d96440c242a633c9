"""`pb solve`: count a pabulib election with greedy, equal shares or maximum welfare."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

RULES = ("greedy", "mes", "max-welfare")


def register(subparsers: Any) -> None:
    """Add `pb solve FILE.pb --rule greedy|mes|max-welfare [--json]` to a CLI."""
    pb = subparsers.add_parser("pb", help="participatory budgeting tools")
    pb_sub = pb.add_subparsers(dest="pb_command", required=True, metavar="PB_COMMAND")
    p = pb_sub.add_parser("solve", help="count a pabulib .pb election")
    p.add_argument("file", help="a pabulib .pb file")
    p.add_argument("--rule", choices=RULES, default="mes")
    p.add_argument(
        "--utility",
        choices=("cost", "cost_points"),
        default="cost",
        help="cost: every listed project counts (default); cost_points: weighted by points",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=solve_command, needs_db=False)


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 2)


def solve(path: str, rule: str, utility: str = "cost") -> dict[str, Any]:
    """Count the election in a .pb file with the named rule; report ids, total cost, seconds."""
    from obcms_core.adapters.pabulib import read_pb
    from obcms_core.domain.pb.greedy import greedy
    from obcms_core.domain.pb.mes import equal_shares
    from obcms_core.domain.pb.profile import Utility
    from obcms_core.domain.pb.welfare import max_welfare

    election = read_pb(path)
    kind = Utility(utility)
    start = time.perf_counter()
    if rule == "greedy":
        selected = greedy(election, kind)
    elif rule == "mes":
        selected = equal_shares(election, kind).selected
    elif rule == "max-welfare":
        selected = max_welfare(election, kind)
    else:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    seconds = time.perf_counter() - start
    return {
        "rule": rule,
        "selected": list(selected),
        "total_cost": _number(election.total_cost(selected)),
        "seconds": round(seconds, 4),
    }


def solve_command(args: argparse.Namespace, db: object = None) -> int:
    """CLI handler (the database argument is unused: counting works on the file alone)."""
    result = solve(args.file, args.rule, args.utility)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['rule']}: {len(result['selected'])} projects funded, "
            f"total cost {result['total_cost']:,} ({result['seconds']:.3f} s)"
        )
        print("funded: " + ", ".join(result["selected"]))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the pb commands on their own (no database needed)."""
    from obcms_core.domain.errors import DomainError

    parser = argparse.ArgumentParser(prog="python -m obcms_core.cli_pb")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (DomainError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
