"""Cached reads of the participatory budgeting pages, keyed by the database URL.

Cycles and results are cached for a short while; the live tally for at most 10 seconds, which
is what the results page promises. `after_write` forgets them all after a change.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pandas as pd
import streamlit as st

from obcms_core.config import REFERENCE_DIR
from obcms_core.domain.pb.cycle import CountingRule
from obcms_core.pipelines.reference_geo import SHAPES_FILE
from obcms_core.services import needs_public
from obcms_core.services import pb as pb_service
from obcms_core.services.pb import CycleResult, CycleSummary, CycleView, Tally
from obcms_core.services.users import UserInfo, get_user
from workbench.session import database

TTL = 30  # seconds a cycle's settings or phase may lag behind a planner's change
RESULTS_TTL = 60  # counting every rule can take a second on a large cycle
TALLY_TTL = 10  # the live tally: "updated every 10 seconds"
NEED_CHOICES = 300  # needs offered at once when picking a cycle's projects


@st.cache_data(ttl=TTL, show_spinner=False)
def cycles(url: str) -> list[CycleSummary]:
    with database(url).uow() as uow:
        return pb_service.list_cycles(uow)


@st.cache_data(ttl=TTL, show_spinner=False)
def cycle(url: str, cycle_id: int) -> CycleView:
    with database(url).uow() as uow:
        return pb_service.get_cycle(uow, cycle_id)


def tally(url: str, cycle_id: int) -> Tally:
    """The live tally; the service keeps it for TALLY_TTL seconds per process (a second cache
    here would let it grow up to twice as old)."""
    with database(url).uow() as uow:
        return pb_service.live_tally(uow, cycle_id, max_age=TALLY_TTL)


@st.cache_data(ttl=RESULTS_TTL, show_spinner=False)
def results(url: str, cycle_id: int) -> dict[CountingRule, CycleResult]:
    with database(url).uow() as uow:
        return pb_service.compare_rules(uow, cycle_id)


@st.cache_data(ttl=RESULTS_TTL, show_spinner=False)
def need_choices(url: str, region: str | None, search: str) -> pd.DataFrame:
    """The highest-priority public needs matching the filters, to put on a ballot."""
    filters = needs_public.NeedFilters(region_code=region, search=search or None)
    with database(url).uow() as uow:
        return needs_public.browse_needs(uow, filters, limit=NEED_CHOICES).rows


@st.cache_data(ttl=RESULTS_TTL, show_spinner=False)
def regions(url: str) -> list[tuple[str, str]]:
    with database(url).uow() as uow:
        return needs_public.region_choices(uow)


def signed_in_user(url: str) -> UserInfo | None:
    """The signed-in person (fresh from the users table, never cached), or None."""
    if not st.session_state.get("authentication_status"):
        return None
    with database(url).uow() as uow:
        return get_user(uow, st.session_state.get("username") or "")


def my_ballot(url: str, cycle_id: int, voter_key: str) -> pb_service.StoredBallot | None:
    with database(url).uow() as uow:
        return pb_service.my_ballot(uow, cycle_id, voter_key)


def ballot_history(url: str, cycle_id: int, voter_key: str) -> list[pb_service.BallotSnapshot]:
    with database(url).uow() as uow:
        return pb_service.ballot_history(uow, cycle_id, voter_key)


def export_file(url: str, cycle_id: int) -> bytes:
    """The cycle as a .pb file (called when the download button is pressed)."""
    with database(url).uow() as uow:
        return pb_service.export_pb(uow, cycle_id).encode("utf-8")


def after_write() -> None:
    """Forget cached cycles, tallies and results so every page shows the change just made."""
    st.cache_data.clear()
    pb_service.clear_tally_cache()


def _rounded(ring: list[list[float]]) -> list[list[float]]:
    """A boundary ring at about 1 km precision, without repeated points (a smaller page)."""
    out: list[list[float]] = []
    for lon, lat, *_ in ring:
        point = [round(lon, 2), round(lat, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


@cache
def province_outlines() -> tuple[dict[str, Any], ...]:
    """Province outlines of Regions IX–XII (reference data), drawn under the project dots."""
    features = json.loads((REFERENCE_DIR / SHAPES_FILE).read_text(encoding="utf-8"))["features"]
    outlines: list[dict[str, Any]] = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = {"Polygon": [geometry.get("coordinates")],
                    "MultiPolygon": geometry.get("coordinates")}.get(geometry["type"]) or []
        for polygon in polygons:
            ring = _rounded(polygon[0])
            if len(ring) >= 4:
                outlines.append({"name": feature["properties"]["name"], "path": ring})
    return tuple(outlines)
