"""A participatory-budgeting election: projects with costs, an envelope, and the voters' ballots."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from itertools import chain
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from obcms_core.domain.errors import ValidationFailed

_MARKS = attrgetter("projects")
_WEIGHT = attrgetter("weight")

Number = int | Decimal
Fields = tuple[tuple[str, str], ...]


class VoteType(StrEnum):
    """Ballot formats, named as the pabulib format names them (knapsack ballots are approval)."""

    APPROVAL = "approval"
    CHOOSE_ONE = "choose-1"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"

    @property
    def has_points(self) -> bool:
        """Cumulative and scoring ballots carry a number per project."""
        return self in (VoteType.CUMULATIVE, VoteType.SCORING)


class ElectionError(ValidationFailed, ValueError):
    """An election that cannot be counted as given (unknown project, duplicate id, ...)."""


def parse_number(text: str) -> Number:
    """A cost, envelope or point value as written: an int when whole, else an exact Decimal."""
    raw = text.strip()
    if raw.lstrip("-").isdigit():
        return int(raw)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation as exc:
        raise ElectionError(f"{text!r} is not a number") from exc
    if not value.is_finite():
        raise ElectionError(f"{text!r} is not a number")
    return value


def exact(value: Number) -> Fraction:
    """The exact rational value of an amount, for tie and boundary decisions."""
    return Fraction(value)


def _lookup(fields: Fields, key: str) -> str | None:
    for k, v in fields:
        if k == key:
            return v
    return None


@dataclass(frozen=True)
class Project:
    """A project on the ballot: its id, cost and any other published columns, kept as written."""

    id: str
    cost: Number
    fields: Fields = ()

    def field(self, key: str) -> str | None:
        """A published column of the project (name, category, votes, ...), as written."""
        return _lookup(self.fields, key)

    @property
    def name(self) -> str:
        """The project title, or its id when none was published."""
        return self.field("name") or self.id

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories the project belongs to (comma separated in the file)."""
        raw = self.field("category") or self.field("categories") or ""
        if raw.strip().lower() in ("", "none"):
            return ()
        return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot: the projects marked (ranked best first for ordinal ballots)."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Number, ...] | None = None
    weight: Number = 1
    fields: Fields = ()

    def __post_init__(self) -> None:
        if self.points is not None and len(self.points) != len(self.projects):
            raise ElectionError(f"ballot {self.voter_id}: points and projects differ in length")
        if self.weight <= 0:
            raise ElectionError(f"ballot {self.voter_id}: the voter weight must be positive")

    def field(self, key: str) -> str | None:
        """A published column of the ballot (age, sex, neighbourhood, ...), as written."""
        return _lookup(self.fields, key)

    def points_of(self, project_id: str) -> Number:
        """The points or score given to a project (0 when not on the ballot; 1 if no points)."""
        for index, pid in enumerate(self.projects):
            if pid == project_id:
                return 1 if self.points is None else self.points[index]
        return 0


@dataclass(frozen=True)
class Election:
    """A PB election: envelope, ballot format, projects and ballots (immutable)."""

    budget: Number
    vote_type: VoteType
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    meta: Fields = ()
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Every mark of every ballot as a project position, ballot after ballot, and each ballot's
    # number of marks: the counting rules count from these arrays instead of the ballot objects.
    marks: NDArray[np.intp] = field(init=False, repr=False, compare=False)
    lengths: NDArray[np.intp] = field(init=False, repr=False, compare=False)
    unweighted: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vote_type", VoteType(self.vote_type))
        if self.budget < 0:
            raise ElectionError("the envelope cannot be negative")
        for position, project in enumerate(self.projects):
            if project.id in self._index:
                raise ElectionError(f"project id {project.id!r} appears twice")
            if project.cost < 0:
                raise ElectionError(f"project {project.id!r} has a negative cost")
            self._index[project.id] = position
        lengths = np.fromiter(map(len, self.marked()), dtype=np.intp, count=len(self.ballots))
        try:
            marks = np.fromiter(
                map(self._index.__getitem__, chain.from_iterable(self.marked())),
                dtype=np.intp,
                count=int(lengths.sum()),
            )
        except KeyError:
            raise self._bad_ballot() from None
        # Every ballot marks each project at most once: the counting rules rely on it.
        if len(self.projects) and len(marks):
            ballot_of = np.repeat(np.arange(len(self.ballots), dtype=np.intp), lengths)
            keyed = np.sort(ballot_of * len(self.projects) + marks)
            if np.any(keyed[1:] == keyed[:-1]):
                raise self._bad_ballot()
        object.__setattr__(self, "marks", marks)
        object.__setattr__(self, "lengths", lengths)
        object.__setattr__(self, "unweighted", set(map(_WEIGHT, self.ballots)) <= {1})

    def _bad_ballot(self) -> ElectionError:
        """The error for the first ballot that marks an unknown project or one project twice."""
        for ballot in self.ballots:
            marks = ballot.projects
            if len(set(marks)) != len(marks):
                twice = next(pid for pid in marks if marks.count(pid) > 1)
                return ElectionError(f"ballot {ballot.voter_id}: project {twice!r} is marked twice")
            if unknown := [pid for pid in marks if pid not in self._index]:
                return ElectionError(f"ballot {ballot.voter_id}: unknown project {unknown[0]!r}")
        raise AssertionError("no ballot is at fault")  # pragma: no cover

    def meta_value(self, key: str) -> str | None:
        """A META entry of the election, as written."""
        return _lookup(self.meta, key)

    @property
    def project_ids(self) -> tuple[str, ...]:
        """Project ids in published order."""
        return tuple(p.id for p in self.projects)

    def project(self, project_id: str) -> Project:
        """The project with this id."""
        try:
            return self.projects[self._index[project_id]]
        except KeyError:
            raise ElectionError(f"unknown project {project_id!r}") from None

    def position(self, project_id: str) -> int:
        """The position of a project in the published order."""
        return self._index[project_id]

    def total_cost(self, project_ids: Iterable[str]) -> Fraction:
        """The exact total cost of a set of projects."""
        return sum((exact(self.project(pid).cost) for pid in project_ids), Fraction(0))

    def marked(self) -> Iterator[tuple[str, ...]]:
        """Each ballot's marked projects (each project at most once), in ballot order."""
        return map(_MARKS, self.ballots)

    @property
    def total_weight(self) -> Fraction:
        """The number of voters, counting each voter's weight."""
        if self.unweighted:
            return Fraction(len(self.ballots))
        return exact(sum((b.weight for b in self.ballots), 0))
