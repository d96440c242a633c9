"""Charts of the PB results page: horizontal bars, short labels and legends below, so that they
read on a laptop and stay legible on a 400 px-wide phone. Titles arrive already translated."""

from __future__ import annotations

import altair as alt
import pandas as pd

GREEN = "#1F6F5C"
GREY = "#8A9A95"
LABEL_LIMIT = 150  # pixels of a project title on the axis; the tooltip has the whole title


def tally(frame: pd.DataFrame, value_title: str, project_title: str) -> alt.Chart:
    """Votes (or points) per project, most first: columns title, value."""
    return (
        alt.Chart(frame)
        .mark_bar(color=GREEN, cornerRadiusEnd=3)
        .encode(
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(tickMinStep=1, format=",d")),
            y=alt.Y("title:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            tooltip=[alt.Tooltip("title:N", title=project_title),
                     alt.Tooltip("value:Q", title=value_title, format=",.0f")],
        )
        .properties(height=alt.Step(26))
    )


def reach(frame: pd.DataFrame, value_title: str, rule_title: str) -> alt.Chart:
    """One bar per counting rule: the share of voters with a funded project (columns rule,
    share)."""
    return (
        alt.Chart(frame)
        .mark_bar(color=GREEN, cornerRadiusEnd=3)
        .encode(
            x=alt.X("share:Q", title=value_title, scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(format=".0%", tickCount=5)),
            y=alt.Y("rule:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            tooltip=[alt.Tooltip("rule:N", title=rule_title),
                     alt.Tooltip("share:Q", title=value_title, format=".1%")],
        )
        .properties(height=alt.Step(30))
    )


def regions(frame: pd.DataFrame, share_title: str, region_title: str,
            measure_title: str) -> alt.Chart:
    """Per region, its share of the funded money next to its share of the population
    (columns region, measure, share)."""
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("share:Q", title=share_title, axis=alt.Axis(format=".0%", tickCount=5)),
            y=alt.Y("region:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            yOffset=alt.YOffset("measure:N", sort=None),
            color=alt.Color("measure:N", sort=None, title=measure_title,
                            scale=alt.Scale(range=[GREEN, GREY]),
                            legend=alt.Legend(orient="bottom", direction="vertical",
                                              labelLimit=260)),
            tooltip=[alt.Tooltip("region:N", title=region_title),
                     alt.Tooltip("measure:N", title=measure_title),
                     alt.Tooltip("share:Q", title=share_title, format=".1%")],
        )
        .properties(height=alt.Step(16))
    )
