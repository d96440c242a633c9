"""The evidence pages' guide: who reaches which page, who edits the registry, its pictures."""

from __future__ import annotations

import re
from pathlib import Path

from obcms_core.domain.access import Actor, can_view
from obcms_core.domain.enums import Role
from obcms_core.services.dashboards.focal_edit import may_edit
from workbench.navigation import EVIDENCE_TITLES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "dashboards-evidence.md"
PAGES = ("policy_matrix", "needs_summary", "focal_registry")


def who_does_what() -> list[list[str]]:
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Page / action "))
    rows = []
    for line in [lines[start], *lines[start + 2:]]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def test_the_guide_shows_which_staff_role_reaches_each_evidence_page() -> None:
    header, *rows = who_does_what()
    roles = {r.label: r for r in Role}
    titles = {EVIDENCE_TITLES[key][0]: key for key in PAGES}
    pages = {row[0].split(" (")[0]: row for row in rows}
    assert set(titles) <= set(pages)
    for title, key in titles.items():
        for label, mark in zip(header[1:], pages[title][1:], strict=True):
            assert (mark == "✓") == can_view(roles[label], key), (title, label)
    # Community members and partners, not in the table, reach none of them.
    assert not any(can_view(r, key) for r in (Role.COMMUNITY_MEMBER, Role.PARTNER)
                   for key in PAGES)


def test_the_guide_names_who_edits_the_focal_persons_registry() -> None:
    header, *rows = who_does_what()
    edit = dict(zip(header, next(r for r in rows if r[0].startswith("Add, correct")),
                    strict=True))
    moa, other = 7, 8
    assert edit["Admin"] == "any MOA" and may_edit(Actor("a", Role.ADMIN), moa)
    assert edit["MOA focal person"] == "own MOA only"
    focal = Actor("f", Role.MOA_FOCAL, moa)
    assert may_edit(focal, moa) and not may_edit(focal, other)
    for role in (Role.BUDGET_OFFICER, Role.PLANNER, Role.ANALYST, Role.EXECUTIVE):
        assert edit[role.label] == "" and not may_edit(Actor("x", role, moa), moa)


def test_every_screenshot_the_guide_shows_exists() -> None:
    images = re.findall(r"!\[[^\]]+\]\((images/[^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert sorted(images) == ["images/focal_registry.png", "images/needs_summary.png",
                              "images/needs_summary_phone.png", "images/policy_matrix.png"]
    assert [i for i in images if not (GUIDE.parent / i).is_file()] == []
