"""The PPA approval workflow as an explicit state machine: who may move a PPA where."""

from __future__ import annotations

from collections.abc import Mapping

from obcms_core.domain.enums import ApprovalStatus as S
from obcms_core.domain.enums import Role as R
from obcms_core.domain.errors import IllegalTransition, TransitionNotPermitted

# (from, to) -> roles that may make the move. Admins may make any allowed move.
TRANSITIONS: Mapping[tuple[S, S], frozenset[R]] = {
    (S.DRAFT, S.TECHNICAL_REVIEW): frozenset({R.MOA_FOCAL, R.PLANNER}),
    (S.TECHNICAL_REVIEW, S.BUDGET_REVIEW): frozenset({R.PLANNER, R.BUDGET_OFFICER}),
    (S.TECHNICAL_REVIEW, S.DRAFT): frozenset({R.PLANNER, R.BUDGET_OFFICER}),
    (S.TECHNICAL_REVIEW, S.REJECTED): frozenset({R.PLANNER, R.BUDGET_OFFICER}),
    (S.BUDGET_REVIEW, S.STAKEHOLDER_CONSULTATION): frozenset({R.BUDGET_OFFICER}),
    (S.BUDGET_REVIEW, S.TECHNICAL_REVIEW): frozenset({R.BUDGET_OFFICER}),
    (S.BUDGET_REVIEW, S.REJECTED): frozenset({R.BUDGET_OFFICER}),
    (S.STAKEHOLDER_CONSULTATION, S.EXECUTIVE_APPROVAL): frozenset({R.PLANNER, R.BUDGET_OFFICER}),
    (S.STAKEHOLDER_CONSULTATION, S.BUDGET_REVIEW): frozenset({R.PLANNER, R.BUDGET_OFFICER}),
    (S.EXECUTIVE_APPROVAL, S.APPROVED): frozenset({R.EXECUTIVE}),
    (S.EXECUTIVE_APPROVAL, S.BUDGET_REVIEW): frozenset({R.EXECUTIVE}),
    (S.EXECUTIVE_APPROVAL, S.REJECTED): frozenset({R.EXECUTIVE}),
    (S.APPROVED, S.ENACTED): frozenset({R.BUDGET_OFFICER}),
    (S.REJECTED, S.DRAFT): frozenset({R.MOA_FOCAL, R.PLANNER}),
}


def allowed_next(current: S | str) -> list[S]:
    """The statuses a PPA in `current` may move to, in workflow order."""
    status = S(current)
    return [to for (frm, to) in TRANSITIONS if frm == status]


def check_transition(current: S | str, target: S | str, role: R | str) -> None:
    """Raise unless `role` may move a PPA from `current` to `target`."""
    frm, to, who = S(current), S(target), R(role)
    roles = TRANSITIONS.get((frm, to))
    if roles is None:
        options = ", ".join(s.label for s in allowed_next(frm)) or "none"
        raise IllegalTransition(
            f"A PPA in '{frm.label}' cannot move to '{to.label}'. Allowed next steps: {options}."
        )
    if who is not R.ADMIN and who not in roles:
        names = ", ".join(sorted(r.label for r in roles))
        raise TransitionNotPermitted(
            f"Moving a PPA from '{frm.label}' to '{to.label}' is for: {names}."
        )
