"""In a real browser: a voter fills in a knapsack ballot, submits it, changes it and finds both
submissions in the history; screenshots at 1366×768 and 400 px wide (also for the user guide)."""

from __future__ import annotations

import importlib.util
import random
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import browser_steps as steps
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from obcms_core.adapters.orm import Community, Need
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule
from obcms_core.pipelines.demo import seed_demo
from obcms_core.pipelines.reference import load_reference
from obcms_core.services.database import Database, migrate, open_database
from obcms_core.services.pb import (
    BallotChoice,
    CycleSpec,
    ProjectView,
    ballot_history,
    create_cycle,
    get_cycle,
    list_cycles,
    my_ballot,
    projects_from_needs,
    submit_ballot,
    voter_key_for_user,
)
from obcms_core.services.users import create_user, get_user

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
CYCLE = "Community projects vote"
VOTER, PASSWORD = "amina", "amina-e2e-pass-2028"
PLANNER_PASSWORD = "planner-demo-2025"  # the demo planner (docs/getting-started.md)


def _support() -> ModuleType:
    """The e2e conftest's server helpers (loaded by path: test folders are not packages)."""
    spec = importlib.util.spec_from_file_location("e2e_support", HERE / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SUPPORT = _support()
ARTIFACTS: Path = SUPPORT.ARTIFACTS
GUIDE_IMAGES = SUPPORT.ROOT / "docs" / "images"


def _eligible_needs(db: Database) -> list[int]:
    """Eight placed demo needs costing ₱0.3–6 M, highest priority first."""
    with db.uow() as uow:
        return list(uow.session.scalars(
            select(Need.id).join(Community, Need.community_id == Community.id)
            .where(Community.latitude.is_not(None),
                   Need.estimated_cost.between(Decimal(300_000), Decimal(6_000_000)))
            .order_by(Need.priority_score.desc(), Need.id).limit(8)))


@pytest.fixture(scope="module")
def pb_world(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Database:
    """Reference data and the demo, one knapsack cycle open now, some ballots and a voter."""
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('e2e-pb') / 'obcms.db'}")
    migrate(db)
    load_reference(db, progress=lambda _m: None)
    seed_demo(db, scale=0.2, seed=7, progress=lambda _m: None)
    now = datetime.now(UTC)
    with db.uow() as uow:
        projects = projects_from_needs(uow, _eligible_needs(db))
        total = sum((Decimal(p.cost) for p in projects), Decimal(0))
        envelope = (total / 200_000).to_integral_value() * 100_000  # about half, in ₱100,000s
        cycle_id = create_cycle(uow, Actor("planner", Role.PLANNER), CycleSpec(
            name=CYCLE, fiscal_year=2028, envelope=envelope, opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=28), ballot=BallotSpec(BallotFormat.KNAPSACK,
                                                                  min_choices=1),
            counting_rule=CountingRule.MES,
            description="Choose the community projects the office should fund in 2028.",
        ), projects)
        create_user(uow, username=VOTER, full_name="Amina Usman", email="amina@example.org",
                    password=PASSWORD, role=Role.COMMUNITY_MEMBER, bcrypt_rounds=4)
        uow.commit()
    cast_background_ballots(db, cycle_id, now)
    return db


def cast_background_ballots(db: Database, cycle_id: int, now: datetime) -> None:
    """Forty neighbours' ballots, each a random set of projects that fits the envelope."""
    rng = random.Random(2028)
    with db.uow() as uow:
        cycle = get_cycle(uow, cycle_id)
        for n in range(40):
            chosen, spent = [], Decimal(0)
            for p in rng.sample(list(cycle.projects), k=len(cycle.projects)):
                if spent + p.cost <= cycle.envelope and rng.random() < 0.6:
                    chosen.append(p.code)
                    spent += p.cost
            submit_ballot(uow, cycle_id, f"neighbour-{n}", BallotChoice(chosen or [
                min(cycle.projects, key=lambda p: p.cost).code]), now=now - timedelta(hours=n))
        uow.commit()


