"""Participatory budgeting services: cycles, ballots, results, the live tally, priorities,
pabulib files and milestone e-mails. Pages and API routes call these; nothing else touches
the PB tables.

Conventions: every function takes a unit of work (`db.uow()`) first and never commits; the
caller commits once per user action (`with db.uow() as uow: ...; uow.commit()`). Exceptions are
named domain errors whose message is one sentence for the user: ValidationFailed (and its
subclasses InvalidBallot, CycleFrozen, VotingClosed), NotFound, PermissionDenied. Money is
Decimal pesos; times are timezone-aware UTC datetimes; `now=` overrides the clock (tests, demo).
Writers of cycles need an Actor whose role is admin, planner or budget officer.

Cycles (cycles.py, changes.py, projects.py, queries.py)
- projects_from_needs(uow, need_ids) -> list[ProjectSpec]
    code "N<id>", the need's title, estimated cost and community. ValidationFailed: unknown
    need, or a need without an estimated cost.
- create_cycle(uow, actor, CycleSpec, projects=(), *, source=UI, is_demo=False) -> int
    CycleSpec(name, fiscal_year, envelope, opens_at, closes_at, ballot=BallotSpec(),
    counting_rule=MES, tie_break=PROJECT_ID, stakeholder_weights={}, milestones=(100, 500,
    1000), notify_emails=(), description=""); ProjectSpec(code, title, cost, need_id=None,
    community_id=None, municipality_id=None, description="", category=None) - the region comes
    from the community (or the need's community) or the town; a need, community and town given
    together must name the same place. Returns the cycle id.
    ValidationFailed for bad settings (each message names the problem); PermissionDenied.
- update_cycle(uow, actor, cycle_id, CycleChanges(...), *, now=None, source=UI) -> list[str]
    the names of the settings changed (None fields are left alone). Once voting has opened,
    changing ballot, counting_rule, tie_break, envelope, stakeholder_weights or opens_at raises
    CycleFrozen ("Voting in 'X' opened on 01 Mar 2026, so its envelope can no longer be
    changed."); after closing, closes_at is frozen too. A refusal is written to the audit log
    in its own transaction (action "change_refused") even though the caller's rolls back.
- set_projects(uow, actor, cycle_id, projects, *, now=None, source=UI) -> int
    replaces the eligible projects; CycleFrozen once voting has opened (audited likewise).
- delete_cycle(uow, actor, cycle_id, *, source=UI) -> None; ValidationFailed if it has ballots.
- get_cycle(uow, cycle_id, *, now=None) -> CycleView (settings, phase, ballot spec, weights,
    ballots, `frozen`, projects: tuple[ProjectView] with community/town/region and lat/lon).
- list_cycles(uow, *, fiscal_year=None, now=None) -> list[CycleSummary] newest first.
- get_cycles(uow, *, phase=None, fiscal_year=None, now=None) -> list[CycleView] newest first,
  with projects (two queries whatever the number of cycles).

Ballots (ballots.py, voters.py)
- voter_key_for_user(user_id) -> "user:<id>"  (the same key in every cycle)
- submit_ballot(uow, cycle_id, voter_key, BallotChoice(projects, points=None, comment=None,
    stakeholder_type=None), *, user_id=None, username=None, now=None, source=UI)
    -> BallotReceipt(ballot_id, submission, ballot_number, milestone; .replaced)
    projects are codes (best first for ranked ballots); points for cumulative and scoring.
    One ballot per voter per cycle (unique in the database), replaced by each new submission
    until voting closes; race-free (INSERT ... ON CONFLICT DO UPDATE). VotingClosed outside the
    window; InvalidBallot (.problems lists each broken rule) for a ballot against the rules;
    ValidationFailed for a stakeholder type the cycle does not list. A first ballot that brings
    the count to a milestone queues its e-mail in the same transaction.
- my_ballot(uow, cycle_id, voter_key) -> StoredBallot | None  (NotFound: no such cycle)
- ballot_history(uow, cycle_id, voter_key) -> list[BallotSnapshot]  (oldest first; NotFound: no
    such cycle)
- voted_cycles(uow, voter_key) -> list[VotedCycle]

Results (results.py, tally.py, priorities.py)
- count_cycle(uow, cycle_id, rule=None, *, explain=True) -> CycleResult
    funded codes in choice order, funded_cost, envelope_share, leftover, projects
    (ProjectResult: supporters, weighted score, funded, why_not_funded sentence for MES),
    fairness (share with a funded project, average satisfaction, Gini), regions (RegionShare:
    funding share vs 2024 population share), stakeholders (StakeholderShare), weights_applied,
    gained_by_weights / lost_by_weights, shortfalls (MES). Read-only; computed on each call
    (cache it in the page). A project nobody marked is never funded.
- compare_rules(uow, cycle_id, *, explain=True) -> dict[CountingRule, CycleResult]
- live_tally(uow, cycle_id, *, max_age=10.0) -> Tally(ballots, rows: TallyRow(code, title,
    cost, votes, points, weighted_votes), computed_at); cached 10 s per (database URL, cycle)
    in the process; clear_tally_cache() forgets.
- top_voted_needs(uow, fiscal_year, *, limit=10, now=None) -> list[NeedVotes(need_id, title,
    community, votes)] over the year's cycles whose voting has opened.
- need_vote_scores(uow, fiscal_year, *, now=None) -> dict[need_id, float in 0..1]
    (votes / ballots of the cycles offering the need, divided by the best such share).

Files and e-mail (pabulib_io.py, outbox.py)
- import_pb(uow, actor, text, *, name=None, fiscal_year=None, source=UI, now=None)
    -> ImportReport(cycle_id, name, fiscal_year, projects, ballots, seconds); a closed cycle,
    bulk-written in the caller's transaction. ValidationFailed (ElectionError) for a bad file
    or a name already used in that fiscal year.
- export_pb(uow, cycle_id) -> str  (.pb text; an imported cycle gives back its file's bytes)
- send_pending(db, smtp_url=None, *, limit=100, max_attempts=5, timeout=10.0) -> SendReport
    (sent, failed, note); uses OBCMS_SMTP_URL when smtp_url is None and does nothing without
    one. Takes the Database (not a unit of work): it commits after each message.
- outbox_rows(db, *, cycle_id=None) -> list[NotificationOutbox]
"""

