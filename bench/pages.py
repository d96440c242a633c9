"""Benchmark the workbench pages: warm median seconds per page, rendered with AppTest.

For each backend, a fresh database gets the reference data and seed-demo at --scale (10 = 50,000
needs, 4,800 PPAs). A session signs in as the demo admin (and the demo executive for pages only
executives land on), opens every page of its menu once (cold: caches fill), then --repeat more
times; the median of those warm runs is reported. A page's run is the whole script run a
browser triggers: the router, the sign-in check, the menu and the page. Pages that raise or
show an exception are reported as errors. PostgreSQL runs in a throw-away schema of
OBCMS_BENCH_DATABASE_URL or OBCMS_TEST_DATABASE_URL.

    python bench/pages.py --scale 10 --backends sqlite,postgresql --repeat 5
Target: every page <= 1.0 s warm.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import streamlit as st  # noqa: E402
import streamlit_authenticator.params as auth_params  # noqa: E402
from seed import fresh_database  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from obcms_core.config import get_settings  # noqa: E402
from obcms_core.domain.access import pages_for  # noqa: E402
from obcms_core.domain.enums import Role  # noqa: E402
from obcms_core.pipelines.demo import seed_demo  # noqa: E402
from obcms_core.pipelines.demo.users import DEMO_USERS  # noqa: E402
from obcms_core.pipelines.reference import load_reference  # noqa: E402

PASSWORDS = {username: password for username, _r, _n, password in DEMO_USERS}
TARGET = 1.0


def signed_in(username: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/sign_in.py").run()
    fields = {w.label: w for w in at.text_input}
    fields["Username"].input(username)
    fields["Password"].input(PASSWORDS[username])
    at.form_submit_button[0].click().run()
    if at.session_state["authentication_status"] is not True:
        raise SystemExit(f"could not sign in as {username}")
    return at


def time_page(at: AppTest, key: str, repeat: int) -> dict[str, object]:
    at.switch_page(f"pages/{key}.py")
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        return {"page": key, "error": at.exception[0].value[:200]}
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return {"page": key, "cold": round(cold, 3), "warm_median": round(statistics.median(warm), 3),
            "warm_max": round(max(warm), 3)}


def bench_backend(backend: str, scale: float, repeat: int, pg_url: str | None) -> list[dict]:
    rows: list[dict[str, object]] = []
    with fresh_database(backend, pg_url) as db:
        load_reference(db, progress=lambda _m: None)
        started = time.perf_counter()
        seed_demo(db, scale=scale, seed=2025, progress=lambda _m: None)
        print(f"[{backend}] seeded scale {scale} in {time.perf_counter() - started:.1f} s",
              flush=True)
        os.environ["OBCMS_DATABASE_URL"] = db.engine.url.render_as_string(hide_password=False)
        get_settings.cache_clear()
        st.cache_data.clear()
        st.cache_resource.clear()
        admin_pages = [k for k in pages_for(Role.ADMIN) if (ROOT / "pages" / f"{k}.py").is_file()]
        at = signed_in("admin")
        for key in admin_pages:
            rows.append({"backend": backend, "role": "admin", **time_page(at, key, repeat)})
            print(rows[-1], flush=True)
        extra = [k for k in pages_for(Role.EXECUTIVE)
                 if k not in admin_pages and (ROOT / "pages" / f"{k}.py").is_file()]
        if extra:
            at = signed_in("executive")
            for key in extra:
                rows.append({"backend": backend, "role": "executive",
                             **time_page(at, key, repeat)})
        st.cache_resource.clear()  # disposes the app's engine before the schema goes
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    auth_params.PRE_LOGIN_SLEEP_TIME = 0
    pg_url = os.environ.get("OBCMS_BENCH_DATABASE_URL") or os.environ.get(
        "OBCMS_TEST_DATABASE_URL")
    rows: list[dict[str, object]] = []
    for backend in args.backends.split(","):
        if backend == "postgresql" and not pg_url:
            print("postgresql skipped: set OBCMS_BENCH_DATABASE_URL or OBCMS_TEST_DATABASE_URL")
            continue
        rows += bench_backend(backend, args.scale, args.repeat, pg_url)
    print(f"\n{'backend':<11} {'page':<20} {'cold s':>8} {'warm median s':>14} "
          f"{'max s':>7}  target")
    for r in rows:
        if "error" in r:
            print(f"{r['backend']:<11} {r['page']:<20} ERROR {r['error']}")
            continue
        ok = "ok" if float(r["warm_median"]) <= TARGET else "OVER"  # type: ignore[arg-type]
        print(f"{r['backend']:<11} {r['page']:<20} {r['cold']:>8} {r['warm_median']:>14} "
              f"{r['warm_max']:>7}  {ok}")
    print(json.dumps({"scale": args.scale, "repeat": args.repeat, "pages": rows}))


if __name__ == "__main__":
    main()
