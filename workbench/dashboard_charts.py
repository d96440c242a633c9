"""Charts of the evidence dashboards: horizontal bars with short peso axes and legends below,
so that they read on a laptop and stay legible on a 400 px-wide phone."""

from __future__ import annotations

import altair as alt
import pandas as pd

from obcms_core.ui_support import as_float

GREEN = "#1F6F5C"
# ₱1.2 B / ₱500 M / ₱12,500 on axes (no trailing ".0"); tooltips show the full amount.
PESO_AXIS = (
    "datum.value >= 1e9 ? '₱' + format(datum.value / 1e9, ',.1~f') + ' B' : "
    "datum.value >= 1e6 ? '₱' + format(datum.value / 1e6, ',.1~f') + ' M' : "
    "'₱' + format(datum.value, ',.0f')"
)
# Room on the right for the last axis label, which Streamlit's container would otherwise clip.
PADDING = {"left": 4, "top": 4, "right": 18, "bottom": 4}
# "Sindangan (Zamboanga del Norte)" on two lines: the town, then its province.
TWO_LINES = (
    "[substring(datum.value, 0, indexof(datum.value, ' (')), "
    "substring(datum.value, indexof(datum.value, ' (') + 1)]"
)
STAGES = ["Allocation", "Allotments", "Obligations", "Disbursements"]


def _peso_axis(title: str) -> alt.X:
    return alt.X("cost:Q", title=title, axis=alt.Axis(labelExpr=PESO_AXIS, tickCount=4))


def _peso_tip(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=title, format=",.2f")


def _bottom_legend(title: str) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom", columns=2, labelLimit=220, symbolLimit=0)


def region_sector(frame: pd.DataFrame) -> alt.Chart:
    """Unfunded cost per region, stacked by need sector."""
    data = as_float(frame, "cost")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=_peso_axis("Unfunded cost"),
            y=alt.Y("region:N", title=None, sort=None),  # IX, X, …: the heading says "region"
            color=alt.Color("sector:N", legend=_bottom_legend("Sector"),
                            scale=alt.Scale(scheme="tableau10")),
            order=alt.Order("sector:N"),
            tooltip=[alt.Tooltip("region:N", title="Region"),
                     alt.Tooltip("sector:N", title="Sector"),
                     alt.Tooltip("needs:Q", title="Unfunded needs"),
                     _peso_tip("cost", "Unfunded cost (₱)")],
        )
        .properties(height=alt.Step(34), padding=PADDING)
    )


def urgency(frame: pd.DataFrame) -> alt.Chart:
    """Unfunded needs per urgency, most urgent on top."""
    data = as_float(frame, "cost")
    return (
        alt.Chart(data)
        .mark_bar(color=GREEN, cornerRadiusEnd=3)
        .encode(
            x=alt.X("needs:Q", title="Unfunded needs", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("urgency:N", title=None, sort=list(frame["urgency"])),
            tooltip=[alt.Tooltip("urgency:N", title="Urgency"),
                     alt.Tooltip("needs:Q", title="Unfunded needs"),
                     _peso_tip("cost", "Unfunded cost (₱)")],
        )
        .properties(height=alt.Step(34), padding=PADDING)
    )


def per_resident(frame: pd.DataFrame) -> alt.Chart:
    """Cities and municipalities by unfunded cost per OBC resident, highest on top."""
    data = as_float(frame, "cost", "cost_per_resident").assign(
        place=frame["municipality"] + " (" + frame["province"] + ")"
    )
    return (
        alt.Chart(data)
        .mark_bar(color="#B5523B", cornerRadiusEnd=3)
        .encode(
            x=alt.X("cost_per_resident:Q", title="Per OBC resident",
                    axis=alt.Axis(labelExpr=PESO_AXIS, tickCount=4)),
            y=alt.Y("place:N", title=None, sort="-x",
                    axis=alt.Axis(labelExpr=TWO_LINES, labelLimit=160, labelLineHeight=13)),
            tooltip=[alt.Tooltip("place:N", title="City / municipality"),
                     _peso_tip("cost_per_resident", "Per OBC resident (₱)"),
                     alt.Tooltip("needs:Q", title="Unfunded needs"),
                     _peso_tip("cost", "Unfunded cost (₱)"),
                     alt.Tooltip("obc_population:Q", title="OBC population", format=",d")],
        )
        .properties(height=alt.Step(34), padding=PADDING)
    )


def execution_stages(values: dict[str, float]) -> alt.Chart:
    """The fiscal year's allocation, allotments, obligations and disbursements as bars."""
    data = pd.DataFrame({"stage": list(values), "cost": list(values.values())})
    return (
        alt.Chart(data)
        .mark_bar(color=GREEN, cornerRadiusEnd=3)
        .encode(
            x=_peso_axis("Amount"),
            y=alt.Y("stage:N", title=None, sort=STAGES),
            tooltip=[alt.Tooltip("stage:N", title="Stage"), _peso_tip("cost", "Amount (₱)")],
        )
        .properties(height=alt.Step(34), padding=PADDING)
    )


def execution_trend(frame: pd.DataFrame) -> alt.Chart:
    """Allocation, obligations and disbursements per fiscal year, as lines."""
    data = as_float(frame, "allocation", "obligation", "disbursement").rename(columns={
        "allocation": "Allocation", "obligation": "Obligations", "disbursement": "Disbursements"})
    long = data.melt(id_vars=["fiscal_year"], value_vars=["Allocation", "Obligations",
                                                          "Disbursements"],
                     var_name="stage", value_name="cost")
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("fiscal_year:O", title="Fiscal year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("cost:Q", title=None, axis=alt.Axis(labelExpr=PESO_AXIS, tickCount=4)),
            color=alt.Color("stage:N", legend=alt.Legend(title=None, orient="top", symbolLimit=0),
                            scale=alt.Scale(domain=STAGES[:1] + STAGES[2:],
                                            range=[GREEN, "#D08C2B", "#B5523B"])),
            tooltip=[alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                     alt.Tooltip("stage:N", title="Stage"), _peso_tip("cost", "Amount (₱)")],
        )
        .properties(height=280, padding=PADDING)
    )
