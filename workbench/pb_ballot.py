"""The ballot on the vote page: an input on each project card, checks as the voter marks, and
submitting through the ballot service (which has the last word on every rule).

The checks here only say, in the voter's language, what the cycle's ballot settings ask for;
when they find nothing but the counting domain does, its own words are shown instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import streamlit as st

from obcms_core.domain.errors import DomainError
from obcms_core.domain.money import format_php
from obcms_core.domain.pb import Ballot, Election, InvalidBallot, Project, ballot_problems
from obcms_core.domain.pb.ballots import Problem
from obcms_core.domain.pb.cycle import BallotFormat
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    BallotChoice,
    CycleView,
    StoredBallot,
    VotingClosed,
    submit_ballot,
    voter_key_for_user,
)
from obcms_core.services.pb.ballots import MAX_COMMENT
from obcms_core.services.pb.common import number
from obcms_core.services.users import UserInfo
from workbench import pb_queries as pq
from workbench import pb_views as v

F = BallotFormat
TICKED = (F.APPROVAL, F.KNAPSACK, F.CHOOSE_ONE)  # one checkbox per project


@dataclass(frozen=True)
class Draft:
    """What the voter has marked so far."""

    codes: tuple[str, ...]
    points: tuple[int, ...] | None = None
    stakeholder_type: str | None = None
    comment: str | None = None


def key(kind: str, cycle_id: int, code: str = "") -> str:
    """The widget key of one ballot input (stable, so a rerun keeps what was marked)."""
    return f"pbv_{kind}_{cycle_id}_{code}" if code else f"pbv_{kind}_{cycle_id}"


def prefill(cycle: CycleView, stored: StoredBallot | None) -> None:
    """Start from the voter's stored ballot, for inputs not yet on the screen."""
    if stored is None:
        return
    marks = dict(zip(stored.projects, stored.points or [None] * len(stored.projects),
                     strict=True))
    state = st.session_state
    fmt = cycle.ballot.format
    for p in cycle.projects:
        if fmt in TICKED:
            state.setdefault(key("pick", cycle.id, p.code), p.code in marks)
        elif fmt is F.CUMULATIVE:
            state.setdefault(key("pts", cycle.id, p.code), int(marks.get(p.code) or 0))
        elif fmt is F.SCORING:
            state.setdefault(key("score", cycle.id, p.code), marks.get(p.code))
    if fmt is F.ORDINAL:
        state.setdefault(key("rank", cycle.id), list(stored.projects))
    state.setdefault(key("comment", cycle.id), stored.comment or "")
    if cycle.stakeholder_weights:
        state.setdefault(key("type", cycle.id), stored.stakeholder_type)


def _score_label(t: v.Tr) -> Callable[[int | None], str]:
    return lambda s: t("ballot.no_score") if s is None else str(s)


def inputs(cycle: CycleView, t: v.Tr) -> Draft:
    """A card per project with its input; returns what is marked."""
    spec, fmt = cycle.ballot, cycle.ballot.format
    codes: list[str] = []
    points: list[int] = []
    for p in cycle.projects:
        card = v.project_head(p, t)
        if fmt in TICKED:
            if card.checkbox(t("ballot.pick"), key=key("pick", cycle.id, p.code)):
                codes.append(p.code)
        elif fmt is F.CUMULATIVE:
            most = spec.max_points_per_project or spec.points or None
            given = card.number_input(t("ballot.points_for"), min_value=0, max_value=most,
                                      step=1, key=key("pts", cycle.id, p.code))
            if given:
                codes.append(p.code)
                points.append(int(given))
        elif fmt is F.SCORING:
            scores: list[int | None] = [None, *range(spec.min_score, spec.max_score + 1)]
            score = card.selectbox(t("ballot.score_for"), scores, format_func=_score_label(t),
                                   key=key("score", cycle.id, p.code))
            if score is not None:
                codes.append(p.code)
                points.append(int(score))
        v.describe(card, p)
    if fmt is F.ORDINAL:
        titles = {p.code: p.title for p in cycle.projects}
        codes = list(st.multiselect(t("ballot.ranking"), list(titles), key=key("rank", cycle.id),
                                    format_func=titles.__getitem__))
    return Draft(tuple(codes), tuple(points) if fmt.vote_type.has_points else None)


