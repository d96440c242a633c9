"""Small hand-made elections for the counting-rule tests."""

from __future__ import annotations

from obcms_core.domain.pb.election import Ballot, Election, Number, Project, VoteType


def approval(budget: Number, costs: dict[str, Number], *ballots: str) -> Election:
    """An approval election; each ballot is a comma-separated list of project ids ('' = none)."""
    projects = tuple(Project(pid, cost) for pid, cost in costs.items())
    votes = tuple(
        Ballot(str(i), tuple(p for p in text.split(",") if p)) for i, text in enumerate(ballots)
    )
    return Election(budget, VoteType.APPROVAL, projects, votes)
