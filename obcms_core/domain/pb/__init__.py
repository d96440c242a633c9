"""Participatory-budgeting counting rules as pure functions over an immutable Election.

Satisfaction is cost utility throughout (pabutools' Cost_Sat): a funded project is worth its
cost to every voter who listed it. Ranked (ordinal) and cumulative ballots count as approval of
every project they list; `Utility.COST_POINTS` instead weights cumulative points or scores.
"""

from obcms_core.domain.pb.ballots import BallotRules, InvalidBallot, ballot_problems, check_ballot
from obcms_core.domain.pb.election import Ballot, Election, ElectionError, Project, VoteType
from obcms_core.domain.pb.explain import Shortfall, explain_unfunded
from obcms_core.domain.pb.fairness import FairnessReport, GroupShare, fairness, funding_by_group
from obcms_core.domain.pb.greedy import greedy
from obcms_core.domain.pb.mes import MesOutcome, equal_shares
from obcms_core.domain.pb.profile import Utility
from obcms_core.domain.pb.welfare import max_welfare

__all__ = [
    "Ballot",
    "BallotRules",
    "Election",
    "ElectionError",
    "FairnessReport",
    "GroupShare",
    "InvalidBallot",
    "MesOutcome",
    "Project",
    "Shortfall",
    "Utility",
    "VoteType",
    "ballot_problems",
    "check_ballot",
    "equal_shares",
    "explain_unfunded",
    "fairness",
    "funding_by_group",
    "greedy",
    "max_welfare",
]
