"""Panels of the PB cycles page: the cycle list, one cycle in words with its actions (open or
close voting now, download .pb, delete), opening and changing a cycle, importing a .pb file and
the milestone e-mails. Every write is one unit of work; the caches are cleared after it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import pandas as pd
import streamlit as st

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import DomainError, NotFound
from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import Phase
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    CycleChanges,
    CycleSummary,
    CycleView,
    create_cycle,
    delete_cycle,
    import_pb,
    outbox_rows,
    projects_from_needs,
    send_pending,
    set_projects,
    update_cycle,
)
from obcms_core.ui_support import manila_time
from workbench import pb_cycle_forms as forms
from workbench import pb_queries as pq
from workbench import pb_views as v
from workbench import widgets

T = TypeVar("T")
PAGE = "cycles"
PICK = "pbc_cycle"  # the cycle looked at, shared by the tabs that show one cycle
PHASES = {Phase.UPCOMING: "Not open yet", Phase.OPEN: "Voting open", Phase.CLOSED: "Closed"}


def write(db: Database, work: Callable[[UnitOfWork], T], said: Callable[[T], str]) -> None:
    """Run one change in its own unit of work; a refusal is shown, a success said after a rerun."""
    try:
        with db.uow() as uow:
            result = work(uow)
            uow.commit()
    except DomainError as exc:
        st.error(str(exc), icon=":material/block:")
        return
    pq.after_write()
    v.flash(PAGE, "success", said(result))
    st.rerun()


def when(moment: datetime) -> str:
    return f"{forms.local(moment):%d %b %Y, %H:%M} PHT"


def cycle_table(summaries: Sequence[CycleSummary]) -> None:
    frame = pd.DataFrame([
        {"name": c.name + (" (demo)" if c.is_demo else ""), "fiscal_year": c.fiscal_year,
         "phase": PHASES[c.phase],
         "window": f"{forms.local(c.opens_at):%d %b %Y} – {forms.local(c.closes_at):%d %b %Y}",
         "format": forms.FORMATS[c.ballot_format].split(":")[0],
         "rule": forms.RULE_SHORT[c.counting_rule], "envelope": float(c.envelope),
         "projects": c.projects, "ballots": c.ballots}
        for c in summaries
    ])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "name": st.column_config.TextColumn("Cycle", width="medium"), "fiscal_year": "FY",
        "phase": "Phase", "window": "Voting window", "format": "Ballot", "rule": "Counting rule",
        "envelope": widgets.money("Envelope"), "projects": widgets.count("Projects"),
        "ballots": widgets.count("Ballots"),
    })


def chosen(url: str, summaries: Sequence[CycleSummary]) -> CycleView:
    """The cycle picked (the same on every tab); a cycle deleted meanwhile is said so."""
    cycle_id = pick(summaries)
    try:
        return pq.cycle(url, cycle_id)
    except NotFound:
        pq.after_write()
        st.warning("That cycle was deleted a moment ago. Reload the page.")
        st.stop()
        raise  # pragma: no cover  (st.stop() does not return)


def pick(summaries: Sequence[CycleSummary]) -> int:
    """The cycle to look at or change (the same choice on every tab)."""
    names = {c.id: f"{c.name} (FY {c.fiscal_year}, {PHASES[c.phase].lower()})" for c in summaries}
    if st.session_state.get(PICK) not in names:
        st.session_state.pop(PICK, None)
    chosen = st.selectbox("Cycle", list(names), format_func=names.__getitem__, key=PICK)
    return int(chosen if chosen is not None else summaries[0].id)


def ballot_words(cycle: CycleView) -> str:
    spec = cycle.ballot
    words = [forms.FORMATS[spec.format]]
    if spec.max_choices is not None:
        words.append(f"{spec.min_choices}–{spec.max_choices} projects")
    elif spec.min_choices:
        words.append(f"at least {spec.min_choices} project" + ("s" if spec.min_choices > 1
                                                                else ""))
    if spec.min_envelope_share:
        words.append(f"spend at least {float(spec.min_envelope_share):.0%} of the envelope")
    if spec.points:
        words.append(f"{spec.points} points" + (f", at most {spec.max_points_per_project} per "
                                                 "project" if spec.max_points_per_project else "")
                     + (", all to be spent" if spec.spend_all_points else ""))
    if spec.format.value == "scoring":
        words.append(f"scores {spec.min_score}–{spec.max_score}")
    return "; ".join(words)


def details(db: Database, url: str, cycle: CycleView, actor: Actor) -> None:
    """The cycle's settings in words, its projects, and what may be done with it now."""
    english = v.translator("en")
    weights = ", ".join(f"{k} × {w}" for k, w in cycle.stakeholder_weights.items()) or "none"
    st.markdown("\n".join([
        f"- **Voting:** {when(cycle.opens_at)} to {when(cycle.closes_at)} "
        f"({PHASES[cycle.phase].lower()}; {cycle.ballots:,} ballots)",
        f"- **Envelope:** {format_php(cycle.envelope)}",
        f"- **Ballot:** {ballot_words(cycle)}",
        f"- **Counting rule:** {forms.RULES[cycle.counting_rule]}; ties go to "
        f"{forms.TIES[cycle.tie_break].lower()}",
        f"- **Stakeholder weights:** {weights}",
        f"- **Milestone e-mails at:** {', '.join(f'{m:,}' for m in cycle.milestones) or 'none'}"
        f" ballots, to {', '.join(cycle.notify_emails) or cycle.created_by + ' (who opened it)'}",
        f"- **Opened by:** {cycle.created_by}"
        + (" from a pabulib file" if cycle.source == "pabulib" else "")
        + (" (demo data)" if cycle.is_demo else ""),
    ]))
    forms.frozen_note(cycle)
    st.dataframe(pd.DataFrame([
        {"code": p.code, "title": p.title, "cost": float(p.cost), "place": v.place(p, english)}
        for p in cycle.projects
    ], columns=["code", "title", "cost", "place"]), hide_index=True, width="stretch",
        column_config={"code": "Code", "title": st.column_config.TextColumn("Project",
                                                                            width="large"),
                       "cost": widgets.money("Cost"), "place": "Place"})
    actions(db, url, cycle, actor)


