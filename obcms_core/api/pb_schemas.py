"""Request and response shapes of the participatory-budgeting (voting) routes.

Responses are read straight from the PB services' dataclasses (`from_attributes`); money is a
decimal string of pesos ("600000.00"), times are ISO 8601 in UTC. Every request field is
bounded; a ballot that fits the bounds can still break its cycle's rules, which the ballot
service checks (422 with one entry per problem).
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from obcms_core.domain.pb.cycle import BallotFormat, CountingRule, Phase, TieBreak
from obcms_core.services.pb.ballots import MAX_COMMENT, MAX_STAKEHOLDER_TYPE
from obcms_core.services.pb.projects import MAX_CODE

MAX_ID = 2**31 - 1
MAX_BALLOT_PROJECTS = 500  # more than any cycle's ballot lists; the cycle's own limit applies
MAX_POINTS = 1_000_000  # per project; the cycle's points and score range apply too

# Control characters have no place on a ballot (and PostgreSQL text cannot hold NUL);
# a comment may still have line breaks and tabs.
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Money = Annotated[Decimal, Field(max_digits=15, decimal_places=2)]
ProjectCode = Annotated[str, Field(min_length=1, max_length=MAX_CODE, pattern=ONE_LINE)]
Points = Annotated[int, Field(ge=0, le=MAX_POINTS)]
Share = Annotated[float, Field(ge=0)]


class Out(BaseModel):
    """A response built from a service dataclass."""

    model_config = ConfigDict(from_attributes=True)


class ProjectOut(Out):
    """A project on a cycle's ballot, with where it is."""

    id: Id
    code: str = Field(max_length=255, description="What a ballot calls the project.")
    title: str = Field(max_length=500)
    description: str
    category: str | None = Field(default=None, max_length=255)
    cost: Money
    need_id: Id | None = None
    community: str | None = Field(default=None, max_length=255)
    municipality: str | None = Field(default=None, max_length=255)
    region_code: str | None = Field(default=None, max_length=255)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class BallotRulesOut(Out):
    """What a valid ballot looks like in the cycle."""

    format: BallotFormat
    min_choices: int = Field(ge=0, le=MAX_ID, description="Fewest projects to mark.")
    max_choices: int | None = Field(default=None, ge=1, le=MAX_ID)
    min_envelope_share: Decimal = Field(
        ge=0, le=1, description="Knapsack ballots: the least share of the envelope to use."
    )
    points: int | None = Field(default=None, description="Cumulative: points to spread.")
    max_points_per_project: int | None = None
    spend_all_points: bool
    min_score: int = Field(description="Scoring ballots: the lowest score.")
    max_score: int = Field(description="Scoring ballots: the highest score.")


class CycleOut(Out):
    """A cycle, its voting window, its ballot rules and its projects in ballot order."""

    id: Id
    name: str = Field(max_length=255)
    description: str
    fiscal_year: int = Field(ge=2000, le=2100)
    envelope: Money
    opens_at: datetime
    closes_at: datetime
    phase: Phase
    ballot: BallotRulesOut
    counting_rule: CountingRule
    tie_break: TieBreak
    stakeholder_weights: dict[str, Decimal] = Field(
        description="Weight per stakeholder type; ballots of other types count 1."
    )
    ballots: int = Field(ge=0, description="Voters with a ballot so far.")
    is_demo: bool
    projects: list[ProjectOut]


class BallotIn(BaseModel):
    """A ballot: project codes (best first when ranked), with points or scores when asked for.

    The voter is the signed-in user; a body cannot name another.
    """

    model_config = ConfigDict(extra="forbid")

    projects: list[ProjectCode] = Field(max_length=MAX_BALLOT_PROJECTS, examples=[["N12", "N7"]])
    points: list[Points] | None = Field(
        default=None,
        max_length=MAX_BALLOT_PROJECTS,
        description="Cumulative and scoring ballots: one whole number per project, same order.",
    )
    comment: str | None = Field(default=None, max_length=MAX_COMMENT, pattern=TEXT)
    stakeholder_type: str | None = Field(
        default=None, max_length=MAX_STAKEHOLDER_TYPE, pattern=ONE_LINE, examples=["youth"]
    )


