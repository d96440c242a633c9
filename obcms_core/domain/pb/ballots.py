"""Ballot checks per format, with messages a voter can act on, in English or Filipino."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import format_php
from obcms_core.domain.pb.election import Ballot, Election, Number, VoteType, exact
from obcms_core.i18n import text


class Problem(str):
    """One broken ballot rule: its English text, and the catalogue key and values (check.*)
    that word it in any language."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Problem:
        problem = super().__new__(cls, text(key, "en", **values))
        problem.key, problem.values = key, values
        return problem


def _counted(key: str, n: int, **values: object) -> Problem:
    return Problem(f"{key}.{'one' if n == 1 else 'many'}", n=n, **values)


class InvalidBallot(ValidationFailed):
    """A ballot that breaks the cycle's ballot rules; the message lists every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class BallotRules:
    """What a valid ballot looks like in one PB cycle."""

    vote_type: VoteType = VoteType.APPROVAL
    min_count: int = 0  # fewest projects a ballot must mark
    max_count: int | None = None  # most projects a ballot may mark
    envelope: Number | None = None  # knapsack: the chosen projects must fit in this amount
    min_share: Fraction = Fraction(0)  # knapsack: ... and use at least this share of it
    points: int | None = None  # cumulative: points each voter distributes
    spend_all_points: bool = False  # cumulative: must use every point
    max_points_per_project: int | None = None
    min_score: int = 1  # scoring
    max_score: int = 5


def ballot_problems(rules: BallotRules, election: Election, ballot: Ballot) -> list[Problem]:
    """Every rule the ballot breaks, in words (an empty list means the ballot is valid)."""
    problems: list[Problem] = []
    known = set(election.project_ids)
    unknown = [p for p in ballot.projects if p not in known]
    if unknown:
        problems.append(Problem("check.unknown_projects", codes=", ".join(unknown)))
    if len(set(ballot.projects)) != len(ballot.projects):
        problems.append(Problem("check.marked_twice"))
    count = len(ballot.projects)
    if rules.vote_type is VoteType.CHOOSE_ONE and count != 1:
        problems.append(Problem("check.choose_one", n=count))
    elif count < rules.min_count:
        problems.append(_counted("check.too_few", rules.min_count, chosen=count))
    if rules.max_count is not None and count > rules.max_count:
        problems.append(_counted("check.too_many", rules.max_count, chosen=count))
    if rules.envelope is not None and not unknown:
        problems += _knapsack(rules, election, ballot)
    if rules.vote_type is VoteType.CUMULATIVE:
        problems += _cumulative(rules, ballot)
    if rules.vote_type is VoteType.SCORING:
        problems += _scores(rules, ballot)
    return problems


def _knapsack(rules: BallotRules, election: Election, ballot: Ballot) -> list[Problem]:
    assert rules.envelope is not None
    spent = election.total_cost(set(ballot.projects))
    envelope = exact(rules.envelope)
    if spent > envelope:
        over = _php(spent - envelope)
        return [
            Problem("check.over_envelope", spent=_php(spent), over=over, envelope=_php(envelope))
        ]
    floor = envelope * rules.min_share
    if spent < floor:
        share = f"{float(rules.min_share):.0%}"
        return [Problem("check.below_floor", spent=_php(spent), floor=_php(floor), share=share)]
    return []


def _php(value: Fraction) -> str:
    return format_php(Decimal(value.numerator) / Decimal(value.denominator))


def _cumulative(rules: BallotRules, ballot: Ballot) -> list[Problem]:
    points = ballot.points or ()
    problems = []
    if len(points) != len(ballot.projects):
        return [Problem("check.points_each")]
    if any(p != int(p) or p <= 0 for p in points):
        problems.append(Problem("check.whole_points"))
    total = sum(points)
    if rules.points is not None:
        if total > rules.points:
            problems.append(Problem("check.too_many_points", points=rules.points, total=total))
        elif rules.spend_all_points and total != rules.points:
            problems.append(Problem("check.spend_all", points=rules.points, total=total))
    cap = rules.max_points_per_project
    if cap is not None and any(p > cap for p in points):
        problems.append(_counted("check.points_cap", cap))
    return problems


def _scores(rules: BallotRules, ballot: Ballot) -> list[Problem]:
    scores = ballot.points or ()
    if len(scores) != len(ballot.projects):
        return [Problem("check.score_each")]
    bad = [
        p
        for p, s in zip(ballot.projects, scores, strict=True)
        if s != int(s) or not rules.min_score <= s <= rules.max_score
    ]
    if bad:
        low, high, codes = rules.min_score, rules.max_score, ", ".join(bad)
        return [Problem("check.score_range", low=low, high=high, codes=codes)]
    return []


def check_ballot(rules: BallotRules, election: Election, ballot: Ballot) -> None:
    """Refuse a ballot that breaks the cycle's rules, naming every problem."""
    problems = ballot_problems(rules, election, ballot)
    if problems:
        raise InvalidBallot(problems)


def rules_from_meta(election: Election) -> BallotRules:
    """The ballot rules a pabulib file declares in META (min/max length, cost, points)."""
    meta = dict(election.meta)

    def whole(key: str) -> int | None:
        raw = meta.get(key)
        return int(Decimal(raw)) if raw not in (None, "", "None") else None

    max_cost = meta.get("max_sum_cost")
    envelope = Decimal(max_cost) if max_cost not in (None, "", "None") else None
    vote_type = election.vote_type
    scoring = vote_type is VoteType.SCORING
    return BallotRules(
        vote_type=vote_type,
        min_count=whole("min_length") or 0,
        max_count=whole("max_length"),
        envelope=envelope,
        points=whole("max_sum_points"),
        max_points_per_project=whole("max_points") if vote_type is VoteType.CUMULATIVE else None,
        min_score=(whole("min_points") or 1) if scoring else 1,
        max_score=(whole("max_points") or 5) if scoring else 5,
    )
