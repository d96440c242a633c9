"""The menu: which page files each role sees, grouped in sections, rebuilt on every run."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.navigation.page import Page

from obcms_core.domain.access import LANDING, pages_for
from obcms_core.domain.enums import Role

APP_DIR = Path(__file__).resolve().parent.parent

# page key -> (menu title, icon, URL path); page `x` lives in pages/x.py. A URL path never
# equals a file name: Streamlit's legacy pages/ routing would then run that file directly,
# without this app's sign-in and menu (see workbench.session.require).
TITLES: dict[str, tuple[str, str, str]] = {
    "home": ("Home", ":material/dashboard:", "overview"),
    "public_needs": ("Community needs", ":material/diversity_3:", "needs"),
    "ppa_register": ("PPA register", ":material/table_view:", "ppas"),
    "ppa_workflow": ("PPA approvals", ":material/approval:", "approvals"),
    "users": ("Users", ":material/manage_accounts:", "accounts"),
    "audit_log": ("Audit log", ":material/history:", "audit"),
}
# The scenario pages, documented (with who reaches them) in docs/scenarios.md.
SCENARIO_TITLES: dict[str, tuple[str, str, str]] = {
    "scenarios": ("Scenarios", ":material/folder_copy:", "budget-scenarios"),
    "scenario_builder": ("Scenario builder", ":material/tune:", "builder"),
    "scenario_compare": ("Compare scenarios", ":material/compare_arrows:", "compare"),
    "optimiser": ("Optimiser", ":material/auto_graph:", "optimise"),
}
# The evidence dashboards (docs/dashboards.md) and participatory budgeting pages.
EVIDENCE_TITLES: dict[str, tuple[str, str, str]] = {
    "executive_overview": ("Executive overview", ":material/insights:", "executive"),
    "gap_analysis": ("Gap analysis", ":material/troubleshoot:", "gaps"),
    "policy_matrix": ("Policy–budget matrix", ":material/grid_on:", "policy-budget"),
    "needs_summary": ("Community needs summary", ":material/travel_explore:", "needs-summary"),
    "focal_registry": ("MOA focal persons", ":material/contacts:", "focal-persons"),
    "pb_vote": ("Vote", ":material/how_to_vote:", "vote"),
    "pb_results": ("PB results", ":material/leaderboard:", "pb-results"),
    "pb_cycles": ("PB cycles", ":material/event_note:", "pb-cycles"),
}
SECTIONS: dict[str, tuple[str, ...]] = {
    "Overview": ("home", "executive_overview", "public_needs"),
    "Evidence": ("gap_analysis", "policy_matrix", "needs_summary", "focal_registry"),
    "Participatory budgeting": ("pb_vote", "pb_results", "pb_cycles"),
    "Budget": ("ppa_register", "ppa_workflow"),
    "Scenarios": ("scenarios", "scenario_builder", "scenario_compare", "optimiser"),
    "Administration": ("users", "audit_log"),
}
OTHER_SECTION = "More"


def page_for(key: str, *, default: bool = False) -> Page:
    """The st.Page of a page key."""
    words = key.replace("_", " ")
    fallback = (words.capitalize(), ":material/article:", "go-" + words.replace(" ", "-"))
    title, icon, url = (TITLES.get(key) or SCENARIO_TITLES.get(key) or EVIDENCE_TITLES.get(key)
                        or fallback)
    return st.Page(f"pages/{key}.py", title=title, icon=icon, url_path=url, default=default)


def menu(role: Role | None) -> dict[str, list[Page]]:
    """Sections of the pages `role` may open; anonymous visitors also get the sign-in page."""
    keys = [k for k in pages_for(role) if (APP_DIR / "pages" / f"{k}.py").is_file()]
    landing = LANDING.get(role) if role is not None else None
    home = landing if landing in keys else "home" if "home" in keys else next(iter(keys), None)
    sections: dict[str, list[Page]] = {}
    placed: set[str] = set()
    for section, members in [*SECTIONS.items(), (OTHER_SECTION, tuple(keys))]:
        chosen = [k for k in members if k in keys and k not in placed]
        if chosen:
            sections[section] = [page_for(k, default=k == home) for k in chosen]
            placed.update(chosen)
    if role is None:
        sign_in = st.Page(
            "pages/sign_in.py", title="Sign in", icon=":material/login:", url_path="login"
        )
        sections.setdefault("Account", []).append(sign_in)
    return sections
