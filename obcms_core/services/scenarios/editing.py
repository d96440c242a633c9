"""Editing a draft scenario: bulk adjustments, cell edits, rebalancing, and undo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PPA, PPACoverage, Region, ScenarioAllocation, ScenarioChange
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import format_php, to_money
from obcms_core.services import audit
from obcms_core.services.scenarios.store import editable


@dataclass(frozen=True)
class Selection:
    """Which PPAs a bulk change touches (all given filters must match; none = every PPA)."""

    ppa_ids: tuple[int, ...] = ()
    sector: str | None = None
    moa: str | None = None
    region: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class CellEdit:
    amount: object | None = None
    justification: str | None = None
    locked: bool | None = None


def _rows(uow: UnitOfWork, scenario_id: int, selection: Selection | None = None) -> list:  # type: ignore[type-arg]
    q = (
        select(ScenarioAllocation, PPA.code, PPA.budget_ceiling, PPA.budget_allocation)
        .join(PPA, PPA.id == ScenarioAllocation.ppa_id)
        .where(ScenarioAllocation.scenario_id == scenario_id)
        .order_by(PPA.code)
    )
    if selection is not None:
        if selection.ppa_ids:
            q = q.where(PPA.id.in_(selection.ppa_ids))
        if selection.sector:
            q = q.where(PPA.sector == selection.sector)
        if selection.source:
            q = q.where(PPA.funding_source == selection.source)
        if selection.moa:
            from obcms_core.adapters.orm import Organization

            q = q.join(Organization, Organization.id == PPA.implementing_org_id).where(
                Organization.acronym == selection.moa
            )
        if selection.region:
            covering = (
                select(PPACoverage.ppa_id)
                .join(Region, Region.id == PPACoverage.region_id)
                .where(Region.code == selection.region)
            )
            q = q.where(PPA.id.in_(covering))
    return list(uow.session.execute(q).all())


def _request(ceiling: Decimal | None, allocation: Decimal | None) -> Decimal:
    return Decimal(ceiling if ceiling is not None else allocation or 0)


def _save(
    uow: UnitOfWork,
    scenario_id: int,
    actor: Actor,
    summary: str,
    changes: list[dict[str, str | int]],
    source: ChangeSource,
) -> int:
    if not changes:
        raise ValidationFailed("Nothing changed: no unlocked allocation matched.")
    uow.session.add(
        ScenarioChange(
            scenario_id=scenario_id, summary=summary, changes=changes, changed_by=actor.username
        )
    )
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="edit",
        entity="scenario",
        entity_id=scenario_id,
        after={"summary": summary, "rows": len(changes)},
    )
    return len(changes)


def adjust(
    uow: UnitOfWork,
    scenario_id: int,
    actor: Actor,
    selection: Selection,
    *,
    percent: float | None = None,
    amount: object | None = None,
    source: ChangeSource = ChangeSource.UI,
) -> int:
    """Raise or cut the selected unlocked allocations by a percentage or a peso amount each."""
    editable(uow, scenario_id, actor)
    if (percent is None) == (amount is None):
        raise ValidationFailed("Give either a percentage or an amount, not both.")
    delta = to_money(amount) if amount is not None else None
    changes: list[dict[str, str | int]] = []
    for alloc, _code, ceiling, allocation in _rows(uow, scenario_id, selection):
        if alloc.locked:
            continue
        before = Decimal(alloc.amount)
        after = (
            to_money(before * (1 + Decimal(str(percent)) / 100))
            if delta is None
            else before + delta
        )
        after = min(max(after, Decimal(0)), _request(ceiling, allocation))
        if after != before:
            alloc.amount = after
            changes.append({"ppa_id": alloc.ppa_id, "before": str(before), "after": str(after)})
    how = f"{percent:+g} %" if percent is not None else f"{format_php(delta)} each"
    return _save(uow, scenario_id, actor, f"Adjusted {len(changes)} PPAs by {how}", changes, source)


def apply_edits(
    uow: UnitOfWork,
    scenario_id: int,
    actor: Actor,
    edits: Mapping[int, CellEdit],
    source: ChangeSource = ChangeSource.UI,
) -> int:
    """Save edited cells (amount, justification, lock) as one undoable change."""
    editable(uow, scenario_id, actor)
    rows = {
        alloc.ppa_id: (alloc, code, ceiling, allocation)
        for alloc, code, ceiling, allocation in _rows(uow, scenario_id)
    }
    problems: list[str] = []
    changes: list[dict[str, str | int]] = []
    for ppa_id, edit in edits.items():
        if ppa_id not in rows:
            problems.append(f"PPA id {ppa_id} is not in this scenario.")
            continue
        alloc, code, ceiling, allocation = rows[ppa_id]
        item: dict[str, str | int] = {"ppa_id": ppa_id, "before": str(alloc.amount)}
        if edit.amount is not None:
            try:
                new = to_money(edit.amount)
            except ValueError:
                problems.append(f"{code}: '{edit.amount}' is not an amount in pesos.")
                continue
            request = _request(ceiling, allocation)
            if new < 0 or new > request:
                problems.append(
                    f"{code}: {format_php(new)} must be between ₱0.00 "
                    f"and its request {format_php(request)}."
                )
                continue
            if alloc.locked and edit.locked is not False and new != alloc.amount:
                problems.append(f"{code} is locked: unlock it before changing its amount.")
                continue
            alloc.amount = new
        item["after"] = str(alloc.amount)
        note = edit.justification.strip()[:2000] if edit.justification is not None else None
        if note is not None and note != alloc.justification:
            item["note_before"], item["note_after"] = alloc.justification, note
            alloc.justification = note
        if item["before"] != item["after"] or "note_after" in item:
            changes.append(item)
        if edit.locked is not None:
            alloc.locked = bool(edit.locked)  # locking is not a change to undo
    if problems:
        raise ValidationFailed(" ".join(problems))
    if not changes:  # only locks changed: saved and audited, nothing to undo
        audit.record(
            uow,
            username=actor.username,
            source=source,
            action="lock",
            entity="scenario",
            entity_id=scenario_id,
        )
        return 0
    return _save(uow, scenario_id, actor, f"Edited {len(changes)} allocations", changes, source)


def rebalance_amounts(frame: pd.DataFrame, column: str, targets: Mapping[str, float]) -> pd.Series:
    """New amounts giving each group its target total: unlocked rows scale, the total stays."""
    amounts = frame["amount"].astype(float).copy()
    if abs(sum(targets.values()) - amounts.sum()) > 1.0:
        raise ValidationFailed(
            "Rebalancing keeps the total fixed: the group targets must add up to it."
        )
    for group, target in targets.items():
        rows = frame[column] == group
        free = rows & ~frame["locked"].astype(bool)
        fixed = float(amounts[rows & ~free].sum())
        current = float(amounts[free].sum())
        room = float(frame.loc[free, "request"].astype(float).sum())
        goal = min(max(target - fixed, 0.0), room)
        if current > 0:
            amounts[free] = amounts[free] * (goal / current)
        elif room > 0:
            amounts[free] = frame.loc[free, "request"].astype(float) * (goal / room)
        amounts[free] = amounts[free].clip(upper=frame.loc[free, "request"].astype(float))
    return amounts.round(2)


def undo_last(
    uow: UnitOfWork, scenario_id: int, actor: Actor, source: ChangeSource = ChangeSource.UI
) -> str:
    """Reverse the most recent change that has not been undone; returns its summary."""
    editable(uow, scenario_id, actor)
    change = uow.session.scalar(
        select(ScenarioChange)
        .where(ScenarioChange.scenario_id == scenario_id, ScenarioChange.undone.is_(False))
        .order_by(ScenarioChange.id.desc())
        .limit(1)
    )
    if change is None:
        raise ValidationFailed("There is no change to undo.")
    for item in change.changes:
        alloc = uow.session.get(ScenarioAllocation, (scenario_id, int(item["ppa_id"])))
        if alloc is not None:
            alloc.amount = Decimal(str(item["before"]))
            if "note_before" in item:
                alloc.justification = str(item["note_before"])
    change.undone = True
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="undo",
        entity="scenario",
        entity_id=scenario_id,
        after={"undone": change.summary},
    )
    return change.summary
