"""Public participatory-budgeting routes: cycles and their projects, the live tally, results.

No token is needed: what is on a ballot, and how a closed cycle was counted, is public.
Results are counted only for closed cycles (409 before that), so a running count cannot
be read as a forecast of the funded list; while voting is open the live tally (votes per
project, at most 10 seconds old) is available instead.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from slowapi import Limiter
from slowapi.util import get_remote_address

from obcms_core.api.deps import UowDep
from obcms_core.api.pb_schemas import CycleOut, ResultOut, TallyOut
from obcms_core.api.routers.pb_common import (
    NOT_CLOSED,
    READS_PER_CLIENT,
    RESULTS_PER_CLIENT,
    CycleId,
    SharedPathRoute,
    refusals,
    share_paths,
)
from obcms_core.domain.pb.cycle import CountingRule, Phase
from obcms_core.services.pb import CycleView, count_cycle, get_cycle, get_cycles, live_tally

PhaseFilter = Annotated[
    Literal["open", "upcoming", "closed", "all"],
    Query(description="Which cycles: voting open now (default), upcoming, closed, or all."),
]
FiscalYear = Annotated[int | None, Query(ge=2000, le=2100, description="Only this year's.")]
RuleChoice = Annotated[
    CountingRule | None, Query(description="The counting rule (default: the cycle's own).")
]


def read_cycles(
    request: Request, uow: UowDep, phase: PhaseFilter = "open", fiscal_year: FiscalYear = None
) -> list[CycleOut]:
    """Cycles with their projects in ballot order, newest fiscal year first."""
    wanted = None if phase == "all" else Phase(phase)
    cycles = get_cycles(uow, phase=wanted, fiscal_year=fiscal_year, now=datetime.now(UTC))
    return [CycleOut.model_validate(c) for c in cycles]


def read_cycle(request: Request, cycle_id: CycleId, uow: UowDep) -> CycleOut:
    """One cycle: its window, ballot rules, projects and the number of ballots so far."""
    return CycleOut.model_validate(get_cycle(uow, cycle_id))


def read_tally(request: Request, cycle_id: CycleId, uow: UowDep) -> TallyOut:
    """Votes (and points) per project so far, most first; refreshed at most every 10 s."""
    return TallyOut.model_validate(live_tally(uow, cycle_id))


def _not_closed(cycle: CycleView) -> str:
    closes = f"{cycle.closes_at:%d %b %Y, %H:%M} UTC"
    if cycle.phase is Phase.UPCOMING:
        return (
            f"Voting in '{cycle.name}' opens on {cycle.opens_at:%d %b %Y, %H:%M} UTC and closes"
            f" on {closes}; results are counted once it closes."
        )
    return (
        f"Voting in '{cycle.name}' is open until {closes}; results are counted once it closes"
        f" (the live tally is at /pb/cycles/{cycle.id}/tally)."
    )


def read_results(
    request: Request, cycle_id: CycleId, uow: UowDep, rule: RuleChoice = None
) -> ResultOut:
    """The funded projects under a counting rule, with fairness, regional and group shares."""
    cycle = get_cycle(uow, cycle_id)
    if cycle.phase is not Phase.CLOSED:
        raise HTTPException(status_code=409, detail=_not_closed(cycle))
    return ResultOut.model_validate(count_cycle(uow, cycle_id, rule))


def build_router(limiter: Limiter) -> APIRouter:
    """The public /pb routes, counted per client address by this app's limiter."""
    reads = limiter.limit(
        READS_PER_CLIENT, key_func=get_remote_address,
        error_message="Too many requests from your address.",
    )
    results = limiter.limit(
        RESULTS_PER_CLIENT, key_func=get_remote_address,
        error_message="Too many results requests from your address.",
    )
    router = APIRouter(
        prefix="/pb", tags=["participatory budgeting"], route_class=SharedPathRoute
    )
    router.add_api_route(
        "/cycles", reads(read_cycles), methods=["GET"], response_model=list[CycleOut],
        summary="Cycles and their projects (open for voting, unless `phase` says otherwise)",
        responses=refusals(429, 503),
    )
    router.add_api_route(
        "/cycles/{cycle_id}", reads(read_cycle), methods=["GET"], response_model=CycleOut,
        summary="One cycle with its ballot rules and projects",
        responses=refusals(404, 429, 503),
    )
    router.add_api_route(
        "/cycles/{cycle_id}/tally", reads(read_tally), methods=["GET"], response_model=TallyOut,
        summary="The live tally: votes per project so far",
        responses=refusals(404, 429, 503),
    )
    router.add_api_route(
        "/cycles/{cycle_id}/results", results(read_results), methods=["GET"],
        response_model=ResultOut,
        summary="The result of a closed cycle under a counting rule",
        responses=refusals(404, 429, 503, c409=NOT_CLOSED),
    )
    return share_paths(router)
