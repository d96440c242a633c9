"""Sections of the PB results page: the live tally, each counting rule's outcome side by side,
the fairness figures, funding by region, the stakeholder weights' effect, and why equal shares
left a project out. Every text comes from the translation catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import streamlit as st

from obcms_core.domain.money import format_php
from obcms_core.domain.pb import Shortfall
from obcms_core.domain.pb.cycle import CountingRule
from obcms_core.services.dashboards.xlsx import CSV_MIME, XLSX_MIME
from obcms_core.services.pb import CycleResult, CycleView
from obcms_core.services.pb import results_export as export
from workbench import pb_charts as charts
from workbench import pb_queries as pq
from workbench import pb_views as v

Results = Mapping[CountingRule, CycleResult]
RULES = export.RULES  # the order the page and the downloads show the rules in


def rule_name(rule: CountingRule, t: v.Tr) -> str:
    return t(f"rule.{rule.value}.name")


def percent(share: float) -> str:
    return f"{share:.0%}"


@st.fragment(run_every=pq.TALLY_TTL)
def live_tally(url: str, cycle: CycleView, t: v.Tr) -> None:
    """Ballots so far and votes (or points) per project, read again every 10 seconds."""
    tally = pq.tally(url, cycle.id)
    st.subheader(t("tally.title"))
    st.caption(t("tally.caption", ballots=f"{tally.ballots:,}", at=v.when(tally.computed_at, t)))
    points = cycle.ballot.format.vote_type.has_points
    frame = pd.DataFrame({
        "title": [r.title for r in tally.rows],
        "value": [float(r.points or 0) if points else r.votes for r in tally.rows],
    })
    value_title = t("tally.points") if points else t("tally.votes")
    st.altair_chart(charts.tally(frame, value_title, t("results.project")), width="stretch")


def outcome_columns(cycle: CycleView, results: Results, t: v.Tr) -> None:
    """Each rule's funded projects, their cost and share of the envelope, side by side (the
    columns stack on a phone)."""
    st.subheader(t("results.by_rule"))
    titles = {p.code: p.title for p in cycle.projects}
    cost = {p.code: p.cost for p in cycle.projects}
    for column, rule in zip(st.columns(len(RULES)), RULES, strict=True):
        result = results[rule]
        with column.container(border=True):
            st.markdown(f"#### {rule_name(rule, t)}")
            if rule is cycle.counting_rule:
                st.badge(t("results.official"), icon=":material/verified:", color="green")
            st.caption(t(f"rule.{rule.value}.about"))
            st.markdown(v.plural(t, "results.funded_summary", len(result.funded),
                                 cost=format_php(result.funded_cost),
                                 share=percent(result.envelope_share)))
            st.markdown("\n".join(
                f"{i}. {titles.get(code, code)} — {format_php(cost.get(code, 0))}"
                for i, code in enumerate(result.funded, start=1)
            ) or t("results.none_funded"))
            st.caption(t("results.left_over", amount=format_php(result.leftover)))
            fair = result.fairness
            st.markdown("\n".join([
                "- " + t("fair.card_reach", share=percent(fair.share_with_a_funded_project)),
                "- " + t("fair.card_average", amount=format_php(fair.average_satisfaction),
                         share=percent(fair.average_satisfaction_share)),
                "- " + t("fair.card_gini", gini=f"{fair.satisfaction_gini:.2f}"),
            ]))


def project_table(cycle: CycleView, results: Results, t: v.Tr) -> None:
    """Every project with its votes and, per rule, whether it is funded."""
    st.subheader(t("results.projects"))
    first = results[cycle.counting_rule]
    funded = {rule: set(results[rule].funded) for rule in RULES}
    frame = pd.DataFrame([
        {"title": p.title, "cost": float(p.cost), "supporters": p.supporters,
         **{rule.value: p.code in funded[rule] for rule in RULES}}
        for p in first.projects
    ])
    st.dataframe(
        frame, hide_index=True, width="stretch",
        column_config={
            "title": st.column_config.TextColumn(t("results.project"), width="large"),
            "cost": st.column_config.NumberColumn(t("results.cost"), format="₱%,.2f"),
            "supporters": st.column_config.NumberColumn(t("results.supporters"), format="%,d"),
            **{rule.value: st.column_config.CheckboxColumn(t(f"rule.{rule.value}.short"),
                                                           help=rule_name(rule, t))
               for rule in RULES},
        },
        height="content" if len(frame) <= 30 else "auto",
    )


def downloads(cycle: CycleView, results: Results, lang: str, t: v.Tr) -> None:
    """The results as Excel and CSV, in the page's language."""
    stem = export.file_stem(cycle)
    row = st.container(horizontal=True)
    for fmt, build, mime in (("xlsx", export.results_xlsx, XLSX_MIME),
                             ("csv", export.results_csv, CSV_MIME)):
        row.download_button(
            t(f"export.download_{fmt}"), data=lambda build=build: build(cycle, results, lang),
            file_name=f"{stem}.{fmt}", mime=mime, key=f"pbr_dl_{fmt}", on_click="ignore",
            icon=":material/download:", help=t("export.download_help"))


