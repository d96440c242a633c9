"""In a real browser: a budget officer narrows the gap analysis and downloads what it shows.

The server runs on the hand-built dashboard world (tests/integration/dashboard_world.py) with the
participatory-budgeting votes of gap_votes_world.py. Figures worked out by hand there:
    opens on FY2026: 5 unfunded needs (N1 N12 N4 N11 N6), ₱5,500,000.00
    FY2025:          5 unfunded needs (N1 N5 N12 N4 N6), ₱6,100,000.00
    FY2025, XII:     3 unfunded needs, in priority order N1 (3.5) N5 (3.2) N6 (1.5),
                     ₱4,200,000.00, votes 4, 4 and none (N6 was on no ballot)
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from obcms_core.services.database import Database, migrate, open_database

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
INTEGRATION = HERE.parent / "integration"
if str(INTEGRATION) not in sys.path:
    sys.path.append(str(INTEGRATION))
from dashboard_world import World, add_users, build_dashboard_world  # noqa: E402
from gap_votes_world import add_votes  # noqa: E402


def _load(name: str, path: Path) -> ModuleType:
    """A helper module of another test folder, loaded by path (test folders are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUPPORT = _load("e2e_gap_support", HERE / "conftest.py")
LOGIN = _load("e2e_gap_login", HERE / "test_login_home.py")
SAMPLE = _load("e2e_gap_sample", HERE.parent / "app" / "workbench_sample.py")
ARTIFACTS: Path = SUPPORT.ARTIFACTS


@pytest.fixture(scope="module")
def gap_db_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> str:
    """A throw-away SQLite file for the server."""
    return f"sqlite:///{tmp_path_factory.mktemp('e2e-gaps') / 'obcms.db'}"


@pytest.fixture(scope="module")
def gap_world(gap_db_url: str) -> World:
    """The dashboard world, its votes and the sample users."""
    db: Database = open_database(gap_db_url)
    migrate(db)
    world = build_dashboard_world(db)
    add_votes(db, world)
    add_users(db, SAMPLE.USERS)
    db.dispose()
    return world


@pytest.fixture(scope="module")
def workbench_url(gap_db_url: str, gap_world: World) -> Iterator[str]:
    """A workbench server on the gap world (replaces the shell's sample-data server)."""
    with SUPPORT.running_workbench(gap_db_url, "server-gaps.log") as base_url:
        yield base_url


def settle(page: Page) -> None:
    """Wait until the app has finished its run (the running indicator is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(400)


def choose(page: Page, label: str, option: str) -> None:
    """Open a filter list by its label and pick one option, as a person does."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def metric(page: Page, label: str) -> str:
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    box = page.get_by_test_id("stMetric").filter(has=label_el).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def whole_page(page: Page, path: Path) -> None:
    """A screenshot of the whole page (the app scrolls inside its main area, not the window)."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, int(tall))})
    settle(page)
    page.screenshot(path=path)
    page.set_viewport_size({"width": width, "height": height})


def test_budget_officer_narrows_the_gaps_and_downloads_what_the_page_shows(
    workbench_url: str, gap_world: World, browser_page: Page
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    LOGIN.sign_in(page, workbench_url, "budget", SAMPLE.USERS["budget"][1])
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    page.get_by_role("link", name="Gap analysis").click()
    expect(page.get_by_role("heading", name="Gap analysis")).to_be_visible()
    settle(page)
    assert (metric(page, "Unfunded needs"), metric(page, "Estimated cost")) == (
        "5", "₱5,500,000.00")

    choose(page, "Fiscal year", "2025")
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text("₱6,100,000.00")
    assert metric(page, "Unfunded needs") == "5"
    choose(page, "Region", "XII – SOCCSKSARGEN")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("3")
    assert metric(page, "Estimated cost") == "₱4,200,000.00"
    assert metric(page, "Share of needs funded") == "0.0%"
    expect(page.get_by_text("(9 ballots)", exact=False)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "gap_analysis_1366.png")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "unfunded-needs-FY2025.xlsx"
    ws = load_workbook(BytesIO(Path(download.path()).read_bytes())).active
    assert ws["A1"].value == "Unfunded community needs — FY 2025"
    assert ws["A2"].value == (
        "Filters applied: Fiscal year: 2025; Region: Region XII – SOCCSKSARGEN")
    header = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Need ID")
    total = next(r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value == "Total")
    shown = int(metric(page, "Unfunded needs"))
    assert total - header - 1 == shown == 3
    headers = [c.value for c in ws[header]]
    rows = [[ws.cell(r, headers.index(h) + 1).value for h in ("Need ID", "Votes")]
            for r in range(header + 1, total)]
    n = gap_world.needs
    assert rows == [[n["N1"], 4], [n["N5"], 4], [n["N6"], None]]
    assert ws.cell(total, headers.index("Estimated cost (₱)") + 1).value == 4_200_000

    page.set_viewport_size({"width": 400, "height": 860})
    settle(page)
    expect(page.get_by_role("heading", name="Gap analysis")).to_be_visible()
    whole_page(page, ARTIFACTS / "gap_analysis_400.png")
