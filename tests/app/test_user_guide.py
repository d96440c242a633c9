"""The user guide's tables say what the workbench does: checked against the rules themselves."""

from __future__ import annotations

from pathlib import Path

from obcms_core.domain.access import can_view
from obcms_core.domain.enums import ApprovalStatus, Role
from obcms_core.domain.workflow import TRANSITIONS
from obcms_core.pipelines.demo import DEMO_USERS
from workbench.navigation import TITLES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "getting-started.md"


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table(first_header: str) -> list[list[str]]:
    """The guide's table whose first header cell is `first_header`: header, then rows."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} "))
    rows = [cells(lines[start])]
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return rows


def test_the_guide_lists_every_approval_step_with_the_roles_that_take_it() -> None:
    by_label = {s.label: s for s in ApprovalStatus}
    roles = {r.label: r for r in Role}
    documented = {
        (by_label[frm], by_label[to]): frozenset(roles[name] for name in who.split(", "))
        for frm, to, who in table("From")[1:]
    }
    assert documented == dict(TRANSITIONS)


def test_the_guide_shows_which_role_reaches_which_page() -> None:
    columns: list[Role | None] = [None, *Role]  # "Anonymous", then every role in order
    titles = {title: key for key, (title, _, _) in TITLES.items()}
    header, *rows = table("Page")
    assert header[1:] == ["Anonymous", *(r.label for r in Role)]
    assert {titles[row[0]] for row in rows} == set(TITLES)
    for row in rows:
        for role, mark in zip(columns, row[1:], strict=True):
            assert (mark == "✓") == can_view(role, titles[row[0]]), (row[0], role)


def test_the_guide_lists_the_demo_accounts_the_seeder_creates() -> None:
    documented = {(u.strip("`"), p.strip("`"), role) for u, p, role, _ in table("Username")[1:]}
    assert documented == {(u, p, role.label) for u, role, _, p in DEMO_USERS}
