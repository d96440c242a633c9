"""Cached read queries for the pages; keyed by the database URL, cleared after every write."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from obcms_core.services import admin, figures, needs_public, ppas
from workbench.session import database

TTL = 60  # seconds a figure may lag behind another user's change


@st.cache_data(ttl=TTL, show_spinner=False)
def home_figures(url: str, fiscal_year: int | None) -> figures.HomeFigures:
    with database(url).uow() as uow:
        return figures.home_figures(uow, fiscal_year)


@st.cache_data(ttl=TTL, show_spinner=False)
def fiscal_years(url: str) -> list[int]:
    with database(url).uow() as uow:
        return ppas.fiscal_years(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def regions(url: str) -> list[tuple[str, str]]:
    with database(url).uow() as uow:
        return needs_public.region_choices(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def need_categories(url: str) -> list[str]:
    with database(url).uow() as uow:
        return needs_public.need_categories(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def browse_needs(
    url: str, region: str | None, category: str | None, status: str | None, search: str,
    limit: int, offset: int,
) -> needs_public.NeedsPage:
    filters = needs_public.NeedFilters(region, category, status, search or None)
    with database(url).uow() as uow:
        return needs_public.browse_needs(uow, filters, limit=limit, offset=offset)


@st.cache_data(ttl=TTL, show_spinner=False)
def implementing_moas(url: str) -> list[tuple[int, str]]:
    with database(url).uow() as uow:
        return ppas.implementing_moas(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def ppa_register(
    url: str, fiscal_year: int | None, organization_id: int | None, status: str | None,
    search: str, limit: int, offset: int,
) -> ppas.RegisterPage:
    filters = ppas.PPAFilters(fiscal_year, organization_id, status, search or None)
    with database(url).uow() as uow:
        return ppas.ppa_register(uow, filters, limit=limit, offset=offset)


@st.cache_data(ttl=TTL, show_spinner=False)
def workflow_choices(
    url: str, fiscal_year: int | None, organization_id: int | None, status: str | None, search: str
) -> list[ppas.PPACard]:
    filters = ppas.PPAFilters(fiscal_year, organization_id, status, search or None)
    with database(url).uow() as uow:
        return ppas.workflow_choices(uow, filters)


def users(url: str) -> pd.DataFrame:
    with database(url).uow() as uow:
        return admin.list_users(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def organizations(url: str) -> list[tuple[str, str]]:
    with database(url).uow() as uow:
        return admin.organization_choices(uow)


def audit_entries(url: str, entity: str | None, username: str | None) -> pd.DataFrame:
    with database(url).uow() as uow:
        return admin.audit_entries(uow, admin.AuditFilters(entity, username))


def audit_filter_options(url: str) -> tuple[list[str], list[str]]:
    with database(url).uow() as uow:
        return admin.audit_filter_options(uow)


def after_write() -> None:
    """Forget cached figures so every page shows the change just made."""
    st.cache_data.clear()
