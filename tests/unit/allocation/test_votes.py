"""Community votes as a fifth objective: off by default, preferred when weighted, explained."""

from __future__ import annotations

import pytest

from obcms_core.domain.allocation import (
    AllocationRules,
    ObjectiveWeights,
    marginal_values,
    solve_greedy,
    solve_milp,
)
from obcms_core.domain.allocation.model import votes_addressed

from .instances import MILLION, make_problem


def twins(votes: tuple[float, ...] | None = (0.0, 0.8)):
    """Two PPAs alike in cost, needs and people; only P2 addresses needs the community voted for.

    The envelope funds one of them in full (all-or-nothing).
    """
    problem = make_problem([4 * MILLION, 4 * MILLION], needs=[3, 3], population=[500, 500],
                           votes=list(votes) if votes is not None else None)
    return problem, AllocationRules(envelope=4 * MILLION)


def test_a_problem_without_votes_gives_every_ppa_zero_votes_and_refuses_negative_ones():
    problem, _ = twins(votes=None)
    assert problem.votes.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="votes cannot be negative"):
        twins(votes=(0.5, -0.1))
    with pytest.raises(ValueError, match="one value per PPA"):
        twins(votes=(0.5, 0.1, 0.2))
    with pytest.raises(ValueError, match="zero or more"):
        ObjectiveWeights(votes=-1)


def test_the_votes_weight_is_off_by_default():
    assert ObjectiveWeights().votes == 0


@pytest.mark.parametrize("solve", [solve_milp, solve_greedy], ids=["milp", "greedy"])
def test_with_a_votes_weight_the_optimiser_funds_the_voted_ppa_over_its_unvoted_twin(solve):
    problem, rules = twins()
    result = solve(problem, rules, ObjectiveWeights(needs=1.0, votes=0.5))
    assert [float(a) for a in result.amounts] == [0.0, 4 * MILLION]
    # needs scaled by their mean (3) give each twin 1; votes by theirs (0.4) give P2 0.8/0.4 = 2,
    # of which the weight 0.5 counts: P2 scores 1 + 0.5 x 2 = 2
    assert result.objective == pytest.approx(2.0)
    assert votes_addressed(problem, result.amounts_array()) == pytest.approx(0.8)


def test_the_voted_twin_wins_even_when_it_serves_a_few_fewer_people():
    problem = make_problem([4 * MILLION, 4 * MILLION], needs=[3, 3], population=[520, 500],
                           votes=[0.0, 0.8])
    rules = AllocationRules(envelope=4 * MILLION)
    people_only = solve_milp(problem, rules, ObjectiveWeights(needs=0, population=1))
    with_votes = solve_milp(problem, rules, ObjectiveWeights(needs=0, population=1, votes=0.2))
    assert [float(a) for a in people_only.amounts] == [4 * MILLION, 0.0]
    # P1 leads by 20 people in 1,020 (0.039 after scaling by the mean of 510); P2's votes add
    # 0.2 x 2 = 0.4
    assert [float(a) for a in with_votes.amounts] == [0.0, 4 * MILLION]


def test_a_votes_weight_changes_nothing_when_no_ppa_has_votes():
    problem, rules = twins(votes=(0.0, 0.0))
    plain = solve_milp(problem, rules, ObjectiveWeights(needs=1.0))
    weighted = solve_milp(problem, rules, ObjectiveWeights(needs=1.0, votes=1.0))
    assert weighted.objective == pytest.approx(plain.objective) == pytest.approx(1.0)


def test_one_million_more_says_how_many_community_votes_it_would_reach():
    problem = make_problem([4 * MILLION, 4 * MILLION], needs=[3, 3], votes=[0.0, 0.8],
                           min_fraction=[0.25, 0.25], region=[0, 1])
    rules = AllocationRules(envelope=6 * MILLION)
    weights = ObjectiveWeights(needs=1.0, votes=0.5)
    result = solve_milp(problem, rules, weights)
    assert [float(a) for a in result.amounts] == [2 * MILLION, 4 * MILLION]
    values = {m.group: m for m in marginal_values(problem, rules, weights, result.relaxation)}
    ix = values["Region IX"]  # P1: half funded, no votes
    assert ix.via == ("P1",) and ix.votes == 0
    assert "community votes" not in ix.sentence
    voted = make_problem([4 * MILLION, 4 * MILLION], needs=[3, 3], votes=[0.8, 0.4],
                         min_fraction=[0.25, 0.25], region=[0, 1])
    result = solve_milp(voted, rules, weights)
    # P1 (votes 0.8) scores 1 + 0.5 x 0.8 / 0.6 = 1.67, P2 1 + 0.5 x 0.4 / 0.6 = 1.33: P1 is
    # funded in full, P2 gets the other ₱2 M; ₱1 M more for Region XII buys a quarter of P2:
    # 100 / 4 = 25 people, 3 / 4 = 0.75 needs, 0.4 / 4 = 0.10 votes
    assert [float(a) for a in result.amounts] == [4 * MILLION, 2 * MILLION]
    xii = {m.group: m for m in marginal_values(voted, rules, weights, result.relaxation)}[
        "Region XII"]
    assert xii.votes == pytest.approx(0.1)
    assert xii.sentence == ("₱1 M more for Region XII reaches about 25 more people, 0.75 more "
                            "priority-weighted needs and 0.10 more community votes (through P2).")
