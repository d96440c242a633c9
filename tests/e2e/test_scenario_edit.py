"""In a real browser: a budget officer edits one allocation in the scenario builder's table."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import browser_steps as steps
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from obcms_core.adapters.orm import ScenarioAllocation
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.money import format_php
from obcms_core.pipelines.demo import seed_demo
from obcms_core.pipelines.reference import load_reference
from obcms_core.services.database import Database, migrate, open_database
from obcms_core.services.scenarios import analysis, store
from workbench.scenario_forms import COLUMNS

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
HEADER, ROW = 35, 35  # the data editor's header and row heights, in pixels
# Arrow presses from the pinned code column to the request (read-only) and the amount.
REQUEST_COLUMN, AMOUNT_COLUMN = COLUMNS.index("request"), COLUMNS.index("amount")


def _support() -> ModuleType:
    """The e2e conftest's server helpers (loaded by path: test folders are not packages)."""
    spec = importlib.util.spec_from_file_location("e2e_support", HERE / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUPPORT = _support()
ARTIFACTS: Path = SUPPORT.ARTIFACTS


@pytest.fixture(scope="module")
def scenario_world(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Database:
    """Reference data, a small demo world and one draft copied from the FY 2026 baseline."""
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('e2e-scenario') / 'obcms.db'}")
    migrate(db)
    load_reference(db, progress=lambda _m: None)
    seed_demo(db, scale=0.2, seed=7, progress=lambda _m: None)
    with db.uow() as uow:
        store.create_scenario(uow, Actor("budget", Role.BUDGET_OFFICER), name="E2E baseline",
                              fiscal_year=2026, description="Copied for the browser test")
        uow.commit()
    return db


@pytest.fixture(scope="module")
def workbench_url(scenario_world: Database) -> Iterator[str]:
    """A workbench server on the scenario world (replaces the shell's sample-data server)."""
    url = scenario_world.engine.url.render_as_string(hide_password=False)
    with SUPPORT.running_workbench(url, "server-scenarios.log") as base_url:
        yield base_url


def target_row(db: Database) -> tuple[int, int, str, Decimal, Decimal]:
    """The first PPA (in the table's order) serving people: row, id, code, request, amount."""
    with db.uow() as uow:
        sid = store.list_scenarios(uow, 2026)["id"].iloc[0]
        table = analysis.load_view(uow, int(sid)).table
    row = int(next(i for i, p in enumerate(table["population"]) if p > 0))
    pick = table.iloc[row]
    return (row, int(pick["id"]), str(pick["code"]), Decimal(str(pick["request"])),
            Decimal(str(pick["amount"])))


def stored(db: Database, ppa_id: int) -> tuple[Decimal, Decimal]:
    """(this PPA's amount, the scenario's total) as saved."""
    with db.uow() as uow:
        amount = uow.session.scalar(select(ScenarioAllocation.amount)
                                    .where(ScenarioAllocation.ppa_id == ppa_id))
        total = uow.session.scalar(select(func.sum(ScenarioAllocation.amount)))
    return Decimal(amount), Decimal(total)


def amounts(db: Database) -> dict[int, Decimal]:
    with db.uow() as uow:
        rows = uow.session.execute(select(ScenarioAllocation.ppa_id, ScenarioAllocation.amount))
        return {int(pid): Decimal(a) for pid, a in rows}


def metric(page: Page, label: str) -> str:
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    box = page.get_by_test_id("stMetric").filter(has=label_el).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def settle(page: Page) -> None:
    """Wait until the app has finished its run (the running indicator is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(300)


def whole_page(page: Page, path: Path) -> None:
    """A screenshot of the whole page (the app scrolls inside its main area, not the window)."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, int(tall))})
    settle(page)
    page.screenshot(path=path)
    page.set_viewport_size({"width": width, "height": height})


def cell_editor(page: Page, grid: Locator, row: int, right: int) -> Locator | None:
    """Open the editor of the cell `right` columns right of a row's (pinned) code cell."""
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 40, box["y"] + HEADER + ROW * row + ROW / 2)
    for _ in range(right):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal input, #portal textarea").first
    try:  # a read-only cell opens a disabled box, which never takes the focus
        expect(editor).to_be_visible(timeout=5_000)
    except AssertionError:
        return None
    return editor


