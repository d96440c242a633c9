"""Voting: the signed-in user's ballot in a cycle, its history, and the cycles they voted in.

The voter is always the user the bearer token names (`voter_key_for_user(user.id)`); a body
cannot name another voter. Any active account may vote, as on the workbench's Vote page.
Casting a ballot (pb_cast.py) refuses a ballot outside the voting window with 409 and one
against the cycle's rules with 422, one entry per problem, in the malformed-request shape.
"""

from fastapi import APIRouter, HTTPException, Request
from slowapi import Limiter

from obcms_core.api.deps import CurrentUser, UowDep
from obcms_core.api.pb_schemas import (
    BallotReceiptOut,
    BallotSnapshotOut,
    MyBallotOut,
    VotedCycleOut,
)
from obcms_core.api.routers.pb_cast import put_my_ballot
from obcms_core.api.routers.pb_common import (
    BALLOT_PER_VOTER,
    BALLOT_PROBLEMS,
    MY_READS_PER_VOTER,
    NOT_OPEN,
    UNREADABLE,
    CycleId,
    SharedPathRoute,
    refusals,
    share_paths,
    voter_limit_key,
)
from obcms_core.services.pb import (
    ballot_history,
    get_cycle,
    my_ballot,
    voted_cycles,
    voter_key_for_user,
)


def read_my_ballot(
    request: Request, cycle_id: CycleId, voter: CurrentUser, uow: UowDep
) -> MyBallotOut:
    """The signed-in user's current ballot in the cycle (404 until they vote)."""
    cycle = get_cycle(uow, cycle_id)
    stored = my_ballot(uow, cycle_id, voter_key_for_user(voter.id))
    if stored is None:
        raise HTTPException(
            status_code=404, detail=f"You have not voted in '{cycle.name}' yet."
        )
    return MyBallotOut.model_validate(stored)


def read_my_history(
    request: Request, cycle_id: CycleId, voter: CurrentUser, uow: UowDep
) -> list[BallotSnapshotOut]:
    """Every ballot the signed-in user submitted in the cycle, oldest first."""
    history = ballot_history(uow, cycle_id, voter_key_for_user(voter.id))  # 404: no cycle
    return [BallotSnapshotOut.model_validate(s) for s in history]


def read_my_cycles(request: Request, voter: CurrentUser, uow: UowDep) -> list[VotedCycleOut]:
    """The cycles the signed-in user has a ballot in, latest vote first."""
    cycles = voted_cycles(uow, voter_key_for_user(voter.id))
    return [VotedCycleOut.model_validate(c) for c in cycles]


def build_router(limiter: Limiter) -> APIRouter:
    """The voter's /pb routes, counted per voter by this app's limiter."""
    ballots = limiter.limit(
        BALLOT_PER_VOTER, key_func=voter_limit_key,
        error_message="Too many ballot submissions from your account.",
    )
    reads = limiter.limit(
        MY_READS_PER_VOTER, key_func=voter_limit_key,
        error_message="Too many requests from your account.",
    )
    router = APIRouter(
        prefix="/pb", tags=["participatory budgeting"], route_class=SharedPathRoute
    )
    router.add_api_route(
        "/cycles/{cycle_id}/my-ballot", ballots(put_my_ballot), methods=["PUT"],
        response_model=BallotReceiptOut, summary="Cast or replace my ballot",
        responses=refusals(
            401, 404, 429, 503, c400=UNREADABLE, c409=NOT_OPEN, c422=BALLOT_PROBLEMS
        ),
    )
    router.add_api_route(
        "/cycles/{cycle_id}/my-ballot", reads(read_my_ballot), methods=["GET"],
        response_model=MyBallotOut, summary="My current ballot in a cycle",
        responses=refusals(401, 404, 429, 503),
    )
    router.add_api_route(
        "/cycles/{cycle_id}/my-ballot/history", reads(read_my_history), methods=["GET"],
        response_model=list[BallotSnapshotOut], summary="Every ballot I submitted in a cycle",
        responses=refusals(401, 404, 429, 503),
    )
    router.add_api_route(
        "/my-ballots", reads(read_my_cycles), methods=["GET"],
        response_model=list[VotedCycleOut], summary="The cycles I have voted in",
        responses=refusals(401, 429, 503),
    )
    return share_paths(router)