@pytest.fixture(scope="module")
def workbench_url(pb_world: Database) -> Iterator[str]:
    """A workbench server on the PB world (replaces the shell's sample-data server)."""
    url = pb_world.engine.url.render_as_string(hide_password=False)
    with SUPPORT.running_workbench(url, "server-pb.log") as base_url:
        yield base_url


def settle(page: Page) -> None:
    """Wait until the app has finished its run (the running indicator is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(400)


def whole_page(page: Page, path: Path, guide: str | None = None) -> None:
    """A screenshot of the whole page (the app scrolls inside its main area), and its copy
    for the user guide."""
    size = page.viewport_size
    assert size is not None
    width, height = size["width"], size["height"]
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, int(tall))})
    settle(page)
    page.mouse.move(width - 2, 2)  # no hover effect (heading links, tooltips) in the picture
    page.screenshot(path=path)
    page.set_viewport_size({"width": width, "height": height})
    if guide:
        shutil.copyfile(path, GUIDE_IMAGES / guide)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in from the app's own menu; a fresh server's very first sign-in is retried once."""
    for attempt in range(2):
        page.goto(base_url)
        expect(page.get_by_role("heading", name="Community needs")).to_be_visible()
        # the app's menu has sections; Streamlit's plain list of page files (shown for a moment
        # on a fresh server) has none, and its "sign in" link skips the app's sign-in
        expect(page.get_by_text("Participatory budgeting", exact=True)).to_be_visible()
        steps.settle(page)
        page.get_by_role("link", name="Sign in", exact=True).click()
        expect(page.get_by_role("heading", name=steps.WORKBENCH_HEADING)).to_be_visible()
        steps.settle(page)
        user, secret = (page.get_by_role("textbox", name=n) for n in ("Username", "Password"))
        user.fill(username)
        secret.fill(password)
        expect(user).to_have_value(username)
        expect(secret).to_have_value(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        try:
            expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if attempt:
                raise


def card_checkbox(page: Page, project: ProjectView) -> object:
    """The "Choose this project" box on the card of one project."""
    card = page.get_by_test_id("stVerticalBlock").filter(
        has=page.get_by_text(project.title, exact=True)).filter(
        has=page.get_by_role("checkbox")).last
    return card.get_by_text("Choose this project")


def choose(page: Page, project: ProjectView) -> None:
    card_checkbox(page, project).click()  # type: ignore[attr-defined]
    settle(page)


def no_serious_violations(page: Page, axe_script: str) -> None:
    """axe-core finds no serious or critical WCAG 2.1 AA problem on the page as it is."""
    problems = steps.serious_violations(page, axe_script)
    assert not problems, problems


def test_voter_fills_submits_and_changes_a_knapsack_ballot(
    workbench_url: str, pb_world: Database, browser_page: Page, axe_script: str,
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    with pb_world.uow() as uow:
        cycle_id = next(c.id for c in list_cycles(uow) if c.name == CYCLE)
        cycle = get_cycle(uow, cycle_id)
        voter = get_user(uow, VOTER)
    assert voter is not None
    by_cost = sorted(cycle.projects, key=lambda p: p.cost)
    first, second, third = by_cost[0], by_cost[1], by_cost[2]

    sign_in(page, workbench_url, VOTER, PASSWORD)
    page.get_by_role("link", name="Vote").click()
    expect(page.get_by_role("heading", name="Vote on community projects")).to_be_visible()
    expect(page.get_by_role("combobox", name="Participatory budgeting cycle")).to_have_value(
        f"{CYCLE} (FY 2028) — voting open")
    settle(page)
    choose(page, first)
    choose(page, second)
    left = cycle.envelope - first.cost - second.cost
    expect(page.get_by_text(f"Remaining budget: {format_php(left)}").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "pb_vote_1366.png")
    page.get_by_role("button", name="Submit my ballot").click()
    expect(page.get_by_text("Thank you! Your ballot is stored (submission 1).")).to_be_visible()
    settle(page)

    choose(page, second)  # untick
    choose(page, third)
    page.get_by_role("button", name="Submit my ballot").click()
    expect(page.get_by_text("Your ballot is changed (submission 2)")).to_be_visible()
    settle(page)
    expect(page.get_by_text("Ballot 2", exact=False).first).to_be_visible()
    expect(page.get_by_text("Ballot 1", exact=False).first).to_be_visible()
    whole_page(page, ARTIFACTS / "pb_vote_1366_whole.png", "pb_vote.png")
    no_serious_violations(page, axe_script)

    key = voter_key_for_user(voter.id)
    with pb_world.uow() as uow:
        history = ballot_history(uow, cycle.id, key)
        current = my_ballot(uow, cycle.id, key)
    assert [set(h.projects) for h in history] == [{first.code, second.code},
                                                   {first.code, third.code}]
    assert current is not None and set(current.projects) == {first.code, third.code}

    # On a phone, in Filipino: the switch at the top, the budget bar, the cards stacked.
    page.set_viewport_size({"width": 400, "height": 860})
    settle(page)
    page.get_by_text("Filipino", exact=True).click()
    expect(page.get_by_role("heading", name="Bumoto sa mga proyekto ng komunidad")).to_be_visible()
    settle(page)
    page.get_by_text("Natitirang badyet").first.scroll_into_view_if_needed()
    page.mouse.move(398, 858)
    page.screenshot(path=ARTIFACTS / "pb_vote_400.png")
    shutil.copyfile(ARTIFACTS / "pb_vote_400.png", GUIDE_IMAGES / "pb_vote_phone.png")
    whole_page(page, ARTIFACTS / "pb_vote_400_whole.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # no sideways scroll
    page.get_by_text("English", exact=True).click()
    settle(page)


def test_anyone_reads_the_results_of_a_closed_cycle(
    workbench_url: str, browser_page: Page, axe_script: str,
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(workbench_url)
    expect(page.get_by_role("heading", name="Community needs")).to_be_visible()
    page.get_by_role("link", name="PB results").click()
    expect(page.get_by_role("heading", name="Participatory budgeting results")).to_be_visible()
    expect(page.get_by_text("updated every 10 seconds").first).to_be_visible()  # 2028 is open
    settle(page)
    page.screenshot(path=ARTIFACTS / "pb_results_open_1366.png")
    page.get_by_role("combobox", name="Participatory budgeting cycle").click()
    page.get_by_role("option", name="Community priorities FY2025").click()
    expect(page.get_by_text("these are the final results").first).to_be_visible()
    expect(page.get_by_role("heading", name="Why was this project not funded?")).to_be_visible()
    settle(page)
    whole_page(page, ARTIFACTS / "pb_results_1366_whole.png", "pb_results.png")
    no_serious_violations(page, axe_script)
    page.set_viewport_size({"width": 400, "height": 860})
    settle(page)
    whole_page(page, ARTIFACTS / "pb_results_400_whole.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400


def test_planner_looks_at_the_cycles(
    workbench_url: str, browser_page: Page, axe_script: str,
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, workbench_url, "planner", PLANNER_PASSWORD)
    page.get_by_role("link", name="PB cycles").click()
    expect(page.get_by_role("heading", name="Participatory budgeting cycles")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    expect(page.get_by_role("combobox", name="Cycle")).to_have_value(
        f"{CYCLE} (FY 2028, voting open)")
    settle(page)
    whole_page(page, ARTIFACTS / "pb_cycles_1366_whole.png", "pb_cycles.png")
    page.get_by_role("tab", name="Change settings").click()
    expect(page.get_by_text("settings are frozen").first).to_be_visible()
    settle(page)
    whole_page(page, ARTIFACTS / "pb_cycles_change_1366_whole.png")
    no_serious_violations(page, axe_script)
