"""Changing a cycle: anything that changes the count is frozen once voting opens.

A refused change is still written to the audit log, in a transaction of its own, so the attempt
is on record although the change itself is not made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PBBallot, PBCycle
from obcms_core.adapters.orm.pb import new_settings_version
from obcms_core.domain.access import Actor
from obcms_core.domain.clock import as_utc, utcnow
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import to_money
from obcms_core.domain.pb.cycle import (
    BallotSpec,
    CountingRule,
    CycleFrozen,
    TieBreak,
    check_unfrozen,
    check_weights,
)
from obcms_core.domain.pb.milestones import check_milestones
from obcms_core.services import audit
from obcms_core.services.pb.common import (
    ballot_spec,
    cycle_row,
    require_editor,
    stakeholder_weights,
)
from obcms_core.services.pb.cycles import (
    ballot_columns,
    check_ballot_spec,
    check_emails,
    check_envelope,
    check_name,
    check_window,
    name_taken,
)
from obcms_core.services.pb.projects import ProjectSpec, project_specs, replace_projects


@dataclass(frozen=True)
class CycleChanges:
    """The settings a planner changes; None leaves a setting as it is."""

    name: str | None = None
    description: str | None = None
    envelope: Decimal | int | str | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    ballot: BallotSpec | None = None
    counting_rule: CountingRule | None = None
    tie_break: TieBreak | None = None
    stakeholder_weights: Mapping[str, object] | None = None
    milestones: Sequence[int] | None = None
    notify_emails: Sequence[str] | None = None


def _new_values(cycle: PBCycle, ch: CycleChanges) -> dict[str, Any]:
    """Each setting that really changes, with its checked new value."""
    new: dict[str, Any] = {}
    if ch.name is not None and check_name(ch.name) != cycle.name:
        new["name"] = check_name(ch.name)
    if ch.description is not None and ch.description.strip() != cycle.description:
        new["description"] = ch.description.strip()
    if ch.envelope is not None and check_envelope(ch.envelope) != cycle.envelope:
        new["envelope"] = check_envelope(ch.envelope)
    opens = as_utc(ch.opens_at) if ch.opens_at is not None else as_utc(cycle.opens_at)
    closes = as_utc(ch.closes_at) if ch.closes_at is not None else as_utc(cycle.closes_at)
    if opens != as_utc(cycle.opens_at):
        new["opens_at"] = opens
    if closes != as_utc(cycle.closes_at):
        new["closes_at"] = closes
    if ch.ballot is not None and ch.ballot != ballot_spec(cycle):
        new["ballot"] = check_ballot_spec(ch.ballot)
    if ch.counting_rule is not None and CountingRule(ch.counting_rule) != cycle.counting_rule:
        new["counting_rule"] = CountingRule(ch.counting_rule)
    if ch.tie_break is not None and TieBreak(ch.tie_break) != cycle.tie_break:
        new["tie_break"] = TieBreak(ch.tie_break)
    if ch.stakeholder_weights is not None:
        weights = check_weights(ch.stakeholder_weights)
        if weights != stakeholder_weights(cycle):
            new["stakeholder_weights"] = weights
    if ch.milestones is not None and check_milestones(ch.milestones) != cycle.milestones:
        new["milestones"] = check_milestones(ch.milestones)
    if ch.notify_emails is not None and check_emails(ch.notify_emails) != cycle.notify_emails:
        new["notify_emails"] = check_emails(ch.notify_emails)
    return new


def record_refusal(
    uow: UnitOfWork, actor: Actor, cycle: PBCycle, attempted: dict[str, Any], reason: str,
    source: ChangeSource,
) -> None:
    """Write the refused attempt to the audit log in its own transaction (it stays logged)."""
    bind = uow.session.get_bind()
    with UnitOfWork(lambda: Session(bind)) as own:
        audit.record(
            own, username=actor.username, source=source, action="change_refused",
            entity="pb_cycle", entity_id=cycle.id, before={"name": cycle.name},
            after={**{k: _plain(v) for k, v in attempted.items()}, "refused": reason},
        )
        own.commit()


def _plain(value: object) -> object:
    if isinstance(value, BallotSpec):
        return f"{value.format.value} ({value.min_choices}–{value.max_choices or 'any'})"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _guard(
    uow: UnitOfWork, actor: Actor, cycle: PBCycle, new: dict[str, Any], now: datetime | None,
    source: ChangeSource,
) -> None:
    try:
        moment = as_utc(now or utcnow())
        check_unfrozen(cycle.name, as_utc(cycle.opens_at), as_utc(cycle.closes_at), moment, new)
    except CycleFrozen as exc:
        record_refusal(uow, actor, cycle, new, str(exc), source)
        raise


def update_cycle(
    uow: UnitOfWork, actor: Actor, cycle_id: int, changes: CycleChanges, *,
    now: datetime | None = None, source: ChangeSource = ChangeSource.UI,
) -> list[str]:
    """Change a cycle's settings; the count's settings are refused once voting has opened.

    Returns the names of the settings changed (the caller commits). A refusal raises
    CycleFrozen (a ValidationFailed) and is audited even though nothing changes.
    """
    require_editor(actor, "change participatory budgeting cycles")
    cycle = cycle_row(uow.session, cycle_id, lock=True)
    new = _new_values(cycle, changes)
    if not new:
        return []
    _guard(uow, actor, cycle, new, now, source)
    if "opens_at" in new or "closes_at" in new:
        check_window(new.get("opens_at", cycle.opens_at), new.get("closes_at", cycle.closes_at))
    if "name" in new:
        name_taken(uow, cycle.fiscal_year, new["name"], other_than=cycle.id)
    before = {k: _plain(_current(cycle, k)) for k in new}
    for key, value in new.items():
        if key == "ballot":
            for column, v in ballot_columns(value).items():
                setattr(cycle, column, v)
        elif key == "stakeholder_weights":
            cycle.stakeholder_weights = {k: str(v) for k, v in value.items()}
        else:
            setattr(cycle, key, value)
    uow.session.flush()
    audit.record(
        uow, username=actor.username, source=source, action="update", entity="pb_cycle",
        entity_id=cycle.id, before=before, after={k: _plain(v) for k, v in new.items()},
    )
    return sorted(new)


def _current(cycle: PBCycle, key: str) -> object:
    if key == "ballot":
        return ballot_spec(cycle)
    if key == "stakeholder_weights":
        return stakeholder_weights(cycle)
    return getattr(cycle, key)


def set_projects(
    uow: UnitOfWork, actor: Actor, cycle_id: int, projects: Sequence[ProjectSpec], *,
    now: datetime | None = None, source: ChangeSource = ChangeSource.UI,
) -> int:
    """Replace the cycle's eligible projects (refused once voting has opened); returns the count."""
    require_editor(actor, "change participatory budgeting cycles")
    cycle = cycle_row(uow.session, cycle_id, lock=True)
    current = project_specs(uow.session, cycle_id)
    if [_key(p) for p in projects] == [_key(p) for p in current]:
        return len(current)
    attempted = {"projects": ", ".join(p.code for p in projects)}
    _guard(uow, actor, cycle, attempted, now, source)
    count = replace_projects(uow.session, cycle_id, projects)
    cycle.settings_version = new_settings_version()  # ballot checks read the cycle afresh
    audit.record(
        uow, username=actor.username, source=source, action="set_projects", entity="pb_cycle",
        entity_id=cycle_id, before={"projects": ", ".join(p.code for p in current)},
        after=attempted,
    )
    return count


def _key(p: ProjectSpec) -> tuple[object, ...]:
    return (p.code.strip(), p.title.strip(), to_money(p.cost), p.need_id, p.community_id,
            p.municipality_id, p.description.strip(), (p.category or "").strip() or None)


def delete_cycle(
    uow: UnitOfWork, actor: Actor, cycle_id: int, *, source: ChangeSource = ChangeSource.UI
) -> None:
    """Remove a cycle that has no ballots yet (a cycle with ballots is kept for the record)."""
    require_editor(actor, "delete participatory budgeting cycles")
    cycle = cycle_row(uow.session, cycle_id, lock=True)
    if uow.session.scalar(select(PBBallot.id).where(PBBallot.cycle_id == cycle_id).limit(1)):
        raise ValidationFailed(
            f"'{cycle.name}' has ballots, so it is kept for the record and cannot be deleted."
        )
    audit.record(
        uow, username=actor.username, source=source, action="delete", entity="pb_cycle",
        entity_id=cycle_id, before={"name": cycle.name, "fiscal_year": cycle.fiscal_year},
    )
    uow.session.execute(delete(PBCycle).where(PBCycle.id == cycle_id))
