"""Cached read queries for the pages; keyed by the database URL, cleared after every write."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from obcms_core.services import admin, figures, needs_public, ppas
from obcms_core.services.scenarios import flags
from obcms_core.services.scenarios import store as scenario_store
from obcms_core.services.scenarios.analysis import ScenarioView, load_view
from obcms_core.services.scenarios.compare import Comparison, compare
from obcms_core.services.scenarios.optimise import get_run
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


# Scenario builder and optimiser (budget scenarios of a fiscal year).


@st.cache_data(ttl=TTL, show_spinner=False)
def scenario_list(url: str, fiscal_year: int | None) -> pd.DataFrame:
    with database(url).uow() as uow:
        return scenario_store.list_scenarios(uow, fiscal_year)


@st.cache_data(ttl=TTL, show_spinner=False)
def scenario_card(url: str, scenario_id: int) -> dict[str, object]:
    """A scenario's own facts: name, description, status, author, what it was based on."""
    with database(url).uow() as uow:
        s = scenario_store.get_scenario(uow, scenario_id)
        parent = scenario_store.get_scenario(uow, s.based_on_id) if s.based_on_id else None
        return {
            "id": s.id, "name": s.name, "description": s.description,
            "fiscal_year": s.fiscal_year, "status": s.status.value, "envelope": s.envelope,
            "author": s.author, "basis": s.basis, "based_on_id": s.based_on_id,
            "based_on": parent.name if parent else None, "updated_at": s.updated_at,
        }


@st.cache_data(ttl=TTL, show_spinner=False)
def scenario_view(url: str, scenario_id: int) -> ScenarioView:
    with database(url).uow() as uow:
        return load_view(uow, scenario_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def scenario_comparison(url: str, scenario_ids: tuple[int, ...]) -> Comparison:
    with database(url).uow() as uow:
        return compare(uow, list(scenario_ids))


@st.cache_data(ttl=TTL, show_spinner=False)
def optimiser_run(url: str, run_id: int) -> dict[str, object]:
    """One optimiser run's figures and explained result, as plain values."""
    with database(url).uow() as uow:
        run = get_run(uow, run_id)
        return {
            "id": run.id, "scenario_id": run.scenario_id, "fiscal_year": run.fiscal_year,
            "solver": run.solver, "status": run.status, "objective": run.objective,
            "bound": run.bound, "gap": run.gap, "seconds": run.seconds,
            "settings": dict(run.settings), "result": dict(run.result),
        }


@st.cache_data(ttl=TTL, show_spinner=False)
def scenario_flags(url: str, fiscal_year: int) -> dict[str, pd.DataFrame]:
    """The optimiser page's evidence flags for a fiscal year."""
    with database(url).uow() as uow:
        return {
            "inefficient": flags.inefficient_allocations(uow, fiscal_year),
            "consolidation": flags.consolidation_opportunities(uow, fiscal_year),
            "history": flags.historical_efficiency(uow, fiscal_year),
        }
