"""Opening PB cycles: the envelope, the voting window, the ballot, the rule and the projects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import PBCycle
from obcms_core.domain.access import Actor
from obcms_core.domain.clock import as_utc
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import to_money
from obcms_core.domain.pb.cycle import BallotSpec, CountingRule, TieBreak, check_weights
from obcms_core.domain.pb.milestones import DEFAULT_MILESTONES, check_milestones
from obcms_core.services import audit
from obcms_core.services.pb.common import require_editor
from obcms_core.services.pb.projects import ProjectSpec, add_projects


@dataclass(frozen=True)
class CycleSpec:
    """What a planner sets when opening a cycle."""

    name: str
    fiscal_year: int
    envelope: Decimal | int | str
    opens_at: datetime
    closes_at: datetime
    ballot: BallotSpec = field(default_factory=BallotSpec)
    counting_rule: CountingRule = CountingRule.MES
    tie_break: TieBreak = TieBreak.PROJECT_ID
    stakeholder_weights: Mapping[str, object] = field(default_factory=dict)
    milestones: Sequence[int] = DEFAULT_MILESTONES
    notify_emails: Sequence[str] = ()
    description: str = ""


def check_name(name: str) -> str:
    """A cycle name of 1–120 characters, trimmed."""
    name = name.strip()
    if not 0 < len(name) <= 120:
        raise ValidationFailed("A cycle needs a name of 1–120 characters.")
    return name


def check_envelope(value: object) -> Decimal:
    """The envelope in pesos, above zero."""
    try:
        envelope = to_money(value)
    except ValueError:
        envelope = Decimal(-1)
    if envelope <= 0:
        raise ValidationFailed(
            f"The envelope must be an amount in pesos above zero, not {value!r}."
        )
    return envelope


def check_window(opens_at: datetime, closes_at: datetime) -> tuple[datetime, datetime]:
    """The voting window with time zones; it must close after it opens."""
    opens, closes = as_utc(opens_at), as_utc(closes_at)
    if closes <= opens:
        raise ValidationFailed("Voting must close after it opens.")
    return opens, closes


def check_emails(emails: Sequence[str]) -> list[str]:
    """Notification addresses, trimmed; each must look like an e-mail address."""
    out = [e.strip() for e in emails if e.strip()]
    bad = [e for e in out if "@" not in e or len(e) > 255 or " " in e]
    if bad:
        raise ValidationFailed(f"'{bad[0]}' is not an e-mail address.")
    return out


def check_ballot_spec(spec: BallotSpec) -> BallotSpec:
    """Refuse ballot limits that make no sense, naming each problem."""
    problems = spec.problems()
    if problems:
        raise ValidationFailed("The ballot settings need attention: " + "; ".join(problems) + ".")
    return spec


def ballot_columns(spec: BallotSpec) -> dict[str, Any]:
    """The cycle columns that hold a ballot spec."""
    return {
        "ballot_format": spec.format,
        "min_choices": spec.min_choices,
        "max_choices": spec.max_choices,
        "min_envelope_share": spec.min_envelope_share,
        "points": spec.points,
        "max_points_per_project": spec.max_points_per_project,
        "spend_all_points": spec.spend_all_points,
        "min_score": spec.min_score,
        "max_score": spec.max_score,
    }


def name_taken(uow: UnitOfWork, fiscal_year: int, name: str, other_than: int | None = None) -> None:
    """Refuse a second cycle of the same name in one fiscal year."""
    query = select(PBCycle.id).where(PBCycle.fiscal_year == fiscal_year, PBCycle.name == name)
    if other_than is not None:
        query = query.where(PBCycle.id != other_than)
    if uow.session.scalar(query) is not None:
        raise ValidationFailed(
            f"FY{fiscal_year} already has a cycle named '{name}'; choose another name."
        )


def create_cycle(
    uow: UnitOfWork,
    actor: Actor,
    spec: CycleSpec,
    projects: Sequence[ProjectSpec] = (),
    *,
    source: ChangeSource = ChangeSource.UI,
    is_demo: bool = False,
) -> int:
    """Open a new cycle with its eligible projects; returns its id (the caller commits)."""
    require_editor(actor, "open participatory budgeting cycles")
    name = check_name(spec.name)
    if not 2000 <= spec.fiscal_year <= 2100:
        raise ValidationFailed(f"{spec.fiscal_year} is not a fiscal year this office plans for.")
    envelope = check_envelope(spec.envelope)
    opens, closes = check_window(spec.opens_at, spec.closes_at)
    name_taken(uow, spec.fiscal_year, name)
    weights = check_weights(spec.stakeholder_weights)
    cycle = PBCycle(
        name=name,
        description=spec.description.strip(),
        fiscal_year=spec.fiscal_year,
        envelope=envelope,
        opens_at=opens,
        closes_at=closes,
        counting_rule=CountingRule(spec.counting_rule),
        tie_break=TieBreak(spec.tie_break),
        stakeholder_weights={k: str(v) for k, v in weights.items()},
        milestones=check_milestones(spec.milestones),
        notify_emails=check_emails(spec.notify_emails),
        created_by=actor.username,
        is_demo=is_demo,
        **ballot_columns(check_ballot_spec(spec.ballot)),
    )
    uow.session.add(cycle)
    uow.session.flush()
    added = add_projects(uow.session, cycle.id, projects)
    audit.record(
        uow,
        username=actor.username,
        source=source,
        action="create",
        entity="pb_cycle",
        entity_id=cycle.id,
        after={
            "name": name,
            "fiscal_year": spec.fiscal_year,
            "envelope": envelope,
            "opens_at": opens.isoformat(),
            "closes_at": closes.isoformat(),
            "ballot_format": spec.ballot.format.value,
            "counting_rule": cycle.counting_rule.value,
            "projects": added,
        },
    )
    return cycle.id