def actions(db: Database, url: str, cycle: CycleView, actor: Actor) -> None:
    now = datetime.now(UTC)
    if cycle.phase is Phase.UPCOMING and st.button("Open voting now", key="pbc_open_now",
                                                   icon=":material/play_arrow:"):
        write(db, lambda uow: update_cycle(uow, actor, cycle.id, CycleChanges(opens_at=now)),
              lambda _: f"Voting in '{cycle.name}' is open from now.")
    if cycle.phase is Phase.OPEN and st.button("Close voting now", key="pbc_close_now",
                                               icon=":material/stop:"):
        write(db, lambda uow: update_cycle(uow, actor, cycle.id, CycleChanges(closes_at=now)),
              lambda _: f"Voting in '{cycle.name}' is closed; its results are final.")
    st.download_button("Download .pb", data=lambda: pq.export_file(url, cycle.id),
                       file_name=f"obcms-pb-{cycle.fiscal_year}-{cycle.id}.pb",
                       mime="text/plain", key="pbc_download", on_click="ignore",
                       icon=":material/download:")
    if cycle.ballots:
        st.caption("A cycle with ballots is kept for the record; it cannot be deleted.")
        return
    sure = st.checkbox(f"Yes, delete '{cycle.name}' and its projects", key="pbc_delete_sure")
    if st.button("Delete this cycle", key="pbc_delete", disabled=not sure,
                 icon=":material/delete:"):
        write(db, lambda uow: delete_cycle(uow, actor, cycle.id),
              lambda _: f"Deleted '{cycle.name}'.")


def create(db: Database, url: str, actor: Actor) -> None:
    """Open a new cycle with its settings and the needs that become its projects."""
    settings = forms.settings_inputs("pbc_new", None)
    st.markdown("**Eligible projects**")
    needs = forms.need_picker(url, "pbc_new")
    if not st.button("Open the cycle", key="pbc_create", type="primary",
                     icon=":material/add:"):
        return
    if settings.problem:
        st.error(settings.problem)
        return

    def work(uow: UnitOfWork) -> int:
        return create_cycle(uow, actor, settings.spec(), projects_from_needs(uow, needs))

    def said(new_id: int) -> str:
        st.session_state[PICK] = new_id  # the Cycle tab shows the new one
        return (f"Opened '{settings.name.strip()}' with {len(needs)} projects. Voters see it on "
                "the Vote page from the day voting opens.")

    write(db, work, said)


