"""Side-by-side comparison of two to four scenarios of one fiscal year."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.errors import ValidationFailed
from obcms_core.services.scenarios.analysis import ScenarioView, load_view, totals_by


@dataclass(frozen=True)
class Comparison:
    summary: pd.DataFrame  # one row per scenario: totals and impact figures
    by_dimension: dict[str, pd.DataFrame]  # sector / moa / region -> rows x scenarios
    top_differences: pd.DataFrame  # PPAs whose amounts differ most across the scenarios


def compare(uow: UnitOfWork, scenario_ids: list[int], top: int = 15) -> Comparison:
    """Totals, impact, and differences by sector, MOA and region for 2–4 scenarios."""
    if not 2 <= len(set(scenario_ids)) <= 4:
        raise ValidationFailed("Choose two to four different scenarios to compare.")
    views: list[ScenarioView] = [load_view(uow, sid) for sid in dict.fromkeys(scenario_ids)]
    if len({v.fiscal_year for v in views}) > 1:
        raise ValidationFailed("Compare scenarios of the same fiscal year.")
    summary = pd.DataFrame(
        [
            {
                "scenario": v.name,
                "status": v.status,
                "envelope": float(v.envelope),
                "violations": len(v.violations()),
                **v.impact().as_row(),
            }
            for v in views
        ]
    )
    by_dimension = {
        dim: pd.DataFrame({v.name: totals_by(v, dim) for v in views}).fillna(0.0)
        for dim in ("sector", "moa", "region")
    }
    amounts = pd.DataFrame({v.name: v.table.set_index("code")["amount"] for v in views}).fillna(0.0)
    spread = amounts.max(axis=1) - amounts.min(axis=1)
    titles = views[0].table.set_index("code")["title"]
    top_rows = amounts.loc[spread.sort_values(ascending=False).index[:top]]
    top_rows = top_rows[spread.loc[top_rows.index] > 0]
    top_differences = top_rows.assign(title=titles.reindex(top_rows.index), spread=spread)
    return Comparison(summary, by_dimension, top_differences.reset_index())
