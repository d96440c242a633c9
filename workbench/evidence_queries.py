"""Cached reads of the policy matrix, needs summary and focal registry pages.

Keyed by the database URL and the filters; `workbench.queries.after_write` clears them with
every other cached figure after a change.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from obcms_core.services.dashboards import focal
from obcms_core.services.dashboards import needs_summary as ns
from obcms_core.services.dashboards import policy_matrix as pm
from workbench.session import database

TTL = 60  # seconds a figure may lag behind another user's change
MANILA = ZoneInfo("Asia/Manila")


def today() -> date:
    """Today in the Philippines: the day overdue milestones and active appointments refer to."""
    return datetime.now(MANILA).date()


# Policy–budget matrix


@st.cache_data(ttl=TTL, show_spinner=False)
def policy_matrix(
    url: str, category: str | None, status: str | None, region: str | None, day: date
) -> pd.DataFrame:
    with database(url).uow() as uow:
        return pm.policy_matrix(uow, pm.PolicyFilters(category, status, region), day)


@st.cache_data(ttl=TTL, show_spinner=False)
def policy_heatmap(
    url: str, category: str | None, status: str | None, region: str | None
) -> pd.DataFrame:
    with database(url).uow() as uow:
        return pm.category_sector_heatmap(uow, pm.PolicyFilters(category, status, region))


@st.cache_data(ttl=TTL, show_spinner=False)
def overdue_milestones(
    url: str, category: str | None, status: str | None, region: str | None, day: date
) -> pd.DataFrame:
    with database(url).uow() as uow:
        return pm.overdue_milestones(uow, pm.PolicyFilters(category, status, region), day)


# Community needs summary


@st.cache_data(ttl=TTL, show_spinner=False)
def area_summary(url: str, level: str, parent: int | None) -> pd.DataFrame:
    with database(url).uow() as uow:
        return ns.area_summary(uow, level, parent)


@st.cache_data(ttl=TTL, show_spinner=False)
def needs_breakdown(url: str, level: str, parent: int | None, by: str) -> pd.DataFrame:
    with database(url).uow() as uow:
        return ns.needs_breakdown(uow, level, parent, by)


# MOA focal persons


@st.cache_data(ttl=TTL, show_spinner=False)
def focal_directory(
    url: str, search: str, organization_id: int | None, role: str | None, active_only: bool,
    day: date,
) -> pd.DataFrame:
    filters = focal.FocalFilters(search or None, organization_id, role, active_only)
    with database(url).uow() as uow:
        return focal.focal_directory(uow, filters, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def focal_gaps(url: str, day: date) -> pd.DataFrame:
    with database(url).uow() as uow:
        return focal.focal_gaps(uow, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def moa_choices(url: str) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return focal.moa_choices(uow)