def cell_value(page: Page, grid: Locator, row: int, right: int) -> str | None:
    """What a cell holds, read from its editor (closed again without a change)."""
    editor = cell_editor(page, grid, row, right)
    value = editor.input_value() if editor is not None else None
    page.keyboard.press("Escape")
    return value


def plain(amount: Decimal) -> str:
    """An amount as the grid's editor shows it (no separators, no trailing zeros)."""
    return f"{amount.normalize():f}"


def edit_amount(
    page: Page, grid: Locator, row: int, request: Decimal, value: Decimal, code: str
) -> None:
    """Type a new amount into a row's cell, as an officer does, and check that the grid took it."""
    # The canvas grid now and then misses a click or a key pressed straight after another;
    # every step is checked by reading the cell back, and repeated when it did not take.
    missed: list[str] = []
    for _attempt in range(5):
        if missed:  # let the grid settle before trying again
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
        if (seen := cell_value(page, grid, row, REQUEST_COLUMN)) != plain(request):
            missed.append(f"request cell read {seen!r}")  # another row, or no editor
            continue
        editor = cell_editor(page, grid, row, AMOUNT_COLUMN)
        if editor is None or not editor.is_enabled():
            missed.append("the amount editor did not open")
            continue
        expect(editor).to_be_focused()
        # The number editor can show typed keys before it tracks them (keys pressed as it
        # mounts are displayed but not committed): give it a moment before and after typing.
        page.wait_for_timeout(250)
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(plain(value), delay=30)
        expect(editor).to_have_value(plain(value))
        page.wait_for_timeout(250)
        page.keyboard.press("Enter")
        expect(editor).to_have_count(0)
        if (seen := cell_value(page, grid, row, AMOUNT_COLUMN)) == plain(value):
            # Streamlit hands the editor's changes to the form 150 ms after the last one.
            page.wait_for_timeout(600)
            return
        missed.append(f"the amount cell read {seen!r} after typing")
    pytest.fail(f"the data editor did not take {value} for {code}: {'; '.join(missed)}")


def test_budget_officer_edits_one_allocation_cell_and_the_figures_follow(
    workbench_url: str, scenario_world: Database, browser_page: Page,
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    row, ppa_id, code, request, amount = target_row(scenario_world)
    new_amount = (amount / 2).quantize(Decimal("1"))
    before = amounts(scenario_world)
    steps.sign_in(page, workbench_url, "budget", "budget-demo-2025")
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    page.get_by_role("link", name="Scenario builder").click()
    expect(page.get_by_role("heading", name="Scenario builder")).to_be_visible()
    expect(page.get_by_role("combobox", name="Scenario")).to_have_value(
        "E2E baseline — FY 2026, draft")
    settle(page)
    people_before = metric(page, "People served")
    page.screenshot(path=ARTIFACTS / "scenario_builder_1366.png")

    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    edit_amount(page, grid, row, request, new_amount, code)
    page.screenshot(path=ARTIFACTS / "scenario_editor_cell.png")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved: 1 allocation changed.")).to_be_visible()
    settle(page)

    saved, total = stored(scenario_world, ppa_id)
    assert saved == new_amount, code
    assert metric(page, "Allocated") == format_php(total)
    assert metric(page, "People served") != people_before
    page.screenshot(path=ARTIFACTS / "scenario_builder_saved_1366.png")
    whole_page(page, ARTIFACTS / "scenario_builder_saved_1366_whole.png")
    page.set_viewport_size({"width": 400, "height": 900})
    settle(page)
    expect(page.get_by_role("heading", name="Scenario builder")).to_be_visible()
    whole_page(page, ARTIFACTS / "scenario_builder_400.png")
    after = amounts(scenario_world)
    assert {k: v for k, v in after.items() if k != ppa_id} == {
        k: v for k, v in before.items() if k != ppa_id}  # one cell, one allocation