def extras(cycle: CycleView, draft: Draft, t: v.Tr) -> Draft:
    """The stakeholder type (when the cycle lists types) and an optional comment."""
    kind = None
    if cycle.stakeholder_weights:
        kinds = sorted(cycle.stakeholder_weights)
        kind = st.selectbox(t("ballot.stakeholder"), [None, *kinds], key=key("type", cycle.id),
                            format_func=lambda k: t("ballot.stakeholder_none") if k is None
                            else str(k).capitalize(), help=t("ballot.stakeholder_help"))
    comment = st.text_area(t("ballot.comment"), key=key("comment", cycle.id),
                           max_chars=MAX_COMMENT, placeholder=t("ballot.comment_hint"))
    return Draft(draft.codes, draft.points, kind, comment.strip() or None)


def chosen_cost(cycle: CycleView, draft: Draft) -> Decimal:
    cost = {p.code: p.cost for p in cycle.projects}
    return sum((cost[c] for c in draft.codes if c in cost), Decimal(0))


def problems(cycle: CycleView, draft: Draft, t: v.Tr) -> list[str]:
    """What stops the draft from being a valid ballot (the counting rules' own check), in the
    voter's language."""
    envelope = number(cycle.envelope)
    election = Election(envelope, cycle.ballot.format.vote_type,
                        tuple(Project(p.code, number(p.cost)) for p in cycle.projects), ())
    ballot = Ballot("draft", draft.codes, draft.points)
    return _worded(ballot_problems(cycle.ballot.rules(envelope), election, ballot), t)


def _worded(found: list[Problem], t: v.Tr) -> list[str]:
    """Broken ballot rules in the page's language."""
    return [t(p.key, **p.values) for p in found]


def status(cycle: CycleView, draft: Draft, t: v.Tr) -> None:
    """The running figure of the ballot: budget used, points left, or projects marked."""
    spec = cycle.ballot
    if spec.format is F.KNAPSACK:
        spent, envelope = chosen_cost(cycle, draft), cycle.envelope
        st.progress(min(float(spent / envelope), 1.0) if envelope else 0.0,
                    text=t("ballot.budget_bar", spent=format_php(spent),
                           envelope=format_php(envelope)))
        if spent <= envelope:
            st.markdown(t("ballot.budget_left", left=format_php(envelope - spent)))
        else:
            st.markdown(t("ballot.budget_over", over=format_php(spent - envelope)))
    elif spec.format is F.CUMULATIVE and spec.points:
        used = sum(draft.points or ())
        st.progress(min(used / spec.points, 1.0),
                    text=t("ballot.points_bar", used=used, points=spec.points))
        st.markdown(t("ballot.points_left", left=spec.points - used))
    else:
        st.markdown(t("ballot.marked", n=len(draft.codes)))


def submit(db: Database, cycle: CycleView, user: UserInfo, draft: Draft, t: v.Tr) -> None:
    """Store the ballot (replacing the voter's earlier one) or say why it was refused."""
    found = problems(cycle, draft, t)
    if found:
        st.error(t("ballot.not_stored") + "\n\n" + "\n".join(f"- {p}" for p in found))
        return
    try:
        with db.uow() as uow:
            receipt = submit_ballot(
                uow, cycle.id, voter_key_for_user(user.id),
                BallotChoice(draft.codes, draft.points, draft.comment, draft.stakeholder_type),
                user_id=user.id, username=user.username,
            )
            uow.commit()
    except VotingClosed:
        pq.after_write()  # the window has moved on: show the page as it now is
        st.error(t("ballot.window_passed"))
    except InvalidBallot as exc:
        found = _worded(exc.problems, t)
        st.error(t("ballot.not_stored") + "\n\n" + "\n".join(f"- {p}" for p in found))
    except DomainError as exc:
        st.error(str(exc))
    else:
        pq.after_write()
        done = "ballot.changed" if receipt.replaced else "ballot.stored"
        v.flash("vote", "success", t(done, number=receipt.submission))
        st.rerun()


@st.fragment
def ballot(db: Database, url: str, cycle: CycleView, user: UserInfo, t: v.Tr) -> None:
    """The voter's ballot for an open cycle; marking a project reruns only this part."""
    stored = pq.my_ballot(url, cycle.id, voter_key_for_user(user.id))
    prefill(cycle, stored)
    st.subheader(t("ballot.title"))
    if stored is not None:
        st.caption(t("ballot.have_one", submitted=v.when(stored.submitted_at, t),
                     closes=v.when(cycle.closes_at, t)))
    st.caption(v.ballot_rules(cycle, t))
    top = st.container()
    draft = extras(cycle, inputs(cycle, t), t)
    with top:
        status(cycle, draft, t)
    status(cycle, draft, t)
    found = problems(cycle, draft, t)
    for problem in found:
        st.warning(problem, icon=":material/error:")
    if st.button(t("vote.submit"), key=key("submit", cycle.id), type="primary",
                 width="stretch", icon=":material/how_to_vote:"):
        submit(db, cycle, user, draft, t)

