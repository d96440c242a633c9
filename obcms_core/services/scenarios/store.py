"""Creating, copying, listing and approving budget scenarios."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from sqlalchemy import func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PPA, BudgetScenario, ScenarioAllocation
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import ChangeSource, Role, ScenarioStatus
from obcms_core.domain.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from obcms_core.domain.money import to_money
from obcms_core.services import audit
from obcms_core.services.scenarios.rules import ScenarioRules

EDITORS = frozenset({Role.BUDGET_OFFICER, Role.ADMIN})
VIEWERS = frozenset({Role.BUDGET_OFFICER, Role.ADMIN, Role.PLANNER, Role.EXECUTIVE, Role.ANALYST})
S = ScenarioStatus
# (from, to) -> who may move a scenario there
STATUS_MOVES = {
    (S.DRAFT, S.UNDER_REVIEW): EDITORS,
    (S.UNDER_REVIEW, S.DRAFT): EDITORS | {Role.EXECUTIVE},
    (S.UNDER_REVIEW, S.APPROVED): frozenset({Role.EXECUTIVE, Role.ADMIN}),
    (S.DRAFT, S.ARCHIVED): EDITORS,
    (S.APPROVED, S.ARCHIVED): EDITORS,
}


def require(actor: Actor, roles: frozenset[Role], what: str) -> None:
    """Refuse unless the actor's role is one of `roles`."""
    if actor.role not in roles:
        raise PermissionDenied(f"Your role ({actor.role.label}) may not {what}.")


def get_scenario(uow: UnitOfWork, scenario_id: int) -> BudgetScenario:
    scenario = uow.session.get(BudgetScenario, scenario_id)
    if scenario is None:
        raise NotFound(f"There is no scenario with id {scenario_id}.")
    return scenario


def editable(uow: UnitOfWork, scenario_id: int, actor: Actor) -> BudgetScenario:
    """The scenario, if the actor may change it now (only drafts change)."""
    require(actor, EDITORS, "edit scenarios")
    scenario = get_scenario(uow, scenario_id)
    if scenario.status is not S.DRAFT:
        raise ValidationFailed(
            f"'{scenario.name}' is {scenario.status.label.lower()}: only drafts can be edited. "
            "Copy it to make a new draft."
        )
    return scenario


def create_scenario(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    fiscal_year: int,
    envelope: object | None = None,
    based_on: int | None = None,
    description: str = "",
    rules: ScenarioRules | None = None,
    source: ChangeSource = ChangeSource.UI,
) -> int:
    """A new draft copied from the fiscal year's baseline allocations or from another scenario."""
    require(actor, EDITORS, "create scenarios")
    name = name.strip()
    if not 0 < len(name) <= 120:
        raise ValidationFailed("A scenario needs a name of 1–120 characters.")
    taken = uow.session.scalar(
        select(BudgetScenario.id).where(
            BudgetScenario.fiscal_year == fiscal_year, BudgetScenario.name == name
        )
    )
    if taken is not None:
        raise ValidationFailed(f"FY{fiscal_year} already has a scenario named '{name}'.")
    if based_on is not None:
        parent = get_scenario(uow, based_on)
        if parent.fiscal_year != fiscal_year:
            raise ValidationFailed("A scenario can only be based on one of the same fiscal year.")
        amounts = {a.ppa_id: (a.amount, a.justification, a.locked) for a in parent.allocations}
        rules = rules or ScenarioRules.from_json(parent.rules)
        basis = "scenario"
    else:
        rows = uow.session.execute(
            select(PPA.id, func.coalesce(PPA.budget_allocation, 0)).where(
                PPA.fiscal_year == fiscal_year,
                func.coalesce(PPA.budget_ceiling, PPA.budget_allocation) > 0,
            )
        ).all()
        if not rows:
            raise ValidationFailed(f"FY{fiscal_year} has no PPAs to budget.")
        amounts = {pid: (Decimal(amount), "Baseline allocation", False) for pid, amount in rows}
        basis = "baseline"
    total = sum((a for a, _, _ in amounts.values()), Decimal(0))
    envelope_php = to_money(envelope) if envelope is not None else to_money(total)
    if envelope_php <= 0:
        raise ValidationFailed("The envelope must be above ₱0.00.")
    scenario = BudgetScenario(
        name=name,
        description=description,
        fiscal_year=fiscal_year,
        envelope=envelope_php,
        based_on_id=based_on,
        basis=basis,
        author=actor.username,
        rules=(rules or ScenarioRules()).to_json(),
        weights={},
    )
    uow.session.add(scenario)
    uow.session.flush()
    uow.session.add_all(
        ScenarioAllocation(
            scenario_id=scenario.id, ppa_id=pid, amount=a, justification=j, locked=lk
        )
        for pid, (a, j, lk) in amounts.items()
    )
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="create",
        entity="scenario",
        entity_id=scenario.id,
        after={"name": name, "basis": basis, "based_on": based_on, "envelope": envelope_php},
    )
    return scenario.id


