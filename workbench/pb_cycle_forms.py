"""The settings of a PB cycle as a planner types them: name, envelope, voting window, ballot
format and limits, counting rule, tie-break, stakeholder weights, milestones; and the needs
that become its projects. Used to open a cycle and to change one (prefilled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import streamlit as st

from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import (
    FROZEN_FIELDS,
    BallotFormat,
    BallotSpec,
    CountingRule,
    Phase,
    TieBreak,
)
from obcms_core.domain.pb.milestones import DEFAULT_MILESTONES
from obcms_core.services.pb import CycleChanges, CycleSpec, CycleView
from obcms_core.ui_support import MANILA
from workbench import pb_queries as pq
from workbench import widgets

F = BallotFormat
FORMATS = {
    F.APPROVAL: "Approval: tick any projects",
    F.KNAPSACK: "Knapsack: tick projects that fit the envelope",
    F.CUMULATIVE: "Cumulative: spread points over projects",
    F.SCORING: "Scores: rate projects (e.g. 1–5)",
    F.CHOOSE_ONE: "Choose one project",
    F.ORDINAL: "Ranking: list projects, favourite first",
}
RULES = {
    CountingRule.MES: "Method of Equal Shares (proportional)",
    CountingRule.GREEDY: "Most votes first (greedy)",
    CountingRule.MAX_WELFARE: "Greatest total satisfaction (maximum welfare)",
}
RULE_SHORT = {CountingRule.MES: "Equal shares", CountingRule.GREEDY: "Most votes first",
              CountingRule.MAX_WELFARE: "Maximum welfare"}
TIES = {TieBreak.PROJECT_ID: "The smaller project code",
        TieBreak.LOWEST_COST: "The cheaper project"}
LOCK = "🔒 "  # marks a setting frozen since voting opened


@dataclass(frozen=True)
class Settings:
    """What the planner typed, parsed (the services check every value again)."""

    name: str
    description: str
    fiscal_year: int
    envelope: str
    opens_at: datetime
    closes_at: datetime
    ballot: BallotSpec
    counting_rule: CountingRule
    tie_break: TieBreak
    stakeholder_weights: dict[str, str] = field(default_factory=dict)
    milestones: list[int] = field(default_factory=list)
    notify_emails: list[str] = field(default_factory=list)
    problem: str | None = None  # what could not be read (the rest is still shown)

    def spec(self) -> CycleSpec:
        return CycleSpec(
            name=self.name, fiscal_year=self.fiscal_year, envelope=self.envelope,
            opens_at=self.opens_at, closes_at=self.closes_at, ballot=self.ballot,
            counting_rule=self.counting_rule, tie_break=self.tie_break,
            stakeholder_weights=self.stakeholder_weights, milestones=self.milestones,
            notify_emails=self.notify_emails, description=self.description,
        )

    def changes(self, cycle: CycleView) -> CycleChanges:
        """Every setting as typed; the window only where it moved (inputs show minutes)."""
        return CycleChanges(
            name=self.name, description=self.description, envelope=self.envelope,
            opens_at=self.opens_at if self.opens_at != minute(cycle.opens_at) else None,
            closes_at=self.closes_at if self.closes_at != minute(cycle.closes_at) else None,
            ballot=self.ballot, counting_rule=self.counting_rule, tie_break=self.tie_break,
            stakeholder_weights=self.stakeholder_weights, milestones=self.milestones,
            notify_emails=self.notify_emails,
        )


def minute(moment: datetime) -> datetime:
    """A stored moment as the inputs show it: to the minute."""
    return moment.replace(second=0, microsecond=0)


def local(moment: datetime) -> datetime:
    """A stored (UTC) moment as Philippine time, which the inputs use."""
    return moment.astimezone(MANILA)


def parse_weights(text: str) -> dict[str, str]:
    """'youth: 1.25' lines as {type: weight}; the service checks the numbers."""
    weights: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind, sep, weight = line.partition(":")
        if not sep or not kind.strip() or not weight.strip():
            raise ValidationFailed(
                f"Stakeholder weights, line {number}: write 'type: weight', e.g. 'youth: 1.25'."
            )
        weights[kind.strip()] = weight.strip()
    return weights


def parse_milestones(text: str) -> list[int]:
    """'100, 500, 1000' as whole numbers of ballots (the service checks they are above 0)."""
    parts = split_list(text)
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        raise ValidationFailed(
            f"Milestones: '{bad[0]}' is not a whole number of ballots; write e.g. 100, 500, 1000."
        )
    return [int(p) for p in parts]


def split_list(text: str) -> list[str]:
    """Comma-, semicolon- or space-separated entries."""
    return [part for part in text.replace(";", ",").replace(" ", ",").split(",") if part]


def _moment(label: str, key: str, default: datetime, frozen: bool) -> datetime:
    """A date and a time (Philippine time), as one UTC moment."""
    mark = LOCK if frozen else ""
    left, right = st.columns(2)
    day = left.date_input(f"{mark}{label} (date)", value=default.date(), key=f"{key}_day",
                          format="YYYY-MM-DD")
    hour = right.time_input(f"{mark}{label} (time, PHT)", value=default.time(),
                            key=f"{key}_time", step=timedelta(minutes=1))
    return datetime.combine(day, hour, tzinfo=MANILA).astimezone(UTC)


def ballot_inputs(prefix: str, current: BallotSpec, frozen: bool) -> BallotSpec:
    """The ballot format and the limits that format uses (others keep their values)."""
    mark = LOCK if frozen else ""
    fmt = st.selectbox(f"{mark}Ballot format", list(FORMATS), key=f"{prefix}_format",
                       index=list(FORMATS).index(current.format), format_func=FORMATS.__getitem__)
    spec = BallotSpec(fmt, current.min_choices, current.max_choices, current.min_envelope_share,
                      current.points, current.max_points_per_project, current.spend_all_points,
                      current.min_score, current.max_score)
    low, high = spec.min_choices, spec.max_choices
    if fmt is not F.CHOOSE_ONE:
        left, right = st.columns(2)
        low = int(left.number_input(f"{mark}Fewest projects per ballot", min_value=0, step=1,
                                    value=low, key=f"{prefix}_min"))
        high = int(right.number_input(f"{mark}Most projects per ballot (0 = no limit)",
                                      min_value=0, step=1, value=high or 0,
                                      key=f"{prefix}_max")) or None
    share = spec.min_envelope_share
    points, cap, spend_all = spec.points, spec.max_points_per_project, spec.spend_all_points
    lowest, highest = spec.min_score, spec.max_score
    if fmt is F.KNAPSACK:
        share = Decimal(str(st.number_input(
            f"{mark}Spend at least this share of the envelope (%)", min_value=0, max_value=100,
            step=5, value=int(spec.min_envelope_share * 100), key=f"{prefix}_share"))) / 100
    if fmt is F.CUMULATIVE:
        left, right = st.columns(2)
        points = int(left.number_input(f"{mark}Points each voter spreads", min_value=1, step=1,
                                       value=points or 10, key=f"{prefix}_points"))
        cap = int(right.number_input(f"{mark}Most points per project (0 = no limit)",
                                     min_value=0, step=1, value=cap or 0,
                                     key=f"{prefix}_cap")) or None
        spend_all = st.checkbox(f"{mark}Voters must spend every point", value=spend_all,
                                key=f"{prefix}_all")
    if fmt is F.SCORING:
        left, right = st.columns(2)
        lowest = int(left.number_input(f"{mark}Lowest score", min_value=0, step=1,
                                       value=lowest, key=f"{prefix}_lo"))
        highest = int(right.number_input(f"{mark}Highest score", min_value=1, step=1,
                                         value=highest, key=f"{prefix}_hi"))
    return BallotSpec(fmt, low, high, share, points, cap, spend_all, lowest, highest)


def settings_inputs(prefix: str, current: CycleView | None) -> Settings:
    """Every setting of a cycle, prefilled from `current` (a change) or with defaults (new)."""
    frozen = current is not None and current.frozen
    mark = LOCK if frozen else ""
    year = date.today().year
    opens_default = local(current.opens_at) if current else datetime.combine(
        date.today() + timedelta(days=7), time(8, 0), tzinfo=MANILA)
    closes_default = local(current.closes_at) if current else opens_default + timedelta(days=30)
    name = st.text_input("Name", value=current.name if current else "", max_chars=120,
                         key=f"{prefix}_name", placeholder="e.g. Community priorities FY2027")
    description = st.text_area("Description (shown to voters)", max_chars=5000,
                               value=current.description if current else "",
                               key=f"{prefix}_description")
    fiscal_year = int(st.number_input(
        "Fiscal year", min_value=2000, max_value=2100, step=1,
        value=current.fiscal_year if current else year + 1, key=f"{prefix}_fy",
        disabled=current is not None, help="A cycle keeps its fiscal year."))
    envelope = st.text_input(f"{mark}Envelope (₱)", key=f"{prefix}_envelope",
                             value=f"{current.envelope:,.2f}" if current else "",
                             placeholder="e.g. 25,000,000.00")
    opens = _moment("Voting opens", f"{prefix}_opens", opens_default, frozen)
    closes = _moment("Voting closes", f"{prefix}_closes", closes_default,
                     current is not None and current.phase is Phase.CLOSED)
    ballot = ballot_inputs(prefix, current.ballot if current else BallotSpec(), frozen)
    rule = st.selectbox(f"{mark}Counting rule", list(RULES), format_func=RULES.__getitem__,
                        index=list(RULES).index(current.counting_rule) if current else 0,
                        key=f"{prefix}_rule")
    tie = st.selectbox(f"{mark}When two projects have equal support, prefer", list(TIES),
                       format_func=TIES.__getitem__, key=f"{prefix}_tie",
                       index=list(TIES).index(current.tie_break) if current else 0)
    weights = st.text_area(
        f"{mark}Stakeholder weights (optional)", key=f"{prefix}_weights",
        value="\n".join(f"{k}: {w}" for k, w in (current.stakeholder_weights if current else {})
                        .items()),
        placeholder="resident: 1\nwomen's group: 1.25\nyouth: 1.25",
        help="One stakeholder type per line with the weight its ballots count with. When types "
             "are listed, voters say which type they are; types not listed count 1.")
    milestones = st.text_input(
        "Ballot milestones that send an e-mail", key=f"{prefix}_milestones",
        value=", ".join(str(m) for m in (current.milestones if current else DEFAULT_MILESTONES)))
    emails = st.text_input(
        "E-mail addresses told at each milestone", key=f"{prefix}_emails",
        value=", ".join(current.notify_emails) if current else "",
        help="Blank: the planner who opened the cycle.")
    parsed: dict[str, str] = {}
    counts: list[int] = []
    problem = None
    try:
        parsed, counts = parse_weights(weights), parse_milestones(milestones)
    except ValidationFailed as exc:
        problem = str(exc)
    return Settings(name, description, fiscal_year, envelope.strip(), opens, closes, ballot,
                    CountingRule(str(rule)), TieBreak(str(tie)), parsed, counts,
                    split_list(emails), problem)


def frozen_note(cycle: CycleView) -> None:
    """Which settings no longer change, and since when."""
    if not cycle.frozen:
        st.caption("Voting has not opened: every setting and the eligible projects may change.")
        return
    frozen = ", ".join(FROZEN_FIELDS.values())
    st.info(f"Voting opened on {local(cycle.opens_at):%d %b %Y, %H:%M} PHT, so these settings "
            f"are frozen ({LOCK.strip()}): {frozen}. The name, description, milestones and "
            "e-mail addresses still change"
            + ("." if cycle.phase is Phase.CLOSED else ", and so does the closing date."),
            icon=":material/lock:")


def _label(row: object) -> str:
    cost = getattr(row, "estimated_cost", None)
    money = "no estimated cost" if cost is None or cost != cost else format_php(cost)
    return (f"{row.title} — {row.barangay}, {row.municipality} — {money}"  # type: ignore[attr-defined]
            f" (need {row.id})")  # type: ignore[attr-defined]


def need_picker(url: str, prefix: str, current: CycleView | None = None) -> list[int]:
    """Needs to put on the ballot (each becomes project N<id>), found by region and words."""
    labels: dict[int, str] = st.session_state.setdefault(f"{prefix}_labels", {})
    chosen_key = f"{prefix}_needs"
    if current is not None and chosen_key not in st.session_state:
        st.session_state[chosen_key] = [p.need_id for p in current.projects if p.need_id]
        labels.update({p.need_id: f"{p.title} — {format_php(p.cost)} (need {p.need_id})"
                       for p in current.projects if p.need_id})
    regions = dict(pq.regions(url))
    region = st.selectbox("Needs from region", [None, *regions], key=f"{prefix}_region",
                          format_func=widgets.or_all("All regions", regions.__getitem__))
    search = st.text_input("Search needs (title or town)", key=f"{prefix}_search",
                           placeholder="e.g. water, Pikit")
    frame = pq.need_choices(url, region, search.strip())
    labels.update({int(r.id): _label(r) for r in frame.itertuples()})
    chosen = list(st.session_state.get(chosen_key, []))
    options = list(dict.fromkeys([*chosen, *(int(i) for i in frame["id"])]))
    picked = st.multiselect(
        "Eligible projects (needs, highest priority first)", options, key=chosen_key,
        format_func=lambda n: labels.get(n, f"need {n}"),
        help=f"Up to {pq.NEED_CHOICES} needs match at once; narrow by region or words to find "
             "others. A need needs an estimated cost to go on a ballot.")
    return [int(n) for n in picked]
