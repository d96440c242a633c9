"""`pb` commands: count a pabulib file; import a file as a cycle; export a cycle; send e-mails.

    python -m obcms_core pb solve FILE.pb --rule greedy|mes|max-welfare [--json]
    python -m obcms_core pb import FILE.pb [--name NAME] [--fiscal-year YEAR]   (prints the id)
    python -m obcms_core pb export CYCLE_ID [--out FILE.pb]
    python -m obcms_core pb notify                 (e-mails queued notifications, OBCMS_SMTP_URL)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from obcms_core.domain.errors import ValidationFailed

if TYPE_CHECKING:
    from obcms_core.services.database import Database

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

    p = pb_sub.add_parser("import", help="store a pabulib .pb election as a (closed) cycle")
    p.add_argument("file", help="a pabulib .pb file")
    p.add_argument("--name", help="the cycle's name (default: the file's description)")
    p.add_argument("--fiscal-year", type=int, help="default: the year voting ended")
    p.set_defaults(handler=import_command)

    p = pb_sub.add_parser("export", help="write a cycle as a pabulib .pb file")
    p.add_argument("cycle_id", type=int)
    p.add_argument("--out", help="file to write (default: standard output)")
    p.set_defaults(handler=export_command)

    p = pb_sub.add_parser("notify", help="e-mail queued notifications (needs OBCMS_SMTP_URL)")
    p.set_defaults(handler=notify_command)


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 2)


def solve(path: str, rule: str, utility: str = "cost") -> dict[str, Any]:
    """Count the election in a .pb file with the named rule; report ids, total cost, seconds."""
    from obcms_core.adapters.pabulib import parse_pb_layout
    from obcms_core.domain.pb.greedy import greedy
    from obcms_core.domain.pb.mes import equal_shares
    from obcms_core.domain.pb.profile import Utility
    from obcms_core.domain.pb.welfare import max_welfare

    election = parse_pb_layout(_read(path))[0]
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


CLI_ACTOR = "cli"


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise ValidationFailed(f"Cannot read {path}: {reason or exc}.") from exc


def import_command(args: argparse.Namespace, db: Database) -> int:
    """Import a .pb file in one transaction and print the new cycle's id."""
    from obcms_core.domain.access import Actor
    from obcms_core.domain.enums import ChangeSource, Role
    from obcms_core.services.database import migrate
    from obcms_core.services.pb.pabulib_io import import_pb

    text = _read(args.file)
    migrate(db)
    with db.uow() as uow:
        report = import_pb(
            uow, Actor(CLI_ACTOR, Role.ADMIN), text, name=args.name,
            fiscal_year=args.fiscal_year, source=ChangeSource.CLI,
        )
        uow.commit()
    print(report.cycle_id)
    print(
        f"Imported '{report.name}' (FY{report.fiscal_year}): {report.projects:,} projects,"
        f" {report.ballots:,} ballots in {report.seconds:.1f} s.",
        file=sys.stderr,
    )
    return 0


def export_command(args: argparse.Namespace, db: Database) -> int:
    """Write a cycle as .pb text to a file or standard output."""
    from obcms_core.services.pb.pabulib_io import export_pb

    with db.uow() as uow:
        text = export_pb(uow, args.cycle_id)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as exc:
            raise ValidationFailed(f"Cannot write {args.out}: {exc.strerror or exc}.") from exc
        print(f"Wrote cycle {args.cycle_id} to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def notify_command(args: argparse.Namespace, db: Database) -> int:
    """Send pending notifications and say how many went out."""
    from obcms_core.services.pb.outbox import send_pending

    report = send_pending(db)
    print(report.note or f"Sent {report.sent} notification(s); {report.failed} failed.")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":  # `python -m obcms_core.cli_pb solve FILE.pb` is `... pb solve FILE.pb`
    from obcms_core.cli import main

    raise SystemExit(main(["pb", *sys.argv[1:]]))
