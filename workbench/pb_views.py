"""Pieces of the public participatory budgeting pages: the language switch, dates in words,
the cycle picker, the voting window, project cards, the map and the voter's ballot history.

Every text a voter reads comes from the translation catalogue (obcms_core/i18n/catalogue.toml)
in the language chosen at the top of the page; the choice is kept in the session.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd
import pydeck as pdk
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from obcms_core import i18n
from obcms_core.domain.errors import NotFound
from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, Phase
from obcms_core.services.pb import BallotSnapshot, CycleSummary, CycleView, ProjectView
from obcms_core.ui_support import MANILA
from workbench import pb_queries as pq

Tr = Callable[..., str]
LANG = "pb_lang"  # the language chosen on either public PB page, kept for the session
FLASH = "pb_flash"  # (page, kind, message): said once, on the next run of that page


def language_switch(page: str) -> str:
    """English / Filipino at the top of the page; returns the language code chosen."""
    key = f"{page}_lang"
    if key not in st.session_state:  # the widget forgets its value on another page
        st.session_state[key] = st.session_state.get(LANG, i18n.DEFAULT)
    lang = str(st.session_state[key])
    chosen = st.radio(
        i18n.text("common.language", lang), list(i18n.LANGUAGES), key=key, horizontal=True,
        format_func=i18n.LANGUAGES.__getitem__, label_visibility="collapsed",
    )
    st.session_state[LANG] = chosen
    return str(chosen)


def translator(lang: str) -> Tr:
    """text(key, **values) in the chosen language."""
    return lambda key, **values: i18n.text(key, lang, **values)


def plural(t: Tr, key: str, n: int, **values: object) -> str:
    """The text of `key.one` when n is 1, else of `key.many` (both get n)."""
    return t(f"{key}.{'one' if n == 1 else 'many'}", n=n, **values)


def when(moment: datetime, t: Tr) -> str:
    """A moment as Philippine time in words: '1 March 2026, 16:00 PHT' / 'Marso 1, 2026, ...'."""
    local = moment.astimezone(MANILA)
    return t("common.datetime", day=local.day, month=t(f"common.month_{local.month}"),
             year=local.year, time=f"{local:%H:%M}")


def phase_label(phase: Phase, t: Tr) -> str:
    return t(f"common.phase_{phase.value}")


def flash(page: str, kind: str, message: str) -> None:
    """A message to show once, on the next run of `page` (after st.rerun)."""
    st.session_state[FLASH] = (page, kind, message)


def show_flash(page: str) -> None:
    said = st.session_state.get(FLASH)
    if said and said[0] == page:
        st.session_state.pop(FLASH, None)
        {"success": st.success, "warning": st.warning}.get(said[1], st.info)(said[2])


def cycle_picker(summaries: Sequence[CycleSummary], t: Tr, key: str, lang: str) -> int:
    """The cycle to show (an open one first, else the most recent), kept in `key`."""
    by_id = {c.id: c for c in summaries}
    chosen = st.session_state.get(key)
    if chosen not in by_id:
        chosen = next((c.id for c in summaries if c.phase is Phase.OPEN), summaries[0].id)
    # One widget per language: a browser keeps showing the old label of a kept selection.
    picked = st.selectbox(
        t("common.cycle"), list(by_id), key=f"{key}_{lang}", index=list(by_id).index(chosen),
        format_func=lambda cid: t("common.cycle_choice", name=by_id[cid].name,
                                  year=by_id[cid].fiscal_year,
                                  phase=phase_label(by_id[cid].phase, t)),
    )
    st.session_state[key] = int(picked if picked is not None else chosen)
    return int(st.session_state[key])


def load_cycle(url: str, cycle_id: int, t: Tr) -> CycleView:
    """The chosen cycle; if it was deleted meanwhile, say so and start again from the list."""
    try:
        return pq.cycle(url, cycle_id)
    except NotFound:
        pq.after_write()
        st.warning(t("common.cycle_gone"))
        st.stop()
        raise  # pragma: no cover  (st.stop() does not return)


def window_message(cycle: CycleView, t: Tr) -> None:
    """Whether voting is open, and until when (or when it opens, or when it closed)."""
    if cycle.phase is Phase.OPEN:
        st.success(t("vote.window_open", closes=when(cycle.closes_at, t)),
                   icon=":material/how_to_vote:")
    elif cycle.phase is Phase.UPCOMING:
        st.info(t("vote.window_upcoming", opens=when(cycle.opens_at, t),
                  closes=when(cycle.closes_at, t)), icon=":material/schedule:")
    else:
        st.warning(t("vote.window_closed", closes=when(cycle.closes_at, t)),
                   icon=":material/lock_clock:")


def count_words(spec: BallotSpec, t: Tr) -> str:
    """How many projects a ballot may mark, in words ('' when there is no limit)."""
    low, high = spec.min_choices, spec.max_choices
    if spec.format is BallotFormat.CHOOSE_ONE:
        return t("rules.choose_one")
    if high is not None and low > 0:
        return (t("rules.between", low=low, high=high) if low != high
                else plural(t, "rules.exactly", low))
    if high is not None:
        return plural(t, "rules.at_most", high)
    return plural(t, "rules.at_least", low) if low > 0 else ""


def ballot_rules(cycle: CycleView, t: Tr) -> str:
    """How to fill in this cycle's ballot, in one or two sentences."""
    spec = cycle.ballot
    envelope = format_php(cycle.envelope)
    if spec.format is BallotFormat.KNAPSACK:
        parts = [t("rules.knapsack", envelope=envelope)]
        if spec.min_envelope_share > 0:
            parts.append(t("rules.knapsack_floor", share=f"{float(spec.min_envelope_share):.0%}"))
    elif spec.format is BallotFormat.CUMULATIVE:
        parts = [t("rules.cumulative", points=spec.points or 0)]
        if spec.max_points_per_project:
            parts.append(plural(t, "rules.cumulative_cap", spec.max_points_per_project))
        if spec.spend_all_points:
            parts.append(t("rules.cumulative_all"))
    elif spec.format is BallotFormat.SCORING:
        parts = [t("rules.scoring", low=spec.min_score, high=spec.max_score)]
    elif spec.format is BallotFormat.ORDINAL:
        parts = [t("rules.ordinal")]
    else:
        parts = [t("rules.approval")]
    count = count_words(spec, t)
    return " ".join([*parts, count] if count else parts)


