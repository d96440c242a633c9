"""Who may see which workbench page: the one table both front ends consult."""

from __future__ import annotations

from dataclasses import dataclass

from obcms_core.domain.enums import Role

R = Role
ALL_STAFF = frozenset({R.ADMIN, R.BUDGET_OFFICER, R.PLANNER, R.ANALYST, R.EXECUTIVE, R.MOA_FOCAL})
EVERY_ROLE = frozenset(Role)
SCENARIO_VIEWERS = frozenset({R.ADMIN, R.BUDGET_OFFICER, R.PLANNER, R.EXECUTIVE, R.ANALYST})
DECISION_MAKERS = frozenset({R.ADMIN, R.BUDGET_OFFICER, R.PLANNER, R.ANALYST, R.EXECUTIVE})

# page key -> roles that may open it; None means public (anonymous visitors too).
PAGE_ACCESS: dict[str, frozenset[Role] | None] = {
    "public_needs": None,
    "home": EVERY_ROLE,
    "ppa_register": ALL_STAFF,
    "ppa_workflow": frozenset({R.ADMIN, R.BUDGET_OFFICER, R.PLANNER, R.EXECUTIVE, R.MOA_FOCAL}),
    "users": frozenset({R.ADMIN}),
    "audit_log": frozenset({R.ADMIN, R.EXECUTIVE}),
    # Scenarios: budget officers and admins edit; planners, executives and analysts look on.
    "scenarios": SCENARIO_VIEWERS,
    "scenario_builder": SCENARIO_VIEWERS,
    "scenario_compare": SCENARIO_VIEWERS,
    "optimiser": frozenset({R.ADMIN, R.BUDGET_OFFICER}),
    # Evidence dashboards (docs/dashboards.md).
    "executive_overview": frozenset({R.ADMIN, R.EXECUTIVE, R.BUDGET_OFFICER, R.PLANNER}),
    "gap_analysis": ALL_STAFF,
    "policy_matrix": DECISION_MAKERS,
    "needs_summary": ALL_STAFF,
    "focal_registry": ALL_STAFF,
    # Participatory budgeting (docs/participatory-budgeting.md): anyone browses and sees
    # results; signed-in people vote; planners, budget officers and admins run cycles.
    "pb_vote": None,
    "pb_results": None,
    "pb_cycles": frozenset({R.ADMIN, R.PLANNER, R.BUDGET_OFFICER}),
}
# The page a role lands on after signing in, when not the general home page.
LANDING: dict[Role, str] = {R.EXECUTIVE: "executive_overview"}


@dataclass(frozen=True)
class Actor:
    """The person acting, as services see them."""

    username: str
    role: Role
    organization_id: int | None = None


def can_view(role: Role | str | None, page: str) -> bool:
    """Whether a visitor with `role` (None = anonymous) may open `page`."""
    allowed = PAGE_ACCESS[page]
    if allowed is None:
        return True
    return role is not None and Role(role) in allowed


def pages_for(role: Role | str | None) -> list[str]:
    """Every page the role may open, in menu order."""
    return [page for page in PAGE_ACCESS if can_view(role, page)]
