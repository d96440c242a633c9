"""Casting a ballot over HTTP: the busiest route of a voting day, kept to one worker thread.

Every first ballot moves the cycle's ballot counter under that row's lock until its
transaction commits. With dozens of requests running at once in one process, the thread
holding the lock waits for the interpreter between its database round trips while the others
queue on the lock, so throughput collapses. Each submission therefore runs start to finish (token
check, ballot, commit) in a single worker thread, at most BALLOT_WRITERS at a time per
process; requests beyond that wait in the event loop without holding a thread or a database
connection, so reads are not starved of either.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

import anyio
from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session, sessionmaker

from obcms_core.adapters.db import UnitOfWork
from obcms_core.api.deps import BearerToken, get_current_user
from obcms_core.api.pb_schemas import BallotIn, BallotReceiptOut
from obcms_core.api.routers.pb_common import CycleId
from obcms_core.config import Settings
from obcms_core.domain.enums import ChangeSource
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.pb.ballots import InvalidBallot
from obcms_core.services.pb import BallotChoice, VotingClosed, submit_ballot, voter_key_for_user

BALLOT_WRITERS = 4  # concurrent ballot transactions per API process (see bench/votes.py)


def problems(messages: Sequence[str]) -> RequestValidationError:
    """A 422 whose entries are the ballot's problems (in English), in the malformed-request
    shape."""
    return RequestValidationError(
        [{"loc": ("body",), "msg": str(m), "type": "invalid_ballot"} for m in messages]
    )


def cast_ballot(
    factory: sessionmaker[Session], settings: Settings, token: str | None, cycle_id: int,
    ballot: BallotIn,
) -> BallotReceiptOut:
    """Check the token, store the ballot and commit, in one transaction (a worker thread)."""
    moment = datetime.now(UTC)
    choice = BallotChoice(ballot.projects, ballot.points, ballot.comment, ballot.stakeholder_type)
    with UnitOfWork(factory) as uow:
        voter = get_current_user(token, uow, settings)
        try:
            receipt = submit_ballot(
                uow, cycle_id, voter_key_for_user(voter.id), choice, user_id=voter.id,
                username=voter.username, now=moment, source=ChangeSource.API,
            )
        except VotingClosed as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from None
        except InvalidBallot as exc:
            raise problems(exc.problems) from None
        except ValidationFailed as exc:  # points missing, a stakeholder type the cycle lacks
            raise problems([str(exc)]) from None
        uow.commit()
    return BallotReceiptOut(
        cycle_id=cycle_id, submission=receipt.submission, replaced=receipt.replaced,
        ballot_number=receipt.ballot_number, submitted_at=moment,
    )


def ballot_writers(request: Request) -> anyio.CapacityLimiter:
    """This app's limit on concurrent ballot transactions (made on first use, in its loop)."""
    state = request.app.state
    writers: anyio.CapacityLimiter | None = getattr(state, "pb_ballot_writers", None)
    if writers is None:
        writers = state.pb_ballot_writers = anyio.CapacityLimiter(BALLOT_WRITERS)
    return writers


async def put_my_ballot(
    request: Request, cycle_id: CycleId, ballot: BallotIn, token: BearerToken
) -> BallotReceiptOut:
    """Cast the signed-in user's ballot, or replace it; earlier versions stay in the history."""
    state = request.app.state
    work = partial(cast_ballot, state.session_factory, state.settings, token, cycle_id, ballot)
    return await anyio.to_thread.run_sync(work, limiter=ballot_writers(request))
