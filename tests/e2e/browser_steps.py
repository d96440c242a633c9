"""Steps the browser tests share: waiting for a page to settle and signing in."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
WORKBENCH_HEADING = "OBCMS Planning & Budgeting Workbench"


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the page (its 'running' widget is gone)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)


def sign_in(page: Page, base_url: str, username: str, password: str,
            shot: Path | None = None) -> None:
    """Open the sign-in page from the menu, type the credentials and press Sign in."""
    # A busy machine may still be drawing the previous page when the next step starts; each
    # step therefore waits for the page to settle and checks that what was typed is there.
    page.goto(base_url)
    # Until the app's first run ends, Streamlit lists the files of pages/ (a lowercase "sign in"
    # link that runs the page without the app); the app's own menu has "Sign in", exactly.
    link = page.get_by_role("link", name="Sign in", exact=True)
    expect(link).to_be_visible()
    settle(page)
    link.click()
    expect(page.get_by_role("heading", name=WORKBENCH_HEADING)).to_be_visible()
    settle(page)
    button = page.get_by_role("button", name="Sign in")
    expect(button).to_have_count(1)
    user = page.get_by_role("textbox", name="Username")
    secret = page.get_by_role("textbox", name="Password")
    user.fill(username)
    secret.fill(password)
    expect(user).to_have_value(username)
    expect(secret).to_have_value(password)
    if shot is not None:
        page.screenshot(path=shot)
    button.click()


def serious_violations(page: Page, axe_source: str) -> list[dict[str, object]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA)."""
    # Streamlit's own sidebar menu puts section headings straight inside its <ul>; that markup
    # is the framework's, not ours, so the two list-structure rules skip it (and only those).
    page.evaluate(axe_source)
    result = page.evaluate(
        """async () => {
             const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
             const all = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
             const nav = '[data-testid="stSidebarNavItems"]';
             const mine = await axe.run({exclude: [[nav]]},
                                        {runOnly: {type: 'rule', values: ['list', 'listitem']}});
             const listRules = new Set(['list', 'listitem']);
             return {violations: all.violations.filter(v => !listRules.has(v.id))
                                               .concat(mine.violations)};
           }"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:3],
         "html": [n["html"][:160] for n in v["nodes"]][:3]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
