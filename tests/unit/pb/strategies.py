"""Hypothesis strategies: small random PB elections (<= 8 projects, <= 30 voters)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from obcms_core.domain.pb.election import Ballot, Election, Number, Project, VoteType

# ids whose string order differs from their numeric order, so tie-breaking is really exercised
IDS = ["1", "10", "2", "9", "a", "B", "b3", "z"]


@st.composite
def elections(draw: st.DrawFn, vote_type: VoteType = VoteType.APPROVAL) -> Election:
    """A random election with small costs (many ties) and a budget up to the total cost."""
    n = draw(st.integers(1, 8))
    ids = draw(st.permutations(IDS))[:n]
    costs: list[Number] = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    if draw(st.booleans()):  # sometimes equal costs, to force exact ties
        costs = [costs[0]] * n
    budget: Number = draw(st.integers(1, max(1, int(sum(costs)))))
    if draw(st.integers(0, 4)) == 0:  # sometimes centavos: exact decimals, not floats
        costs = [Decimal(c) / 4 for c in costs]
        budget = Decimal(budget) / 4
    voters = draw(st.integers(1, 30))
    ballots = []
    for v in range(voters):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n))
        points = None
        if vote_type is VoteType.CUMULATIVE:
            points = tuple(draw(st.integers(1, 3)) for _ in chosen)
        ballots.append(Ballot(str(v), tuple(chosen), points))
    projects = tuple(Project(pid, cost) for pid, cost in zip(ids, costs, strict=True))
    return Election(budget, vote_type, projects, tuple(ballots))


SETTINGS = dict(derandomize=True, max_examples=200, deadline=None)