from obcms_core.services.pb.ballots import (
    BallotChoice,
    BallotReceipt,
    VotingClosed,
    submit_ballot,
    voter_key_for_user,
)
from obcms_core.services.pb.changes import CycleChanges, delete_cycle, set_projects, update_cycle
from obcms_core.services.pb.cycles import CycleSpec, create_cycle
from obcms_core.services.pb.outbox import SendReport, outbox_rows, send_pending
from obcms_core.services.pb.pabulib_io import ImportReport, export_pb, import_pb
from obcms_core.services.pb.priorities import NeedVotes, need_vote_scores, top_voted_needs
from obcms_core.services.pb.projects import ProjectSpec, projects_from_needs
from obcms_core.services.pb.queries import (
    CycleSummary,
    CycleView,
    ProjectView,
    get_cycle,
    get_cycles,
    list_cycles,
)
from obcms_core.services.pb.result_parts import RegionShare, StakeholderShare
from obcms_core.services.pb.results import CycleResult, ProjectResult, compare_rules, count_cycle
from obcms_core.services.pb.tally import Tally, TallyRow, clear_tally_cache, live_tally
from obcms_core.services.pb.voters import (
    BallotSnapshot,
    StoredBallot,
    VotedCycle,
    ballot_history,
    my_ballot,
    voted_cycles,
)

__all__ = [
    "BallotChoice",
    "BallotReceipt",
    "BallotSnapshot",
    "CycleChanges",
    "CycleResult",
    "CycleSpec",
    "CycleSummary",
    "CycleView",
    "ImportReport",
    "NeedVotes",
    "ProjectResult",
    "ProjectSpec",
    "ProjectView",
    "RegionShare",
    "SendReport",
    "StakeholderShare",
    "StoredBallot",
    "Tally",
    "TallyRow",
    "VotedCycle",
    "VotingClosed",
    "ballot_history",
    "clear_tally_cache",
    "compare_rules",
    "count_cycle",
    "create_cycle",
    "delete_cycle",
    "export_pb",
    "get_cycle",
    "get_cycles",
    "import_pb",
    "list_cycles",
    "live_tally",
    "my_ballot",
    "need_vote_scores",
    "outbox_rows",
    "projects_from_needs",
    "send_pending",
    "set_projects",
    "submit_ballot",
    "top_voted_needs",
    "update_cycle",
    "voted_cycles",
    "voter_key_for_user",
]
