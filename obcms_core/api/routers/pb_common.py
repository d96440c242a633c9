"""Pieces the participatory-budgeting routes share: the voter, rate limits, declared refusals."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.routing import APIRoute
from fastapi.security.utils import get_authorization_scheme_param
from slowapi.util import get_remote_address
from starlette.types import Receive, Scope, Send

from obcms_core.api.pb_schemas import MAX_ID, Problems
from obcms_core.api.schemas import ERROR_DESCRIPTIONS, ErrorBody
from obcms_core.api.security import username_from_token
from obcms_core.domain.errors import AuthenticationFailed

# A voter changes their mind a few times, not dozens of times a minute; public reads are cheap
# except results, which count every ballot on each call.
BALLOT_PER_VOTER = "20/minute"
MY_READS_PER_VOTER = "120/minute"
READS_PER_CLIENT = "300/minute"
RESULTS_PER_CLIENT = "30/minute"

CycleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The cycle's id.", examples=[1, 2])]

UNREADABLE = "The body cannot be read at all (it is not UTF-8 text)."
NOT_OPEN = "Voting in this cycle is not open: it has not opened yet, or it has closed."
NOT_CLOSED = "The cycle is still upcoming or open; results are counted once voting closes."
BALLOT_PROBLEMS = (
    "The ballot breaks the cycle's rules (one entry per problem, `loc` [\"body\"]), or the"
    " request is malformed."
)


def voter_limit_key(request: Request) -> str:
    """Limits on voting routes count per voter (the token's user), else per address."""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() == "bearer" and token:
        try:
            return f"voter:{username_from_token(token, request.app.state.settings)}"
        except AuthenticationFailed:
            pass  # refused with 401 once the route checks the token
    return get_remote_address(request)


def refusals(*codes: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: standard refusals, and others with their own wording.

    `described` is keyed "c409" and so on; 422 carries the problem list, everything else
    `{"detail": "<one sentence>"}`.
    """
    out: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[code]} for code in codes
    }
    for key, description in described.items():
        code = int(key.removeprefix("c"))
        out[code] = {"model": Problems if code == 422 else ErrorBody, "description": description}
    return out


class SharedPathRoute(APIRoute):
    """A route whose path also has routes for other methods (GET and PUT of my-ballot).

    Starlette's 405 names only the methods of the first route matching the path; this one
    names every method the path supports, as `Allow` must (see `share_paths`).
    """

    path_methods: frozenset[str] = frozenset()

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed = ", ".join(sorted(self.path_methods | self.methods))
            raise HTTPException(status_code=405, headers={"Allow": allowed})
        await super().handle(scope, receive, send)


def share_paths(router: APIRouter) -> APIRouter:
    """Tell each route of the router the methods of every route on its path."""
    methods: dict[str, set[str]] = {}
    for route in router.routes:
        if isinstance(route, APIRoute):
            methods.setdefault(route.path, set()).update(route.methods or ())
    for route in router.routes:
        if isinstance(route, SharedPathRoute):
            route.path_methods = frozenset(methods[route.path])
    return router