def place(p: ProjectView, t: Tr) -> str:
    """Community, town (region), or that the place is not given."""
    names = [n for n in (p.community, p.municipality) if n]
    where = ", ".join(names)
    if p.region_code:
        region = t("common.region", code=p.region_code)
        where = f"{where} ({region})" if where else region
    return where or t("common.place_unknown")


def project_head(p: ProjectView, t: Tr) -> DeltaGenerator:
    """A bordered card with the project's title, cost, place and category; returns the card."""
    card = st.container(border=True)
    card.markdown(f"**{p.title}**")
    facts = [t("vote.cost_is", cost=format_php(p.cost)), place(p, t)]
    if p.category:
        facts.append(p.category)
    card.caption(" · ".join(facts))
    return card


def describe(card: DeltaGenerator, p: ProjectView) -> None:
    """The project's description, last on its card."""
    if p.description:
        card.write(p.description)


def project_card(p: ProjectView, t: Tr) -> DeltaGenerator:
    """The whole card of a project (title, cost, place, category, description)."""
    card = project_head(p, t)
    describe(card, p)
    return card


def fitted_view(lats: Sequence[float], lons: Sequence[float]) -> pdk.ViewState:
    """Centred on the projects, zoomed so that they span about 240 px (they fit a phone)."""
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.2, 0.05)
    zoom = min(10.0, max(4.0, math.log2(240 * 360 / (512 * span))))  # 512 px tiles
    return pdk.ViewState(latitude=(max(lats) + min(lats)) / 2,
                         longitude=(max(lons) + min(lons)) / 2, zoom=zoom)


def projects_map(cycle: CycleView, t: Tr) -> None:
    """The projects as dots over the province outlines (no map tiles: works offline)."""
    placed = [p for p in cycle.projects if p.latitude is not None and p.longitude is not None]
    if not placed:
        st.caption(t("vote.map_none"))
        return
    dots = pd.DataFrame({
        "title": [p.title for p in placed],
        "cost": [format_php(p.cost) for p in placed],
        "where": [place(p, t) for p in placed],
        "lat": [p.latitude for p in placed],
        "lon": [p.longitude for p in placed],
    })
    outlines = pdk.Layer("PathLayer", list(pq.province_outlines()), get_path="path",
                         get_color=[120, 140, 135], width_min_pixels=1, pickable=False)
    points = pdk.Layer("ScatterplotLayer", dots, get_position=["lon", "lat"],
                       get_fill_color=[31, 111, 92, 220], get_line_color=[255, 255, 255],
                       stroked=True, line_width_min_pixels=1, radius_min_pixels=6,
                       radius_max_pixels=14, get_radius=2500, pickable=True)
    view = fitted_view(dots["lat"].tolist(), dots["lon"].tolist())
    st.pydeck_chart(
        pdk.Deck(layers=[outlines, points], initial_view_state=view, map_style=None,
                 tooltip={"html": "<b>{title}</b><br/>{cost}<br/>{where}"}),
        height=320, key=f"pb_map_{cycle.id}",
    )
    if len(placed) < len(cycle.projects):
        st.caption(t("vote.map_some", shown=len(placed), total=len(cycle.projects)))


def marks_text(codes: Sequence[str], points: Sequence[int] | None, cycle: CycleView,
               t: Tr) -> str:
    """The projects of a ballot by title (with points or scores), in ballot order, as a
    markdown list."""
    titles = {p.code: p.title for p in cycle.projects}
    if not codes:
        return t("history.empty_ballot")
    if points is None:
        return "\n".join(f"- {titles.get(c, c)}" for c in codes)
    return "\n".join(f"- {titles.get(c, c)} ({n})"
                     for c, n in zip(codes, points, strict=False))


def history(snapshots: Sequence[BallotSnapshot], cycle: CycleView, t: Tr) -> None:
    """Every ballot the voter submitted in this cycle, newest first, with its time."""
    st.subheader(t("history.title"))
    if not snapshots:
        st.caption(t("history.none"))
        return
    st.caption(t("history.caption"))
    cost = {p.code: p.cost for p in cycle.projects}
    for s in reversed(snapshots):
        total = (t("history.cost", cost=format_php(sum((cost.get(c, 0) for c in s.projects),
                                                       start=0)))
                 if s.points is None else t("history.points", n=sum(s.points)))
        current = t("history.current") if s.number == len(snapshots) else ""
        with st.container(border=True):
            st.markdown(t("history.entry", number=s.number, submitted=when(s.submitted_at, t))
                        + (f" · **{current}**" if current else ""))
            st.markdown(marks_text(s.projects, s.points, cycle, t))
            st.caption(total)
