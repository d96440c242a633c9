"""The PPA approval workflow is an explicit state machine with role rules."""

from __future__ import annotations

import pytest

from obcms_core.domain.enums import ApprovalStatus as S
from obcms_core.domain.enums import Role as R
from obcms_core.domain.errors import IllegalTransition, TransitionNotPermitted
from obcms_core.domain.workflow import TRANSITIONS, allowed_next, check_transition

HAPPY_PATH = [
    (S.DRAFT, S.TECHNICAL_REVIEW, R.MOA_FOCAL),
    (S.TECHNICAL_REVIEW, S.BUDGET_REVIEW, R.PLANNER),
    (S.BUDGET_REVIEW, S.STAKEHOLDER_CONSULTATION, R.BUDGET_OFFICER),
    (S.STAKEHOLDER_CONSULTATION, S.EXECUTIVE_APPROVAL, R.PLANNER),
    (S.EXECUTIVE_APPROVAL, S.APPROVED, R.EXECUTIVE),
    (S.APPROVED, S.ENACTED, R.BUDGET_OFFICER),
]


@pytest.mark.parametrize(("frm", "to", "role"), HAPPY_PATH)
def test_a_ppa_moves_from_draft_to_enacted_one_step_at_a_time(frm, to, role):
    check_transition(frm, to, role)


def test_skipping_a_stage_is_an_illegal_transition_that_names_the_allowed_steps():
    with pytest.raises(IllegalTransition, match="Allowed next steps: Technical review"):
        check_transition(S.DRAFT, S.APPROVED, R.ADMIN)


def test_an_enacted_ppa_cannot_move_at_all():
    assert allowed_next(S.ENACTED) == []
    for target in S:
        with pytest.raises(IllegalTransition):
            check_transition(S.ENACTED, target, R.ADMIN)


def test_only_an_executive_may_approve():
    for role in (R.BUDGET_OFFICER, R.PLANNER, R.ANALYST, R.MOA_FOCAL, R.COMMUNITY_MEMBER):
        with pytest.raises(TransitionNotPermitted, match="Executive"):
            check_transition(S.EXECUTIVE_APPROVAL, S.APPROVED, role)


def test_an_admin_may_make_every_allowed_move_but_no_illegal_one():
    for frm, to in TRANSITIONS:
        check_transition(frm, to, R.ADMIN)
    illegal = [(a, b) for a in S for b in S if (a, b) not in TRANSITIONS]
    for frm, to in illegal:
        with pytest.raises(IllegalTransition):
            check_transition(frm, to, R.ADMIN)


def test_community_members_analysts_and_partners_never_move_a_ppa():
    for frm, to in TRANSITIONS:
        for role in (R.COMMUNITY_MEMBER, R.ANALYST, R.PARTNER):
            with pytest.raises(TransitionNotPermitted):
                check_transition(frm, to, role)


def test_a_rejected_ppa_can_be_reopened_as_a_draft():
    assert allowed_next(S.REJECTED) == [S.DRAFT]
