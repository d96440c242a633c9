"""A real workbench server on a free port, fed by a throw-away SQLite database, and Chromium."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

from obcms_core.services.database import migrate, open_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def sample_data() -> ModuleType:
    """The AppTests' hand-built data set (loaded by path: test folders are not packages)."""
    spec = importlib.util.spec_from_file_location(
        "workbench_sample_data", ROOT / "tests" / "app" / "workbench_sample.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"Streamlit did not become healthy:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = "Browser tests skipped: /usr/bin/chromium not installed (apt-get install chromium)"
        if os.environ.get("OBCMS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason.replace("skipped", "required (OBCMS_REQUIRE_BROWSER=1)"))
        pytest.skip(reason)
    return CHROMIUM


@contextmanager
def running_workbench(db_url: str, log_name: str) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port against db_url; yield its URL; always stop it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = ARTIFACTS / log_name
    env = {**os.environ, "OBCMS_DATABASE_URL": db_url, "OBCMS_ENV": "development"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
             f"--server.port={port}", "--server.address=127.0.0.1",
             "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def workbench_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[str]:
    """The base URL of a running workbench on the sample data; the server always stops."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'obcms.db'}"
    db = open_database(db_url)
    migrate(db)
    sample_data().build_sample(db)
    db.dispose()
    with running_workbench(db_url, "server.log") as base_url:
        yield base_url


@pytest.fixture
def browser_page(chromium_path: Path, request: pytest.FixtureRequest) -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # The first page of a fresh server imports the whole stack: allow more than 5 s.
    expect.set_options(timeout=30_000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
            # The last screen of every test, to look at when one fails.
            page.screenshot(path=ARTIFACTS / f"last-{request.node.name}.png")
        finally:
            browser.close()


AXE_VERSION = "4.11.0"  # axe-core, from the npm registry, injected into pages by the a11y checks
AXE_CACHE = ROOT / ".cache" / f"axe-core-{AXE_VERSION}"


def _fetch_axe() -> Path:
    """axe.min.js, fetched once with `npm pack` into .cache/ (needs npm and its registry)."""
    target = AXE_CACHE / "axe.min.js"
    if target.is_file():
        return target
    AXE_CACHE.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        ["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent",
         "--pack-destination", str(AXE_CACHE)],
        capture_output=True, text=True, timeout=180, check=True,
    )
    tarball = AXE_CACHE / packed.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        target.write_bytes(member.read())
    tarball.unlink()
    return target


@pytest.fixture(scope="session")
def axe_script(chromium_path: Path) -> str:
    """The axe-core source to inject; skipped (failed in CI) when it cannot be fetched."""
    override = os.environ.get("OBCMS_AXE_JS")
    try:
        path = Path(override) if override else _fetch_axe()
        return path.read_text(encoding="utf-8")
    except (OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
        reason = f"Accessibility checks skipped: axe-core {AXE_VERSION} unavailable ({exc})"
        if os.environ.get("OBCMS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason.replace("skipped", "required (OBCMS_REQUIRE_BROWSER=1)"))
        pytest.skip(reason)
