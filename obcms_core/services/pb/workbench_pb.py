"""A cycle made in the workbench written as a pabulib election (META built from its settings)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from obcms_core.adapters.orm import PBCycle
from obcms_core.adapters.pabulib import format_number
from obcms_core.domain.clock import as_utc
from obcms_core.domain.pb.cycle import BallotFormat, CountingRule
from obcms_core.domain.pb.election import Election, Project
from obcms_core.services.pb.common import ballot_spec, number, stakeholder_weights
from obcms_core.services.pb.store import load_election

RULE_NAMES = {
    CountingRule.GREEDY: "greedy",
    CountingRule.MES: "equalshares",
    CountingRule.MAX_WELFARE: "max_welfare",
}


def _meta(cycle: PBCycle, projects: int, ballots: int) -> tuple[tuple[str, str], ...]:
    spec = ballot_spec(cycle)
    rows: list[tuple[str, str]] = [
        ("description", cycle.name),
        ("country", "Philippines"),
        ("unit", "Office for Other Bangsamoro Communities"),
        ("instance", str(cycle.fiscal_year)),
        ("num_projects", str(projects)),
        ("num_votes", str(ballots)),
        ("budget", format_number(number(cycle.envelope))),
        ("vote_type", str(spec.format.vote_type)),
        ("rule", RULE_NAMES[cycle.counting_rule]),
        ("date_begin", f"{as_utc(cycle.opens_at):%d.%m.%Y}"),
        ("date_end", f"{as_utc(cycle.closes_at):%d.%m.%Y}"),
    ]
    if spec.min_choices:
        rows.append(("min_length", str(spec.min_choices)))
    if spec.max_choices is not None:
        rows.append(("max_length", str(spec.max_choices)))
    if spec.format is BallotFormat.KNAPSACK:
        rows.append(("max_sum_cost", format_number(number(cycle.envelope))))
    if spec.format is BallotFormat.CUMULATIVE:
        if spec.points is not None:
            rows.append(("max_sum_points", str(spec.points)))
        if spec.max_points_per_project is not None:
            rows.append(("max_points", str(spec.max_points_per_project)))
    if spec.format is BallotFormat.SCORING:
        rows += [("min_points", str(spec.min_score)), ("max_points", str(spec.max_score))]
    weights = stakeholder_weights(cycle)
    if weights:
        rows.append(("stakeholder_weights",
                     ",".join(f"{k}:{format_number(number(v))}" for k, v in weights.items())))
    rows += [("language", "en"), ("currency", "PHP")]
    return tuple(rows)


def workbench_election(session: Session, cycle: PBCycle) -> Election:
    """The cycle's projects (name, category) and ballots (numbered voters, stakeholder type)."""
    stored = load_election(session, cycle)
    with_category = any(p.category for p in stored.project_rows)
    projects = tuple(
        Project(p.id, p.cost, (("name", row.title),)
                + ((("category", row.category or "None"),) if with_category else ()))
        for p, row in zip(stored.election.projects, stored.project_rows, strict=True)
    )
    typed = any(stored.kinds)
    ballots = tuple(
        replace(b, voter_id=str(i), fields=(("stakeholder_type", kind or "None"),) if typed else ())
        for i, (b, kind) in enumerate(zip(stored.election.ballots, stored.kinds, strict=True), 1)
    )
    return Election(
        stored.election.budget, stored.election.vote_type, projects, ballots,
        _meta(cycle, len(projects), len(ballots)),
    )
