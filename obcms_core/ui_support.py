"""Plain display helpers for the workbench (no Streamlit here): times, pages, amounts."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

import pandas as pd

from obcms_core.domain.enums import Labelled
from obcms_core.domain.money import format_php

MANILA = ZoneInfo("Asia/Manila")


def manila_time(times: pd.Series) -> pd.Series:
    """UTC timestamps as Philippine time (what the office's clocks show), without the zone."""
    if times.empty:
        return times
    return pd.to_datetime(times, utc=True).dt.tz_convert(MANILA).dt.tz_localize(None)


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill; an empty result still has one (empty) page."""
    return max(1, math.ceil(total / per_page))


def showing(page: int, per_page: int, total: int, noun: str) -> str:
    """'Showing 26–50 of 132 needs' for the caption above a paged table."""
    if total == 0:
        return f"No {noun} match."
    first = (page - 1) * per_page + 1
    last = min(page * per_page, total)
    return f"Showing {first:,}–{last:,} of {total:,} {noun}"


def php_or_dash(value: object) -> str:
    """A peso amount, or an em dash when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_php(value)


def as_float(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Money columns as floats for tables and charts only (the figures stay exact in services)."""
    out = frame.copy()
    for col in columns:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def enum_labels(values: pd.Series, enum: type[Labelled]) -> pd.Series:
    """Stored choice values ('in_progress') as the words people read ('In progress')."""

    def label(value: object) -> object:
        try:
            return enum(str(value)).label
        except ValueError:
            return value

    return values.map(label)
