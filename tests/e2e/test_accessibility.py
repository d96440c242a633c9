"""axe-core on every workbench page a signed-in admin (and an anonymous visitor) can open.

The check covers WCAG 2.1 A/AA rules and fails on serious or critical violations: missing
labels, images without text, contrast of the theme's colours. Each page is also photographed at
1366×768 and at 400 px wide into test-artifacts/e2e/pages/.
"""

from __future__ import annotations

import browser_steps as steps
import pytest
from playwright.sync_api import Page, expect

from obcms_core.domain.access import pages_for
from obcms_core.domain.enums import Role
from workbench.navigation import APP_DIR, EVIDENCE_TITLES, SCENARIO_TITLES, TITLES

pytestmark = pytest.mark.e2e
SHOTS = steps.ARTIFACTS / "pages"
ALL_TITLES = {**TITLES, **SCENARIO_TITLES, **EVIDENCE_TITLES}


def built_pages(role: Role | None) -> list[str]:
    """The pages of the role's menu whose files exist, in menu order."""
    return [k for k in pages_for(role) if (APP_DIR / "pages" / f"{k}.py").is_file()]


def check_page(page: Page, base_url: str, key: str, axe_script: str) -> list[str]:
    title, _icon, url = ALL_TITLES[key]
    page.goto(f"{base_url}/{url}")
    expect(page.get_by_test_id("stMainBlockContainer")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{key}.png")
    problems = [f"{key}: {v['id']} ({v['impact']}) {v['help']} at {v['targets']} {v['html']}"
                for v in steps.serious_violations(page, axe_script)]
    page.set_viewport_size({"width": 400, "height": 860})
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / f"{key}-narrow.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    return problems


def test_every_page_passes_axe_for_an_admin_and_a_visitor(
    workbench_url: str, browser_page: Page, axe_script: str
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    problems: list[str] = []
    for key in built_pages(None):
        problems += check_page(page, workbench_url, key, axe_script)
    steps.sign_in(page, workbench_url, "admin", "admin-test-pass")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Admin")
    for key in built_pages(Role.ADMIN):
        problems += check_page(page, workbench_url, key, axe_script)
    assert not problems, "\n".join(problems)
