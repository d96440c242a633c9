"""A cycle's results as a download, in the reader's language (English or Filipino).

Every project with its cost and votes and, per counting rule, the order in which the rule
funded it (blank when it did not). Above the table: the cycle, whether the results are final,
and each rule's totals and fairness figures. Excel for reading and printing, CSV (the same
rows and headers) for other tools. Pure: works on results already counted, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd

from obcms_core.domain.money import format_php
from obcms_core.domain.pb.cycle import CountingRule, Phase
from obcms_core.i18n import text
from obcms_core.services.dashboards.xlsx import MANILA, Column, table_csv, table_workbook
from obcms_core.services.pb.queries import CycleView
from obcms_core.services.pb.results import CycleResult

RULES = (CountingRule.GREEDY, CountingRule.MES, CountingRule.MAX_WELFARE)


def _columns(lang: str) -> list[Column]:
    return [
        Column("code", text("export.code", lang), 12),
        Column("title", text("results.project", lang), 48),
        Column("cost", text("results.cost", lang), 18, "peso"),
        Column("supporters", text("results.supporters", lang), 10, "integer"),
        *(Column(rule.value, text(f"rule.{rule.value}.short", lang), 16, "integer")
          for rule in RULES),
    ]


def results_frame(
    results: Mapping[CountingRule, CycleResult], official: CountingRule
) -> pd.DataFrame:
    """One row per project, most votes first: cost, votes, and each rule's funding order."""
    order = {rule: {code: i for i, code in enumerate(results[rule].funded, start=1)}
             for rule in RULES}
    frame = pd.DataFrame(
        [
            {"code": p.code, "title": p.title, "cost": p.cost, "supporters": p.supporters,
             **{rule.value: order[rule].get(p.code) for rule in RULES}}
            for p in results[official].projects
        ],
        columns=[c.key for c in _columns("en")],
    )
    return frame.astype({rule.value: "Int64" for rule in RULES})  # blank when not funded


def _lines(cycle: CycleView, results: Mapping[CountingRule, CycleResult], lang: str) -> list[str]:
    status = "export.final" if cycle.phase is Phase.CLOSED else "export.preview"
    lines = [
        text("export.cycle", lang, name=cycle.name, year=cycle.fiscal_year,
             envelope=format_php(cycle.envelope),
             ballots=f"{results[cycle.counting_rule].ballots:,}"),  # the ballots counted
        text(status, lang),
        text("export.order_note", lang, rule=text(f"rule.{cycle.counting_rule.value}.name", lang)),
    ]
    for rule in RULES:
        result, fair = results[rule], results[rule].fairness
        lines.append(text(
            "export.rule_line", lang, rule=text(f"rule.{rule.value}.name", lang),
            n=len(result.funded), cost=format_php(result.funded_cost),
            share=f"{result.envelope_share:.0%}", left=format_php(result.leftover),
            reach=f"{fair.share_with_a_funded_project:.0%}",
            average=format_php(fair.average_satisfaction), gini=f"{fair.satisfaction_gini:.2f}",
        ))
    return lines


def results_xlsx(
    cycle: CycleView,
    results: Mapping[CountingRule, CycleResult],
    lang: str = "en",
    *,
    generated_at: datetime | None = None,
) -> bytes:
    """The results as a readable Excel sheet."""
    return table_workbook(
        text("results.title", lang), _lines(cycle, results, lang),
        results_frame(results, cycle.counting_rule), _columns(lang),
        sheet=text("export.sheet", lang), empty_note=text("results.none_funded", lang),
        generated_at=generated_at or datetime.now(MANILA),
        generated_note=text("export.generated", lang, at="{at}"),
    )


def results_csv(
    cycle: CycleView, results: Mapping[CountingRule, CycleResult], lang: str = "en"
) -> bytes:
    """The same rows as CSV, with the same headers."""
    return table_csv(results_frame(results, cycle.counting_rule), _columns(lang))


def file_stem(cycle: CycleView) -> str:
    """A file name for the downloads: pb-results-FY2026-cycle-7."""
    return f"pb-results-FY{cycle.fiscal_year}-cycle-{cycle.id}"
