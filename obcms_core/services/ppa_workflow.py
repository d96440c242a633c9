"""Moving a PPA through the approval workflow, with its history and the audit log."""

from __future__ import annotations

from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PPA, PPAStatusChange
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ApprovalStatus, ChangeSource, Role
from obcms_core.domain.errors import IllegalTransition, NotFound, TransitionNotPermitted
from obcms_core.domain.workflow import allowed_next, check_transition
from obcms_core.services import audit


def transition_ppa(
    uow: UnitOfWork,
    ppa_id: int,
    target: ApprovalStatus | str,
    actor: Actor,
    *,
    note: str | None = None,
    source: ChangeSource = ChangeSource.UI,
    expected_from: ApprovalStatus | str | None = None,
) -> ApprovalStatus:
    """Move a PPA to `target` if the workflow and the actor's role allow it.

    With `expected_from`, the move is refused when someone else moved the PPA in the meantime.
    """
    ppa = uow.session.get(PPA, ppa_id, with_for_update=True)
    if ppa is None:
        raise NotFound(f"There is no PPA with id {ppa_id}.")
    current = ApprovalStatus(ppa.approval_status)
    if expected_from is not None and current != ApprovalStatus(expected_from):
        raise IllegalTransition(
            f"{ppa.code} is now '{current.label}': someone moved it while you were "
            "looking. Check its history, then choose the next step again."
        )
    check_transition(current, target, actor.role)
    if (
        actor.role is Role.MOA_FOCAL
        and ppa.implementing_org_id is not None
        and ppa.implementing_org_id != actor.organization_id
    ):
        raise TransitionNotPermitted("A MOA focal person may only move their own MOA's PPAs.")
    new = ApprovalStatus(target)
    ppa.approval_status = new
    uow.session.add(
        PPAStatusChange(
            ppa_id=ppa.id, from_status=current, to_status=new, changed_by=actor.username, note=note
        )
    )
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="transition",
        entity="ppa",
        entity_id=ppa.id,
        before={"approval_status": current.value},
        after={"approval_status": new.value, "note": note},
    )
    return new


def next_steps(uow: UnitOfWork, ppa_id: int) -> list[ApprovalStatus]:
    """The statuses the PPA may move to next."""
    status = uow.session.scalar(select(PPA.approval_status).where(PPA.id == ppa_id))
    if status is None:
        raise NotFound(f"There is no PPA with id {ppa_id}.")
    return allowed_next(status)
