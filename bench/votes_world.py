"""The world bench/votes.py measures: a throw-away PostgreSQL schema with an open cycle and
its voters, the API served by uvicorn in its own processes, and the stored state read back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.load_tools import free_port, start_sampler  # noqa: E402
from obcms_core.adapters.orm import (  # noqa: E402
    NotificationOutbox,
    PBBallot,
    PBBallotMark,
    PBBallotSubmission,
    PBProject,
    User,
)
from obcms_core.api.security import issue_access_token  # noqa: E402
from obcms_core.config import Settings  # noqa: E402
from obcms_core.domain.access import Actor  # noqa: E402
from obcms_core.domain.enums import Role  # noqa: E402
from obcms_core.domain.pb.cycle import BallotSpec  # noqa: E402
from obcms_core.services.database import Database  # noqa: E402
from obcms_core.services.pb import CycleSpec, ProjectSpec, create_cycle  # noqa: E402
from obcms_core.services.users import UserInfo, create_user  # noqa: E402

PROJECTS = 20
MAX_CHOICES = 5
SAMPLE_ENV = "OBCMS_BENCH_SAMPLE"


def app_factory() -> FastAPI:
    """The API as `serve-api --workers N` builds it in each process, with the sampler if asked."""
    from obcms_core.api.app import app_from_environment

    if os.environ.get(SAMPLE_ENV):
        start_sampler(f"{os.environ[SAMPLE_ENV]}.{os.getpid()}")
    return app_from_environment()


def open_cycle(db: Database) -> tuple[int, list[str]]:
    """An approval cycle (at most five choices) open from an hour ago until tomorrow."""
    now = datetime.now(UTC)
    codes = [f"P{i:02d}" for i in range(1, PROJECTS + 1)]
    with db.uow() as uow:
        cycle_id = create_cycle(
            uow, Actor("planner", Role.PLANNER),
            CycleSpec(name="Bench round", fiscal_year=2026, envelope=10_000_000,
                      opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
                      ballot=BallotSpec(max_choices=MAX_CHOICES)),
            [ProjectSpec(code, f"Project {code}", 500_000 + 25_000 * i)
             for i, code in enumerate(codes)],
        )
        uow.commit()
    return cycle_id, codes


def add_voters(db: Database, count: int, settings: Settings) -> list[str]:
    """`count` community members (cheap bcrypt: they never sign in) and a token for each."""
    tokens = []
    with db.uow() as uow:
        for i in range(count):
            user: UserInfo = create_user(
                uow, username=f"voter{i:06d}", full_name=f"Voter {i}",
                email=f"voter{i}@bench.example", password="bench-password-1",
                role=Role.COMMUNITY_MEMBER, bcrypt_rounds=4,
            )
            tokens.append(issue_access_token(user, settings).token)
        uow.commit()
    return tokens


@contextmanager
def api_server(
    db_url: str, workers: int, profile: str | None, redis_url: str | None = None
) -> Iterator[tuple[str, int]]:
    """uvicorn serving the API in its own process(es); yields its URL and pid once healthy.

    Rate limits count in memory per process, or in Redis at `redis_url` (shared by the
    processes, as docs/api.md deploys several)."""
    port = free_port()
    env = dict(os.environ, OBCMS_DATABASE_URL=db_url, OBCMS_ENV="development",
               PYTHONPATH=str(ROOT))
    env.pop("OBCMS_REDIS_URL", None)
    if redis_url:
        env["OBCMS_REDIS_URL"] = redis_url
    serve = ["-m", "uvicorn", "bench.votes_world:app_factory", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--log-level", "warning",
             "--no-access-log"]
    if profile:
        env[SAMPLE_ENV] = profile
    proc = subprocess.Popen([sys.executable, *serve], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly (the sampler writes)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stored_state(db: Database, cycle_id: int, voter_ids: dict[str, int]) -> dict[str, Any]:
    """Counts and each voter's stored ballot, read straight from the tables."""
    with db.uow() as uow:
        s = uow.session
        ballots = s.scalar(select(func.count()).where(PBBallot.cycle_id == cycle_id)) or 0
        history = s.scalar(
            select(func.count()).where(PBBallotSubmission.cycle_id == cycle_id)) or 0
        outbox = s.scalar(select(func.count()).select_from(NotificationOutbox)) or 0
        counter = s.scalar(text("SELECT ballot_count FROM pb_cycle WHERE id = :i"), {"i": cycle_id})
        rows = s.execute(
            select(User.username, PBProject.code)
            .join(PBBallot, PBBallot.user_id == User.id)
            .join(PBBallotMark, PBBallotMark.ballot_id == PBBallot.id)
            .join(PBProject, PBProject.id == PBBallotMark.project_id)
            .where(PBBallot.cycle_id == cycle_id)
            .order_by(PBBallotMark.ballot_id, PBBallotMark.position)
        ).all()
    marks: dict[int, list[str]] = {}
    for username, code in rows:
        marks.setdefault(voter_ids[username], []).append(code)
    return {"ballots": ballots, "history": history, "counter": counter, "outbox": outbox,
            "marks": marks}