def fairness(results: Results, t: v.Tr) -> None:
    """The share of voters each rule gives a funded project (the cards hold every figure),
    with what each fairness figure means."""
    st.subheader(t("fair.title"))
    rows = pd.DataFrame([
        {"rule": rule_name(rule, t), "share": results[rule].fairness.share_with_a_funded_project}
        for rule in RULES
    ])
    st.altair_chart(charts.reach(rows, t("fair.reach"), t("fair.rule")), width="stretch")
    st.caption(" ".join(t(k) for k in ("fair.help_reach", "fair.help_average", "fair.help_gini")))


def regions(cycle: CycleView, results: Results, t: v.Tr) -> None:
    """One rule's funding per region against each region's share of the population."""
    st.subheader(t("region.title"))
    rule = st.selectbox(t("region.rule"), list(RULES), key="pbr_region_rule",
                        index=RULES.index(cycle.counting_rule),
                        format_func=lambda r: rule_name(r, t))
    shares = results[rule].regions
    if not shares:
        st.caption(t("region.none"))
        return
    funding, people = t("region.funding_share"), t("region.population_share")
    frame = pd.DataFrame([
        {"region": s.region_name if s.region_code is None else t("common.region",
                                                                   code=s.region_code),
         "measure": measure, "share": share}
        for s in shares
        for measure, share in ((funding, s.funding_share), (people, s.population_share))
    ])
    st.altair_chart(charts.regions(frame, t("region.share"), t("region.region"),
                                   t("region.measure")), width="stretch")
    st.caption(t("region.help"))


def stakeholders(cycle: CycleView, results: Results, t: v.Tr) -> None:
    """The ballots of each stakeholder type, its weight, and what the weights changed."""
    if not cycle.stakeholder_weights:
        return
    st.subheader(t("weights.title"))
    shares = results[cycle.counting_rule].stakeholders
    frame = pd.DataFrame([
        {"type": s.stakeholder_type.capitalize() if s.stakeholder_type != "unspecified"
         else t("weights.unspecified"), "ballots": s.ballots, "weight": float(s.weight),
         "ballot_share": s.ballot_share, "weighted_share": s.weighted_share}
        for s in shares
    ])
    st.dataframe(
        frame, hide_index=True, width="stretch",
        column_config={
            "type": st.column_config.TextColumn(t("weights.type")),
            "ballots": st.column_config.NumberColumn(t("weights.ballots"), format="%,d"),
            "weight": st.column_config.NumberColumn(t("weights.weight"), format="%.2f"),
            "ballot_share": st.column_config.NumberColumn(t("weights.ballot_share"),
                                                          format="percent"),
            "weighted_share": st.column_config.NumberColumn(t("weights.weighted_share"),
                                                            format="percent"),
        },
    )
    titles = {p.code: p.title for p in cycle.projects}
    for rule in RULES:
        result = results[rule]
        if not (result.gained_by_weights or result.lost_by_weights):
            st.markdown(t("weights.no_change", rule=rule_name(rule, t)))
            continue
        gained = ", ".join(titles.get(c, c) for c in result.gained_by_weights) or "—"
        lost = ", ".join(titles.get(c, c) for c in result.lost_by_weights) or "—"
        st.markdown(t("weights.changed", rule=rule_name(rule, t), gained=gained, lost=lost))


def _amount(value: Fraction) -> str:
    return format_php(Decimal(value.numerator) / Decimal(value.denominator))


def _people(value: Fraction) -> str:
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def reason(shortfall: Shortfall | None, supporters: int, weighted: bool, t: v.Tr) -> str:
    """Why equal shares did not fund a project, in the reader's language."""
    if supporters == 0:
        return t("why.no_votes")
    if shortfall is None:
        return t("why.unknown")
    text = t("why.sentence_weighted" if weighted else "why.sentence", cost=_amount(shortfall.cost),
             supporters=_people(shortfall.supporters), available=_amount(shortfall.available),
             covered=percent(float(shortfall.covered)), short=_amount(shortfall.shortfall))
    text += " " + v.plural(t, "why.needed", shortfall.extra_supporters_at_start_budget,
                           share=_amount(shortfall.start_budget))
    return text


def why_not_funded(cycle: CycleView, results: Results, t: v.Tr) -> None:
    """A project picker that explains why the Method of Equal Shares left a project out."""
    st.subheader(t("why.title"))
    result = results[CountingRule.MES]
    left_out = {p.code: p for p in result.projects if not p.funded}
    if not left_out:
        st.caption(t("why.all_funded"))
        return
    titles = {p.code: p.title for p in cycle.projects}
    code = st.selectbox(t("why.pick"), list(left_out), key="pbr_why",
                        format_func=lambda c: titles.get(c, c))
    project = left_out[code]
    st.info(reason(result.shortfalls.get(code), project.supporters, result.weights_applied, t),
            icon=":material/help:")