class BallotReceiptOut(BaseModel):
    """The stored ballot after a submission."""

    cycle_id: Id
    submission: int = Field(ge=1, description="1 for a first ballot, 2 after one replacement.")
    replaced: bool
    ballot_number: int | None = Field(
        default=None, ge=1, description="The cycle's running count, for a first ballot."
    )
    submitted_at: datetime


class MyBallotOut(Out):
    """The signed-in voter's current ballot in a cycle."""

    cycle_id: Id
    projects: list[str]
    points: list[int] | None = None
    comment: str | None = None
    stakeholder_type: str | None = Field(default=None, max_length=MAX_STAKEHOLDER_TYPE)
    submissions: int = Field(ge=1)
    first_submitted_at: datetime
    submitted_at: datetime


class BallotSnapshotOut(Out):
    """One submission, as the voter made it."""

    number: int = Field(ge=1, description="1 = the first ballot.")
    submitted_at: datetime
    projects: list[str]
    points: list[int] | None = None
    comment: str | None = None
    stakeholder_type: str | None = Field(default=None, max_length=MAX_STAKEHOLDER_TYPE)


class VotedCycleOut(Out):
    """A cycle the signed-in voter has a ballot in."""

    cycle_id: Id
    name: str = Field(max_length=255)
    fiscal_year: int = Field(ge=2000, le=2100)
    submitted_at: datetime
    submissions: int = Field(ge=1)


class TallyRowOut(Out):
    """One project's running count."""

    code: str = Field(max_length=255)
    title: str = Field(max_length=500)
    cost: Money
    votes: int = Field(ge=0)
    points: Decimal | None = None
    weighted_votes: Decimal


class TallyOut(Out):
    """Ballots so far and the projects, most votes first (at most 10 seconds old)."""

    cycle_id: Id
    ballots: int = Field(ge=0)
    rows: list[TallyRowOut]
    computed_at: datetime


class ProjectResultOut(Out):
    """One project's votes and fate under the rule."""

    code: str = Field(max_length=255)
    title: str = Field(max_length=500)
    cost: Money
    supporters: int = Field(ge=0, description="Ballots that marked it.")
    score: float = Field(description="Weighted votes (weighted points on points ballots).")
    funded: bool
    funded_order: int | None = Field(default=None, ge=1, description="1 = chosen first.")
    need_id: Id | None = None
    community_id: Id | None = None
    why_not_funded: str | None = Field(default=None, description="Equal shares only.")


class FairnessOut(Out):
    """How the result treats voters (each voter once, by their weight)."""

    voters: float = Field(ge=0)
    share_with_a_funded_project: Share
    average_satisfaction: float = Field(description="Pesos of funded projects each voter backed.")
    average_satisfaction_share: Share
    satisfaction_gini: Share


class RegionShareOut(Out):
    """A region's share of the funded money against its share of the population."""

    region_code: str | None = Field(default=None, max_length=255)
    region_name: str = Field(max_length=255)
    population: int = Field(ge=0)
    population_share: Share
    funded_cost: Money
    funding_share: Share
    ratio: float | None = None


class StakeholderShareOut(Out):
    """One stakeholder type's ballots and weight."""

    stakeholder_type: str = Field(max_length=MAX_STAKEHOLDER_TYPE)
    ballots: int = Field(ge=0)
    weight: Decimal
    ballot_share: Share
    weighted_share: Share


class ResultOut(Out):
    """The outcome of one counting rule on a closed cycle's ballots."""

    cycle_id: Id
    rule: CountingRule
    ballots: int = Field(ge=0)
    envelope: Money
    funded: list[str] = Field(description="Funded project codes, in the order chosen.")
    funded_cost: Money
    envelope_share: Share
    leftover: Money
    mes_budget_per_voter: Money | None = None
    weights_applied: bool
    gained_by_weights: list[str]
    lost_by_weights: list[str]
    projects: list[ProjectResultOut] = Field(description="Most supported first.")
    fairness: FairnessOut
    regions: list[RegionShareOut]
    stakeholders: list[StakeholderShareOut]


class Problem(BaseModel):
    """One thing wrong with the request: where (`loc`) and what (`msg`)."""

    loc: list[str | int]
    msg: str
    type: str = Field(max_length=100)


class Problems(BaseModel):
    """A malformed request, or a ballot against the cycle's rules: one entry per problem."""

    detail: list[Problem]
