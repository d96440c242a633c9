"""In a real browser: sign in, read the home figures, stay signed in after a reload."""

from __future__ import annotations

import re
from pathlib import Path

import browser_steps as steps
import pytest
from playwright.sync_api import Page, expect

from obcms_core.config import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

pytestmark = pytest.mark.e2e
COOKIE = Settings().cookie_name  # the server reads the same environment


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    steps.sign_in(page, base_url, username, password, shot=ARTIFACTS / "login.png")


def wait_for_cookie(page: Page, present: bool) -> None:
    """Wait until the browser holds (or no longer holds) the workbench's sign-in cookie."""
    for _ in range(100):
        names = {c["name"] for c in page.context.cookies()}
        if (COOKIE in names) is present:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"the sign-in cookie is {'missing' if present else 'still there'}")


def metric(page: Page, label: str) -> str:
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    box = page.get_by_test_id("stMetric").filter(has=label_el)
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def test_budget_officer_signs_in_and_reads_the_home_figures(
    workbench_url: str, browser_page: Page
) -> None:
    page = browser_page
    sign_in(page, workbench_url, "budget", "budget-test-pass")
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(4)
    # The sample data's figures (the AppTests check them against SQL on both backends).
    assert metric(page, "Community needs") == "8"
    assert metric(page, "Unfunded needs") == "3"
    assert metric(page, "Cost of unfunded needs") == "₱3,600,000.00"
    assert metric(page, "FY 2025 budget") == "₱83,750,000.50"
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Budget officer")
    expect(page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)

    wait_for_cookie(page, present=True)
    page.reload()  # a new browser session: the sign-in cookie keeps the officer signed in
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    assert metric(page, "FY 2025 budget") == "₱83,750,000.50"


def test_a_wrong_password_is_refused_in_the_browser(workbench_url: str, browser_page: Page) -> None:
    page = browser_page
    sign_in(page, workbench_url, "budget", "not-the-password")
    expect(page.get_by_text("Unknown username or wrong password.")).to_be_visible()
    expect(page.get_by_role("link", name="Home")).to_have_count(0)


def test_planner_moves_a_ppa_and_signs_out(workbench_url: str, browser_page: Page) -> None:
    page = browser_page
    page.goto(workbench_url)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "public_needs.png", full_page=True)
    sign_in(page, workbench_url, "planner", "planner-test-pass")
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    page.get_by_role("link", name="PPA approvals").click()
    expect(page.get_by_role("heading", name="PPA approvals")).to_be_visible()
    page.get_by_text("Budget review", exact=True).click()
    page.get_by_label("Note for the record").fill("Costing checked against the FY 2025 ceiling.")
    page.screenshot(path=ARTIFACTS / "ppa_workflow_form.png", full_page=True)
    page.get_by_role("button", name="Move PPA").click()
    expect(page.get_by_text("MBHTE-2025-004 moved to Budget review.")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "ppa_workflow.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    wait_for_cookie(page, present=False)
    page.reload()  # signed out for good
    expect(page.get_by_role("link", name=re.compile("^Sign in$"))).to_be_visible()
    expect(page.get_by_role("link", name="PPA approvals")).to_have_count(0)