def change(db: Database, url: str, cycle: CycleView, actor: Actor) -> None:
    """Change a cycle's settings; the frozen ones are refused with the reason."""
    forms.frozen_note(cycle)
    prefix = f"pbc_edit_{cycle.id}"
    settings = forms.settings_inputs(prefix, cycle)
    if st.button("Save the changes", key=f"{prefix}_save", type="primary",
                 icon=":material/save:"):
        if settings.problem:
            st.error(settings.problem)
        else:
            changes = settings.changes(cycle)
            write(db, lambda uow: update_cycle(uow, actor, cycle.id, changes),
                  lambda done: f"Changed {', '.join(d.replace('_', ' ') for d in done)}."
                  if done else "Nothing was changed.")
    st.markdown("**Eligible projects**")
    if cycle.frozen:
        st.caption(f"{forms.LOCK}Frozen since voting opened: the {len(cycle.projects)} projects "
                   "on the ballot stay as they are (see the Cycle tab).")
        return
    needs = forms.need_picker(url, prefix, cycle)
    if st.button("Replace the eligible projects", key=f"{prefix}_projects",
                 icon=":material/playlist_add_check:"):
        write(db, lambda uow: set_projects(uow, actor, cycle.id, projects_from_needs(uow, needs)),
              lambda n: f"'{cycle.name}' now has {n} eligible projects.")


def import_file(db: Database, actor: Actor) -> None:
    """Store a pabulib .pb election as a closed cycle, and say what was stored."""
    st.caption("A .pb file (pabulib format) becomes a closed cycle with its projects and "
               "ballots, ready to be counted on the PB results page.")
    upload = st.file_uploader("Pabulib file", type=["pb"], key="pbc_upload")
    name = st.text_input("Name (blank: the file's description)", key="pbc_import_name",
                         max_chars=120)
    year = int(st.number_input("Fiscal year (0: from the file's dates)", min_value=0,
                               max_value=2100, step=1, key="pbc_import_fy"))
    if not st.button("Import", key="pbc_import", type="primary", disabled=upload is None,
                     icon=":material/upload_file:") or upload is None:
        return
    try:
        text = upload.getvalue().decode("utf-8")
    except UnicodeDecodeError:
        st.error("The file is not UTF-8 text. Save it as UTF-8 and upload it again.")
        return
    with st.spinner("Importing the election…"):
        write(db, lambda uow: import_pb(uow, actor, text, name=name.strip() or None,
                                        fiscal_year=year or None),
              lambda r: f"Imported '{r.name}' (FY {r.fiscal_year}): {r.projects:,} projects and "
              f"{r.ballots:,} ballots in {r.seconds:.1f} s, as a closed cycle.")


def emails(db: Database, role: Role | None) -> None:
    """The queued and sent milestone e-mails; an administrator sends the pending ones."""
    rows = outbox_rows(db)
    if not rows:
        widgets.empty_state("No milestone e-mail has been queued yet. One is queued when a "
                            "cycle's ballot count reaches one of its milestones.")
    else:
        frame = pd.DataFrame([
            {"subject": r.subject, "to": ", ".join(r.recipients), "status": r.status.value,
             "attempts": r.attempts, "queued": r.created_at, "sent": r.sent_at,
             "error": r.last_error}
            for r in rows
        ])
        frame["queued"] = manila_time(frame["queued"])
        frame["sent"] = manila_time(frame["sent"])
        st.dataframe(frame, hide_index=True, width="stretch", column_config={
            "subject": st.column_config.TextColumn("Subject", width="large"), "to": "To",
            "status": "Status", "attempts": widgets.count("Attempts"),
            "queued": st.column_config.DatetimeColumn("Queued (PHT)", format="YYYY-MM-DD HH:mm"),
            "sent": st.column_config.DatetimeColumn("Sent (PHT)", format="YYYY-MM-DD HH:mm"),
            "error": "Last error",
        })
    if role is not Role.ADMIN:
        st.caption("An administrator sends the pending e-mails from here; a scheduled "
                   "`python -m obcms_core pb notify` job does the same.")
        return
    if st.button("Send pending milestone e-mails", key="pbc_send", icon=":material/send:"):
        with st.spinner("Sending…"):
            report = send_pending(db)
        kind = "warning" if report.failed or report.note else "success"
        v.flash(PAGE, kind, f"Sent {report.sent}, failed {report.failed}. {report.note}".strip())
        st.rerun()
