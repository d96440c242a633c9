"""Command-line interface: database set-up, reference and demo data, users, stats, the API."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence

from obcms_core.config import SettingsError, get_settings
from obcms_core.domain.enums import ChangeSource, Role
from obcms_core.domain.errors import DomainError
from obcms_core.services.database import Database, is_initialised, migrate, open_database

Handler = Callable[[argparse.Namespace, Database], int]


def _init_db(args: argparse.Namespace, db: Database) -> int:
    migrate(db)
    print("Database schema is up to date.")
    return 0


def _load_reference(args: argparse.Namespace, db: Database) -> int:
    from obcms_core.pipelines.reference import load_reference, reference_loaded

    migrate(db)
    if args.if_empty and reference_loaded(db):
        print("Reference data already loaded; nothing to do.")
        return 0
    report = load_reference(db, progress=print)
    print(report.summary())
    return 0


def _seed_demo(args: argparse.Namespace, db: Database) -> int:
    from obcms_core.pipelines.demo import demo_present, seed_demo

    migrate(db)
    if args.if_empty and demo_present(db):
        print("Demo data already present; nothing to do.")
        return 0
    report = seed_demo(db, scale=args.scale, seed=args.seed, replace=args.replace, progress=print)
    print(report.summary())
    return 0


def _create_user(args: argparse.Namespace, db: Database) -> int:
    from obcms_core.services.users import create_user

    password = args.password or os.environ.get("OBCMS_NEW_USER_PASSWORD")
    if not password:
        password = getpass.getpass(f"Password for {args.username}: ")
    with db.uow() as uow:
        info = create_user(
            uow,
            username=args.username,
            full_name=args.full_name,
            email=args.email,
            password=password,
            role=args.role,
            organization_acronym=args.organization,
            source=ChangeSource.CLI,
        )
        uow.commit()
    print(f"Created user '{info.username}' with role {info.role.label}.")
    return 0


def _stats(args: argparse.Namespace, db: Database) -> int:
    from obcms_core.services.stats import database_stats

    if not is_initialised(db):
        raise DomainError("The database is empty: run `python -m obcms_core init-db` first.")
    with db.uow() as uow:
        stats = database_stats(uow)
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        for name, count in stats["counts"].items():
            print(f"{name:>24}: {count:,}")
        for fy, row in stats["budget_by_fiscal_year"].items():
            print(f"FY{fy}: {row['ppas']:,} PPAs, allocation ₱{float(row['allocation_php']):,.2f}")
    return 0


def _serve_api(args: argparse.Namespace, db: Database) -> int:
    import uvicorn

    from obcms_core.api.app import create_app

    settings = get_settings()
    host, port = args.host or settings.api_host, args.port or settings.api_port
    if args.workers > 1:  # each process opens its own database pool
        uvicorn.run("obcms_core.api.app:app_from_environment", factory=True, host=host,
                    port=port, workers=args.workers)
        return 0
    uvicorn.run(create_app(settings, db.session_factory), host=host, port=port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m obcms_core",
        description="OBCMS Planning & Budgeting Workbench: administration commands. "
        "The database comes from OBCMS_DATABASE_URL (default: SQLite under data/).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init-db", help="create or migrate the database schema")
    p.set_defaults(handler=_init_db)

    p = sub.add_parser("load-reference", help="load PSGC geography, census, MOAs and GAAB 2025")
    p.add_argument("--if-empty", action="store_true", help="do nothing if already loaded")
    p.set_defaults(handler=_load_reference)

    p = sub.add_parser("seed-demo", help="generate deterministic demo data (flagged as demo)")
    p.add_argument("--scale", type=float, default=1.0, help="1 = about 5,000 needs (default 1)")
    p.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    p.add_argument("--replace", action="store_true", help="replace existing demo data")
    p.add_argument("--if-empty", action="store_true", help="do nothing if demo data exists")
    p.set_defaults(handler=_seed_demo)

    p = sub.add_parser("create-user", help="add a user account")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--full-name", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--organization", help="MOA acronym (required for moa_focal)")
    p.add_argument("--password", help="prefer OBCMS_NEW_USER_PASSWORD or the prompt")
    p.set_defaults(handler=_create_user)

    p = sub.add_parser("stats", help="counts per entity and budget totals per fiscal year")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_stats)

    p = sub.add_parser("serve-api", help="run the HTTP API companion (uvicorn)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int, default=1,
                   help="processes serving requests (one per CPU core on a voting day)")
    p.set_defaults(handler=_serve_api)

    from obcms_core.cli_pb import register as register_pb

    register_pb(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not getattr(args, "needs_db", True):  # e.g. `pb solve FILE.pb` works on a file alone
        try:
            return int(args.handler(args, None))
        except (DomainError, OSError) as exc:  # OSError: a file that cannot be read
            print(f"error: {exc}", file=sys.stderr)
            return 1
    try:
        settings = get_settings()
        db = open_database(settings.database_url)
    except (DomainError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args, db))
    except (DomainError, SettingsError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