def set_status(
    uow: UnitOfWork,
    scenario_id: int,
    target: ScenarioStatus | str,
    actor: Actor,
    source: ChangeSource = ChangeSource.UI,
) -> ScenarioStatus:
    """Move a scenario through draft → under review → approved → archived."""
    scenario = get_scenario(uow, scenario_id)
    current, new = ScenarioStatus(scenario.status), ScenarioStatus(target)
    roles = STATUS_MOVES.get((current, new))
    if roles is None:
        raise IllegalTransition(
            f"A scenario that is {current.label.lower()} cannot become {new.label.lower()}."
        )
    require(actor, roles, f"move a scenario to {new.label.lower()}")
    scenario.status = new
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="status",
        entity="scenario",
        entity_id=scenario_id,
        before={"status": current.value},
        after={"status": new.value},
    )
    return new


def update_settings(
    uow: UnitOfWork,
    scenario_id: int,
    actor: Actor,
    *,
    envelope: object | None = None,
    rules: ScenarioRules | None = None,
    source: ChangeSource = ChangeSource.UI,
) -> None:
    """Change a draft's envelope or constraint settings."""
    scenario = editable(uow, scenario_id, actor)
    before = {"envelope": scenario.envelope, "rules": scenario.rules}
    if envelope is not None:
        amount = to_money(envelope)
        if amount <= 0:
            raise ValidationFailed("The envelope must be above ₱0.00.")
        scenario.envelope = amount
    if rules is not None:
        scenario.rules = rules.to_json()
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="settings",
        entity="scenario",
        entity_id=scenario_id,
        before=before,
        after={"envelope": scenario.envelope, "rules": scenario.rules},
    )


def list_scenarios(uow: UnitOfWork, fiscal_year: int | None = None) -> pd.DataFrame:
    """Scenarios with their totals, newest first."""
    total = (
        select(
            ScenarioAllocation.scenario_id, func.sum(ScenarioAllocation.amount).label("allocated")
        )
        .group_by(ScenarioAllocation.scenario_id)
        .subquery()
    )
    q = (
        select(
            BudgetScenario.id,
            BudgetScenario.name,
            BudgetScenario.fiscal_year,
            BudgetScenario.status,
            BudgetScenario.envelope,
            total.c.allocated,
            BudgetScenario.basis,
            BudgetScenario.author,
            BudgetScenario.updated_at,
        )
        .outerjoin(total, total.c.scenario_id == BudgetScenario.id)
        .order_by(BudgetScenario.updated_at.desc(), BudgetScenario.id.desc())
    )
    if fiscal_year is not None:
        q = q.where(BudgetScenario.fiscal_year == fiscal_year)
    frame = pd.DataFrame(
        uow.session.execute(q).mappings().all(), columns=[c.name for c in q.selected_columns]
    )
    frame["status"] = frame["status"].map(lambda s: getattr(s, "label", s))
    return frame
