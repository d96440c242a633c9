"""The scenario guide says what the workbench does: its tables are checked against the rules."""

from __future__ import annotations

import re
from pathlib import Path

from obcms_core.domain.access import can_view
from obcms_core.domain.enums import Role, ScenarioStatus
from obcms_core.services.scenarios.store import EDITORS, STATUS_MOVES
from workbench.navigation import SCENARIO_TITLES

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "scenarios.md"


def table(first_header: str) -> list[list[str]]:
    """The guide's table whose first header cell is `first_header`: header, then rows."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} "))
    rows = []
    for line in [lines[start], *lines[start + 2:]]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_the_guide_shows_which_role_reaches_each_scenario_page() -> None:
    header, *rows = table("Page")
    roles = {r.label: r for r in Role}
    titles = {title: key for key, (title, _icon, _url) in SCENARIO_TITLES.items()}
    assert {row[0] for row in rows} == set(titles)
    assert set(header[1:]) == set(roles)
    for row in rows:
        for label, mark in zip(header[1:], row[1:], strict=True):
            assert (mark == "✓") == can_view(roles[label], titles[row[0]]), (row[0], label)


def test_the_guide_names_who_takes_each_step_of_a_scenario() -> None:
    actions = dict(table("Action")[1:])
    roles = {r.label: r for r in Role}

    def who(action: str) -> set[Role]:
        return {roles[name.strip()] for name in actions[action].split(",")}

    s = ScenarioStatus
    assert who("Approve a scenario under review") == set(STATUS_MOVES[(s.UNDER_REVIEW,
                                                                       s.APPROVED)])
    assert who("Return a scenario under review to draft") == set(
        STATUS_MOVES[(s.UNDER_REVIEW, s.DRAFT)])
    assert who("Submit a draft for review, archive a draft or an approved scenario") == set(
        STATUS_MOVES[(s.DRAFT, s.UNDER_REVIEW)]) == set(STATUS_MOVES[(s.APPROVED, s.ARCHIVED)])
    assert who("Create or copy a scenario, edit a draft, run the optimiser") == set(EDITORS)


def test_every_screenshot_the_guide_shows_exists() -> None:
    images = re.findall(r"!\[[^\]]*\]\((images/[^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(images) >= 10
    assert [i for i in images if not (DOCS / i).is_file()] == []
