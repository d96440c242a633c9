"""Cached reads of the evidence dashboards; keyed by the database URL, cleared after every write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from obcms_core.services.dashboards import executive, filters, gap_actions, gap_votes, gaps
from obcms_core.services.dashboards.filters import DashboardFilters
from workbench import queries
from workbench.session import database

TTL = 60  # seconds a figure may lag behind another user's change


@dataclass(frozen=True)
class GapFigures:
    """Everything the gap analysis draws above its table, read in one transaction."""

    summary: gaps.GapSummary
    by_region_sector: pd.DataFrame
    by_urgency: pd.DataFrame
    per_resident: pd.DataFrame


@st.cache_data(ttl=TTL, show_spinner=False)
def gap_figures(url: str, chosen: DashboardFilters) -> GapFigures:
    with database(url).uow() as uow:
        return GapFigures(
            gaps.gap_summary(uow, chosen),
            gaps.cost_by_region_sector(uow, chosen),
            gaps.urgency_mix(uow, chosen),
            gaps.top_municipalities_per_resident(uow, chosen),
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def unfunded_page(url: str, chosen: DashboardFilters, limit: int, offset: int) -> pd.DataFrame:
    with database(url).uow() as uow:
        return gaps.unfunded_needs(uow, chosen, limit=limit, offset=offset)


@dataclass(frozen=True)
class CommunityPriorities:
    """The most voted needs the filters select, and the ballots cast in the year's cycles."""

    table: pd.DataFrame
    ballots: int


@st.cache_data(ttl=TTL, show_spinner=False)
def community_priorities(url: str, chosen: DashboardFilters, limit: int) -> CommunityPriorities:
    with database(url).uow() as uow:
        return CommunityPriorities(gaps.top_community_priorities(uow, chosen, limit),
                                   gap_votes.ballots_cast(uow, chosen.fiscal_year))


def unfunded_download(url: str, chosen: DashboardFilters, fmt: str) -> bytes:
    """The download's bytes, made when the button is pressed (not cached: always current)."""
    with database(url).uow() as uow:
        return gaps.unfunded_export(uow, chosen, "csv" if fmt == "csv" else "xlsx")


@st.cache_data(ttl=TTL, show_spinner=False)
def regions(url: str) -> list[tuple[str, str]]:
    with database(url).uow() as uow:
        return filters.region_choices(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def provinces(url: str, region_code: str | None) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return filters.province_choices(uow, region_code)


@st.cache_data(ttl=TTL, show_spinner=False)
def municipalities(url: str, region_code: str | None, province_id: int | None
                   ) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return filters.municipality_choices(uow, region_code, province_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def sectors(url: str) -> list[str]:
    with database(url).uow() as uow:
        return filters.sector_choices(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def categories(url: str, sector: str | None) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return filters.category_choices(uow, sector)


@st.cache_data(ttl=TTL, show_spinner=False)
def moas(url: str) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return gap_actions.moa_choices(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def link_choices(url: str, fiscal_year: int, need_id: int | None) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return gap_actions.ppa_choices(uow, fiscal_year, need_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def default_fiscal_year(url: str) -> int | None:
    with database(url).uow() as uow:
        return executive.default_fiscal_year(uow)


@dataclass(frozen=True)
class ExecutiveFigures:
    """Everything the executive overview shows for one fiscal year."""

    overview: executive.ExecutiveOverview
    by_moa: pd.DataFrame
    by_year: pd.DataFrame
    off_track: pd.DataFrame


@st.cache_data(ttl=TTL, show_spinner=False)
def executive_figures(url: str, fiscal_year: int, today: date) -> ExecutiveFigures:
    with database(url).uow() as uow:
        return ExecutiveFigures(
            executive.executive_overview(uow, fiscal_year, today),
            executive.execution_by_moa(uow, fiscal_year),
            executive.execution_by_year(uow),
            executive.off_track_policies(uow, fiscal_year, today),
        )


def after_write() -> None:
    """Forget cached figures (these and every other page's) so the change shows at once."""
    queries.after_write()
