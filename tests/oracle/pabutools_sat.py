"""Test-oracle helper: the points-weighted cost satisfaction, expressed for pabutools."""

from __future__ import annotations

from typing import Any

from pabutools.election.satisfaction import AdditiveSatisfaction


def _points_cost(instance: Any, profile: Any, ballot: Any, project: Any, pre: Any) -> Any:
    # a voter's satisfaction from a project is the project's cost times the points they gave it
    return ballot.get(project, 0) * project.cost


class PointsCostSat(AdditiveSatisfaction):
    """Cost satisfaction weighted by the points (cumulative) or score (scoring) a voter gave."""

    def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _points_cost)
