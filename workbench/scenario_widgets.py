"""Pieces shared by the scenario pages: the scenario picker, checks, impact, status buttons."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import FundingSource, PPASector, Role, ScenarioStatus
from obcms_core.domain.errors import DomainError, ValidationFailed
from obcms_core.domain.money import format_php, to_money
from obcms_core.services.database import Database
from obcms_core.services.scenarios.analysis import ScenarioView, headline
from obcms_core.services.scenarios.impact import Impact
from obcms_core.services.scenarios.store import EDITORS, STATUS_MOVES, set_status
from workbench import queries

FLASH = "sc_flash"  # (place, kind, message): said once, next run, where the officer acted
CURRENT = "sc_current"  # the scenario the officer works on, carried between the pages
S = ScenarioStatus
MOVE_WORDS = {
    (S.DRAFT, S.UNDER_REVIEW): "Submit for review",
    (S.UNDER_REVIEW, S.DRAFT): "Return to draft",
    (S.UNDER_REVIEW, S.APPROVED): "Approve",
    (S.DRAFT, S.ARCHIVED): "Archive",
    (S.APPROVED, S.ARCHIVED): "Archive",
}
SECTOR_WORDS = {PPASector.PEACE_SECURITY.value: "Peace and security"}
CHANGE = "%+,.2f"  # a change in pesos, signed (the header says ₱)
DIMENSIONS = {"sector": "Sector", "moa": "MOA", "region": "Region", "source": "Funding source"}


def group_label(dimension: str, value: object) -> str:
    """A sector, funding source or region as budget documents name it."""
    raw = str(getattr(value, "value", value))
    if dimension == "sector" and raw in PPASector._value2member_map_:
        return SECTOR_WORDS.get(raw, PPASector(raw).label)
    if dimension == "source" and raw in FundingSource._value2member_map_:
        return raw.upper() if len(raw) <= 4 else FundingSource(raw).label
    if dimension == "region":
        return f"Region {raw}"
    return raw


def change(label: str) -> Any:
    """A table column of peso changes: +1,234.00 or -1,234.00."""
    return st.column_config.NumberColumn(f"{label} (₱)", format=CHANGE)


def labeller(dimension: str) -> Callable[[Any], str]:
    """A format_func for choices of one dimension (None reads "Any")."""
    return lambda v: "Any" if v is None else group_label(dimension, v)


def pesos(text: str | None, what: str) -> Decimal | None:
    """A typed peso amount ("₱1,250,000.00", "1250000"); blank means none."""
    if not text or not text.strip():
        return None
    try:
        return to_money(text)
    except ValueError:
        raise ValidationFailed(
            f"{what}: “{text.strip()}” is not an amount in pesos (for example 1,250,000.00)."
        ) from None


def grid(cells: int, per_row: int = 4) -> list[Any]:
    """Columns for `cells` inputs, at most `per_row` side by side (they stack on a phone)."""
    columns: list[Any] = []
    while len(columns) < cells:
        columns += st.columns(per_row)
    return columns


def flash(message: str, kind: str = "success", place: str = "top") -> None:
    """Say what happened on the next run, where the officer acted (the page keeps its scroll)."""
    st.session_state[FLASH] = (place, kind, message)


def show_flash(place: str = "top") -> None:
    """The message of the last action taken at `place`, once."""
    item = st.session_state.get(FLASH)
    if item and item[0] == place:
        del st.session_state[FLASH]
        _place, kind, message = item
        {"success": st.success, "info": st.info}.get(kind, st.error)(message)


def attempt(db: Database, action: Callable[[UnitOfWork], str], place: str = "top") -> bool:
    """One write in its own unit of work; a refusal is shown in words, never as a traceback."""
    try:
        with db.uow() as uow:
            message = action(uow)
            uow.commit()
    except DomainError as exc:
        flash(str(exc), "error", place)
        return False
    queries.after_write()
    flash(message, place=place)
    return True


def glance(view: ScenarioView) -> None:
    """One line to keep in sight while editing: the totals, the breaches, the people served."""
    broken = len(view.violations())
    st.caption(f"{headline(view)} · "
               + (f"**{broken} constraint{'s' if broken > 1 else ''} broken**" if broken else
                  "every constraint holds")
               + f" · {view.impact().population_served:,.0f} people served")


def can_edit(role: Role | None, status: str) -> bool:
    """Budget officers and admins change drafts; every other case is read-only."""
    return role in EDITORS and status == S.DRAFT.value


def pick_scenario(url: str, key: str, fiscal_year: int | None = None) -> int | None:
    """The scenario selector; remembers the choice for the other scenario pages."""
    frame = queries.scenario_list(url, fiscal_year)
    if frame.empty:
        return None
    frame = frame.sort_values(["fiscal_year", "id"], ascending=False)
    labels = {
        int(r.id): f"{r.name} — FY {r.fiscal_year}, {str(r.status).lower()}"
        for r in frame.itertuples()
    }
    ids = list(labels)
    current = st.session_state.get(CURRENT)
    chosen = st.selectbox("Scenario", ids, index=ids.index(current) if current in ids else 0,
                          key=key, format_func=labels.__getitem__)
    st.session_state[CURRENT] = chosen
    return int(chosen)


def pick_for_comparison(cards: pd.DataFrame) -> tuple[list[int], int]:
    """A fiscal year and two to four of its scenarios (the current one first by default);
    returns the chosen ids and how many scenarios the year has."""
    current = st.session_state.get(CURRENT)
    years = sorted({int(y) for y in cards["fiscal_year"]}, reverse=True)
    mine = cards.loc[cards["id"] == current, "fiscal_year"]
    f1, f2 = st.columns([1, 3])
    fiscal_year = f1.selectbox("Fiscal year", years, key="cmp_fy",
                               index=years.index(int(mine.iloc[0])) if len(mine) else 0)
    listed = cards[cards["fiscal_year"] == fiscal_year]
    names = {int(r.id): r.name for r in listed.itertuples()}
    first = [current] if current in names else []
    chosen = f2.multiselect("Scenarios (two to four)", list(names), format_func=names.get,
                            max_selections=4, key=f"cmp_pick_{fiscal_year}",
                            default=(first + [i for i in names if i not in first])[:2])
    return [int(c) for c in chosen], len(names)


def about(card: Mapping[str, Any]) -> None:
    """Status, author, basis and description under the page title."""
    basis = (f"copy of “{card['based_on']}”" if card["based_on"] else
             "copy of a scenario" if card["basis"] == "scenario" else
             f"copy of the FY {card['fiscal_year']} baseline")
    st.caption(
        f"**{S(card['status']).label}** · FY {card['fiscal_year']} · by {card['author']} · "
        f"{basis}" + (f" · {card['description']}" if card["description"] else "")
    )


def status_buttons(db: Database, me: Actor, card: Mapping[str, Any]) -> None:
    """The status moves the signed-in role may make on this scenario, as buttons."""
    current = S(card["status"])
    moves = [(to, roles) for (frm, to), roles in STATUS_MOVES.items() if frm is current]
    mine = [to for to, roles in moves if me.role in roles]
    if not mine:
        others = [f"{MOVE_WORDS[(current, to)].lower()}: {', '.join(r.label for r in roles)}"
                  for to, roles in moves]
        if others:
            st.caption("Next steps are taken by others — " + "; ".join(others) + ".")
        return

    def move(target: ScenarioStatus) -> None:
        def action(uow: UnitOfWork) -> str:
            set_status(uow, card["id"], target, me)
            return f"“{card['name']}” is now {target.label.lower()}."

        attempt(db, action)

    for column, target in zip(st.columns(len(mine) + 2)[: len(mine)], mine, strict=True):
        column.button(MOVE_WORDS[(current, target)], key=f"sc_move_{target.value}",
                      on_click=move, args=(target,), width="stretch",
                      type="primary" if target in (S.UNDER_REVIEW, S.APPROVED) else "secondary")


def money_metrics(envelope: float, allocated: float) -> None:
    """Envelope and allocated side by side; what remains (or the breach) under the allocation."""
    left = envelope - allocated
    a, b = st.columns(2)
    a.metric("Envelope", format_php(envelope), border=True,
             help="The most this scenario may allocate in all.")
    b.metric("Allocated", format_php(allocated), border=True,
             help="All the scenario's allocations added up.",
             delta=f"{format_php(left)} left" if left >= 0 else f"-{format_php(-left)} over",
             delta_color="off" if left >= 0 else "normal",
             delta_arrow="off" if left >= 0 else "auto")


def violations(messages: list[str], *, preview: bool = False) -> None:
    """Every broken constraint in words, or that all hold."""
    what = "This preview" if preview else "This scenario"
    if not messages:
        st.success(f"{what} meets every constraint.", icon=":material/check_circle:")
        return
    count = f"{len(messages)} constraint{'s' if len(messages) > 1 else ''}"
    st.error(f"{what} breaks {count}:\n\n" + "\n".join(f"- {m}" for m in messages),
             icon=":material/error:")


# figure -> (label, help, how to show it, how to show a change)
FIGURES: dict[str, tuple[str, str, Callable[[float], str], Callable[[float], str]]] = {
    "needs_addressed": (
        "Needs addressed", "Priority-weighted: each linked need's priority score times the "
        "share of its PPA's request that is funded.", "{:,.1f}".format, "{:+,.1f}".format),
    "population_served": (
        "People served", "The affected population of the needs the funded PPAs address, in "
        "proportion to funding.", "{:,.0f}".format, "{:+,.0f}".format),
    "votes_addressed": (
        "Community votes addressed", "Participatory-budgeting votes for the needs the funded "
        "PPAs address: each linked need's vote score (1 = the most supported need of the "
        "year's cycles) times its link share, in proportion to funding. A dash (—) when "
        "neither this fiscal year's cycles nor the previous year's have votes.",
        "{:,.2f}".format, "{:+,.2f}".format),
    "communities_reached": (
        "Communities reached", "Communities with a need linked to a funded PPA.",
        "{:,.0f}".format, "{:+,.0f}".format),
    "regions_reached": (
        "Regions reached", "Regions covered by at least one funded PPA.",
        "{:,.0f}".format, "{:+,.0f}".format),
    "cost_per_beneficiary": (
        "Cost per person served", "Pesos allocated divided by people served (lower is better).",
        format_php, lambda d: ("+" if d >= 0 else "-") + format_php(abs(d))),
    "ppas_funded": ("PPAs funded", "PPAs with any allocation.", "{:,.0f}".format,
                    "{:+,.0f}".format),
}


def impact_metrics(now: Impact, before: Impact | None = None) -> None:
    """The impact figures, with the change from `before` when given."""
    cells = grid(len(FIGURES))
    for column, (key, (label, help_text, show, change)) in zip(cells, FIGURES.items(),
                                                               strict=False):
        value, old = getattr(now, key), getattr(before, key) if before else None
        delta = None
        if value is not None and old is not None and abs(value - old) > 1e-9:
            delta = change(value - old)
        column.metric(label, "—" if value is None else show(value), delta=delta, border=True,
                      help=help_text,
                      delta_color="inverse" if key == "cost_per_beneficiary" else "normal")


def impact_table(before: Mapping[str, Any], after: Mapping[str, Any]) -> pd.DataFrame:
    """Impact figures side by side (before, after, change), as text for a table."""
    rows = []
    for key, (label, _help, show, change) in FIGURES.items():
        old, new = before.get(key), after.get(key)
        rows.append({
            "figure": label,
            "before": "—" if old is None else show(old),
            "after": "—" if new is None else show(new),
            "change": "—" if old is None or new is None else change(new - old),
        })
    return pd.DataFrame(rows)
