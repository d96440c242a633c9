"""The rules of a PB cycle: ballot formats, counting rules, tie-breaks, phases and what freezes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.ballots import BallotRules
from obcms_core.domain.pb.election import Number, VoteType
from obcms_core.domain.pb.profile import Utility


class BallotFormat(StrEnum):
    """How voters fill in a ballot (knapsack is approval that must fit the envelope)."""

    APPROVAL = "approval"
    KNAPSACK = "knapsack"
    CHOOSE_ONE = "choose_one"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"

    @property
    def vote_type(self) -> VoteType:
        """The counting rules' name for the format."""
        return {
            BallotFormat.APPROVAL: VoteType.APPROVAL,
            BallotFormat.KNAPSACK: VoteType.APPROVAL,
            BallotFormat.CHOOSE_ONE: VoteType.CHOOSE_ONE,
            BallotFormat.CUMULATIVE: VoteType.CUMULATIVE,
            BallotFormat.SCORING: VoteType.SCORING,
            BallotFormat.ORDINAL: VoteType.ORDINAL,
        }[self]

    @property
    def utility(self) -> Utility:
        """Points and scores weigh a project's worth to the voter; other formats count marks."""
        return Utility.COST_POINTS if self.vote_type.has_points else Utility.COST

    @classmethod
    def from_vote_type(cls, vote_type: VoteType) -> BallotFormat:
        """The format of a pabulib vote type (knapsack ballots arrive as approval)."""
        return next(f for f in cls if f.vote_type is vote_type and f is not cls.KNAPSACK)


class CountingRule(StrEnum):
    """How the stored ballots become a list of funded projects."""

    GREEDY = "greedy"  # most votes first, skipping what no longer fits
    MES = "mes"  # Method of Equal Shares (Add1), then greedy completion
    MAX_WELFARE = "max_welfare"  # the affordable set with the largest total satisfaction


class TieBreak(StrEnum):
    """Which of two equally supported projects a rule prefers."""

    PROJECT_ID = "project_id"  # the smaller project id, compared as text
    LOWEST_COST = "lowest_cost"  # the cheaper project, then the smaller id


class Phase(StrEnum):
    """Where a cycle stands on its voting window."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def phase_at(opens_at: datetime, closes_at: datetime, now: datetime) -> Phase:
    """Upcoming before the window, open from opens_at until closes_at, closed from then on."""
    if now < opens_at:
        return Phase.UPCOMING
    return Phase.OPEN if now < closes_at else Phase.CLOSED


# What a planner may not change once voting has opened: anything that changes the count.
FROZEN_FIELDS: dict[str, str] = {
    "ballot": "ballot format",
    "counting_rule": "counting rule",
    "tie_break": "tie-break",
    "envelope": "envelope",
    "projects": "eligible projects",
    "stakeholder_weights": "stakeholder weights",
    "opens_at": "opening date",
}


class CycleFrozen(ValidationFailed):
    """A change to a cycle whose voting has opened; the message is one sentence."""


def check_unfrozen(
    name: str, opens_at: datetime, closes_at: datetime, now: datetime, fields: Iterable[str]
) -> None:
    """Refuse changes to the ballot, rule, envelope or projects once voting has opened."""
    changed = set(fields)
    frozen = [FROZEN_FIELDS[f] for f in FROZEN_FIELDS if f in changed]
    if frozen and now >= opens_at:
        what = frozen[0] if len(frozen) == 1 else ", ".join(frozen[:-1]) + " and " + frozen[-1]
        raise CycleFrozen(
            f"Voting in '{name}' opened on {opens_at:%d %b %Y}, so its {what} can no longer be"
            " changed."
        )
    if "closes_at" in changed and now >= closes_at:
        raise CycleFrozen(
            f"Voting in '{name}' closed on {closes_at:%d %b %Y}, so it cannot be reopened."
        )


@dataclass(frozen=True)
class BallotSpec:
    """A cycle's ballot format and its limits, as a planner sets them."""

    format: BallotFormat = BallotFormat.APPROVAL
    min_choices: int = 0
    max_choices: int | None = None
    min_envelope_share: Decimal = Decimal(0)  # knapsack: spend at least this share
    points: int | None = None  # cumulative: points each voter spreads
    max_points_per_project: int | None = None
    spend_all_points: bool = False
    min_score: int = 1
    max_score: int = 5

    def problems(self) -> list[str]:
        """What is wrong with the limits, in words (empty when they make sense)."""
        out = []
        if self.min_choices < 0 or (self.max_choices is not None and self.max_choices < 1):
            out.append("the number of projects per ballot must be positive")
        if self.max_choices is not None and self.max_choices < self.min_choices:
            out.append("the most projects per ballot cannot be below the fewest")
        if not Decimal(0) <= self.min_envelope_share <= Decimal(1):
            out.append("the minimum share of the envelope must be between 0 and 100%")
        if self.format is BallotFormat.CUMULATIVE and (self.points is None or self.points < 1):
            out.append("a cumulative ballot needs a number of points to spread (1 or more)")
        if self.max_points_per_project is not None and self.max_points_per_project < 1:
            out.append("the most points per project must be 1 or more")
        if self.format is BallotFormat.SCORING and not 0 <= self.min_score < self.max_score:
            out.append("scores need a lowest value of 0 or more below the highest")
        return out

    def rules(self, envelope: Number) -> BallotRules:
        """The ballot checks of this format for a cycle with this envelope."""
        knapsack = self.format is BallotFormat.KNAPSACK
        return BallotRules(
            vote_type=self.format.vote_type,
            min_count=self.min_choices,
            max_count=self.max_choices,
            envelope=envelope if knapsack else None,
            min_share=Fraction(self.min_envelope_share) if knapsack else Fraction(0),
            points=self.points,
            spend_all_points=self.spend_all_points,
            max_points_per_project=self.max_points_per_project,
            min_score=self.min_score,
            max_score=self.max_score,
        )


def tie_break_order(projects: Sequence[tuple[str, Number]], rule: TieBreak) -> list[str]:
    """Project ids from most to least preferred when support is equal."""
    if rule is TieBreak.LOWEST_COST:
        return [pid for pid, _ in sorted(projects, key=lambda p: (Fraction(p[1]), p[0]))]
    return sorted(pid for pid, _ in projects)


def check_weights(weights: Mapping[str, object]) -> dict[str, Decimal]:
    """Stakeholder weights as exact positive decimals; refuses blanks, zeros and non-numbers."""
    clean: dict[str, Decimal] = {}
    for raw_name, raw_value in weights.items():
        name = str(raw_name).strip().lower()
        try:
            value = Decimal(str(raw_value))
        except InvalidOperation:
            value = Decimal(-1)
        if not name or not value.is_finite() or not Decimal(0) < value <= Decimal(100):
            raise ValidationFailed(
                f"The weight of stakeholder type '{raw_name}' must be a number above 0 and at"
                " most 100."
            )
        clean[name] = value
    return clean
