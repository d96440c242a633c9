"""The community needs summary: one row per area, drilled down region → community.

A level names the rows: "region" (every region), "province" (the provinces of region
`parent`), "municipality" (the cities and municipalities of province `parent`) or
"community" (the OBC communities of city/municipality `parent`). Only areas with at least
one OBC community are listed.

Definitions (the guide, docs/dashboards-evidence.md, says the same in words):

* **Population**: the 2024 census population of the area (a region adds up its provinces).
* **OBC population**: the estimated OBC population of its communities.
* **Needs**: every recorded need except rejected ones. **Open needs** are those not yet
  completed (nor rejected); the money columns are about open needs.
* **Funded share**: the part of the open needs' estimated cost that linked PPAs cover; a need
  linked for 50 % of its cost counts half, and no need counts more than once in full.
  **Unfunded cost** is the rest of that cost.
* **Services received**: service applications of the area's communities that were approved
  (statuses approved, in progress, completed), and the people they reach.
* **Votes**: participatory budgeting votes for projects placed in the area, over every cycle
  whose voting has opened (the summary has no fiscal year): one vote per project a ballot
  marks, unweighted; only each voter's current ballot counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    Barangay,
    Community,
    Municipality,
    Need,
    NeedCategory,
    NeedPPALink,
    PBBallotMark,
    PBCycle,
    PBProject,
    Province,
    Region,
    ServiceApplication,
)
from obcms_core.domain.enums import ApplicationStatus, NeedStatus
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import to_money
from obcms_core.services.dashboards.xlsx import Column, table_csv, table_workbook

LEVELS = ("region", "province", "municipality", "community")
LEVEL_NAMES = {
    "region": "Region", "province": "Province", "municipality": "City / municipality",
    "community": "Community",
}
RECEIVED = (ApplicationStatus.APPROVED, ApplicationStatus.IN_PROGRESS, ApplicationStatus.COMPLETED)
CLOSED_NEEDS = (NeedStatus.COMPLETED, NeedStatus.REJECTED)
MONEY = ("open_cost", "funded_cost", "unfunded_cost", "unfunded_per_person")
COLUMNS = [
    "area_id", "area", "communities", "population", "obc_population", "needs", "open_needs",
    "open_cost", "funded_cost", "unfunded_cost", "funded_share", "votes", "services_received",
    "service_beneficiaries", "needs_per_1000", "unfunded_per_person", "services_per_1000",
    "obc_share_of_population",
]
EXPORT_COLUMNS = [
    Column("area", "Area", 34),
    Column("communities", "OBC communities", 12, "integer", total=True),
    Column("population", "Population (2024 census)", 14, "integer", total=True),
    Column("obc_population", "OBC population", 13, "integer", total=True),
    Column("needs", "Needs", 9, "integer", total=True),
    Column("open_needs", "Open needs", 9, "integer", total=True),
    Column("open_cost", "Cost of open needs", 19, "peso", total=True),
    Column("funded_share", "Funded share", 10, "percent"),
    Column("unfunded_cost", "Unfunded cost", 19, "peso", total=True),
    Column("votes", "Votes", 8, "integer", total=True),
    Column("services_received", "Services received", 10, "integer", total=True),
    Column("service_beneficiaries", "People served by services", 12, "integer", total=True),
    Column("needs_per_1000", "Needs per 1,000 OBC people", 12, "decimal"),
    Column("unfunded_per_person", "Unfunded cost per OBC person", 16, "peso"),
    Column("services_per_1000", "Services per 1,000 OBC people", 12, "decimal"),
]


def _check(level: str, parent: int | None) -> None:
    if level not in LEVELS:
        raise ValidationFailed(f"Unknown area level '{level}'. Levels: {', '.join(LEVELS)}.")
    if (level == "region") != (parent is None):
        raise ValidationFailed(
            "Regions are listed without a parent; every other level needs the area above it."
        )


def _keys(level: str) -> tuple[InstrumentedAttribute[Any], InstrumentedAttribute[Any] | None]:
    """The row key of a level and the column that names its parent."""
    return {
        "region": (Region.id, None),
        "province": (Province.id, Province.region_id),
        "municipality": (Municipality.id, Municipality.province_id),
        "community": (Community.id, Municipality.id),
    }[level]


def _in_area(q: Select, level: str, parent: int | None) -> Select:  # type: ignore[type-arg]
    """Join a query that starts from Community up to the region, and keep the parent's rows."""
    q = (
        q.join(Barangay, Community.barangay_id == Barangay.id)
        .join(Municipality, Barangay.municipality_id == Municipality.id)
        .join(Province, Municipality.province_id == Province.id)
        .join(Region, Province.region_id == Region.id)
    )
    _, parent_col = _keys(level)
    return q if parent_col is None else q.where(parent_col == parent)


def _frame(uow: UnitOfWork, q: Select, columns: Sequence[str]) -> pd.DataFrame:  # type: ignore[type-arg]
    return pd.DataFrame(uow.session.execute(q).all(), columns=list(columns))


def _areas(uow: UnitOfWork, level: str, parent: int | None) -> pd.DataFrame:
    key, _ = _keys(level)
    name = {
        "region": Region.name, "province": Province.name, "municipality": Municipality.name,
        "community": Community.name,
    }[level]
    q = _in_area(
        select(key, name, func.count(Community.id), func.sum(Community.estimated_obc_population))
        .select_from(Community),
        level, parent,
    ).group_by(key, name)
    return _frame(uow, q, ["area_id", "area", "communities", "obc_population"])


def _population(uow: UnitOfWork, level: str, parent: int | None) -> pd.DataFrame:
    q: Select  # type: ignore[type-arg]
    if level == "region":
        q = select(Province.region_id, func.sum(Province.population_2024)).group_by(
            Province.region_id
        )
    elif level == "province":
        q = select(Province.id, Province.population_2024).where(Province.region_id == parent)
    elif level == "municipality":
        q = select(Municipality.id, Municipality.population_2024).where(
            Municipality.province_id == parent
        )
    else:
        q = (
            select(Community.id, Barangay.population_2024)
            .join(Barangay, Community.barangay_id == Barangay.id)
            .where(Barangay.municipality_id == parent)
        )
    return _frame(uow, q, ["area_id", "population"])


def _coverage():  # type: ignore[no-untyped-def]
    """Per need, the fraction of its cost that linked PPAs cover, at most 1."""
    cover = (
        select(NeedPPALink.need_id, func.sum(NeedPPALink.share).label("covered"))
        .group_by(NeedPPALink.need_id)
        .subquery()
    )
    return cover, case((cover.c.covered > 1, 1), else_=func.coalesce(cover.c.covered, 0))


def _needs(uow: UnitOfWork, level: str, parent: int | None) -> pd.DataFrame:
    key, _ = _keys(level)
    cover, fraction = _coverage()
    is_open = Need.status.not_in(CLOSED_NEEDS)
    cost = func.coalesce(Need.estimated_cost, 0)
    q = _in_area(
        select(
            key,
            func.count(Need.id),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((is_open, cost), else_=0)),
            func.sum(case((is_open, cost * fraction), else_=0)),
        )
        .select_from(Need)
        .join(Community, Need.community_id == Community.id)
        .outerjoin(cover, cover.c.need_id == Need.id)
        .where(Need.status != NeedStatus.REJECTED),
        level, parent,
    ).group_by(key)
    return _frame(uow, q, ["area_id", "needs", "open_needs", "open_cost", "funded_cost"])


def _services(uow: UnitOfWork, level: str, parent: int | None) -> pd.DataFrame:
    key, _ = _keys(level)
    q = _in_area(
        select(key, func.count(ServiceApplication.id),
               func.sum(ServiceApplication.beneficiary_count))
        .select_from(ServiceApplication)
        .join(Community, ServiceApplication.community_id == Community.id)
        .where(ServiceApplication.status.in_(RECEIVED)),
        level, parent,
    ).group_by(key)
    return _frame(uow, q, ["area_id", "services_received", "service_beneficiaries"])


def _vote_place(level: str, parent: int | None) -> tuple[Any, list[Any]]:
    """Where a project's votes count at `level`: the row key and the parent condition.

    Projects carry their own place (community, city/municipality, region), written when they
    were put on the ballot; a project placed only in a town counts down to the town.
    """
    return {
        "region": (PBProject.region_id, []),
        "province": (Municipality.province_id, [Province.region_id == parent]),
        "municipality": (PBProject.municipality_id, [Municipality.province_id == parent]),
        "community": (PBProject.community_id, [PBProject.municipality_id == parent]),
    }[level]


def votes_by_area(
    uow: UnitOfWork, level: str, parent: int | None, *, now: datetime | None = None
) -> pd.DataFrame:
    """Participatory budgeting votes per area of `level` under `parent` (area_id, votes).

    A vote is a project marked on a ballot, counted for the area the project is placed in;
    every cycle whose voting has opened by `now` (default: now) counts, open or closed.
    Areas without a vote are left out.
    """
    _check(level, parent)
    moment = now or datetime.now(UTC)
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    key, where = _vote_place(level, parent)
    q = (
        select(key, func.count())
        .select_from(PBBallotMark)
        .join(PBProject, PBBallotMark.project_id == PBProject.id)
        .join(PBCycle, PBProject.cycle_id == PBCycle.id)
        .outerjoin(Municipality, PBProject.municipality_id == Municipality.id)
        .outerjoin(Province, Municipality.province_id == Province.id)
        .where(PBCycle.opens_at <= moment, key.is_not(None), *where)
        .group_by(key)
    )
    return _frame(uow, q, ["area_id", "votes"]).astype({"area_id": int, "votes": int})


def _per(numerator: pd.Series, people: pd.Series, scale: int) -> pd.Series:
    """numerator per `scale` people, blank where nobody is counted."""
    people = people.astype(float)
    return (numerator.astype(float) * scale / people).where(people > 0)


def _money_per_person(amounts: pd.Series, people: pd.Series) -> pd.Series:
    return pd.Series(
        [to_money(a / n) if n else None for a, n in zip(amounts, people, strict=True)],
        index=amounts.index, dtype=object,
    )


def area_summary(
    uow: UnitOfWork, level: str, parent: int | None = None, *, now: datetime | None = None
) -> pd.DataFrame:
    """The areas of `level` under `parent`: people, needs, funding, votes, services, per capita.

    `now` is the moment that decides which participatory budgeting cycles have opened.
    """
    _check(level, parent)
    frame = _areas(uow, level, parent)
    for part in (
        _population(uow, level, parent), _needs(uow, level, parent),
        _services(uow, level, parent), votes_by_area(uow, level, parent, now=now),
    ):
        frame = frame.merge(part, on="area_id", how="left")
    for col in ("communities", "obc_population", "needs", "open_needs", "services_received",
                "service_beneficiaries", "votes"):
        frame[col] = frame[col].fillna(0).astype(int)
    frame["population"] = frame["population"].astype("Int64")
    for col in ("open_cost", "funded_cost"):
        frame[col] = frame[col].map(lambda v: to_money(0 if pd.isna(v) else v))
    frame["unfunded_cost"] = frame["open_cost"] - frame["funded_cost"]
    frame["funded_share"] = _ratio(frame["funded_cost"], frame["open_cost"])
    frame["needs_per_1000"] = _per(frame["needs"], frame["obc_population"], 1000)
    frame["services_per_1000"] = _per(frame["services_received"], frame["obc_population"], 1000)
    frame["unfunded_per_person"] = _money_per_person(
        frame["unfunded_cost"], frame["obc_population"])
    frame["obc_share_of_population"] = _ratio(frame["obc_population"], frame["population"])
    return frame[COLUMNS].sort_values("area", kind="stable").reset_index(drop=True)


def _ratio(part: pd.Series, whole: pd.Series) -> pd.Series:
    whole_f = pd.to_numeric(whole, errors="coerce").astype(float)
    return (pd.to_numeric(part, errors="coerce").astype(float) / whole_f).where(whole_f > 0)


def needs_breakdown(uow: UnitOfWork, level: str, parent: int | None, by: str) -> pd.DataFrame:
    """Needs (not rejected) per area and status or category: one column per value, counts."""
    _check(level, parent)
    key, _ = _keys(level)
    column: Any = {"status": Need.status, "category": NeedCategory.name}[by]
    q = _in_area(
        select(key, column, func.count(Need.id))
        .select_from(Need)
        .join(Community, Need.community_id == Community.id)
        .join(NeedCategory, Need.category_id == NeedCategory.id)
        .where(Need.status != NeedStatus.REJECTED),
        level, parent,
    ).group_by(key, column)
    long = _frame(uow, q, ["area_id", by, "needs"])
    if by == "status":
        order = [s.label for s in NeedStatus if s is not NeedStatus.REJECTED]
        long["status"] = long["status"].map(lambda v: NeedStatus(v).label)
    else:
        order = sorted(long["category"].unique())
    wide = long.pivot_table(index="area_id", columns=by, values="needs", aggfunc="sum",
                            fill_value=0)
    wide = wide.reindex(columns=[c for c in order if c in wide.columns]).astype(int)
    names = _areas(uow, level, parent)[["area_id", "area"]]
    out = names.merge(wide.reset_index(), on="area_id", how="left").fillna(0)
    value_cols = [c for c in out.columns if c not in ("area_id", "area")]
    out[value_cols] = out[value_cols].astype(int)
    out.columns.name = None
    return out.sort_values("area", kind="stable").reset_index(drop=True)


def area_totals(summary: pd.DataFrame) -> dict[str, Any]:
    """The chosen area's own figures: its rows added up, shares worked out again."""
    open_cost = sum(summary["open_cost"], Decimal(0))
    funded = sum(summary["funded_cost"], Decimal(0))
    obc = int(summary["obc_population"].sum())
    needs = int(summary["needs"].sum())
    return {
        "communities": int(summary["communities"].sum()),
        "obc_population": obc,
        "needs": needs,
        "open_needs": int(summary["open_needs"].sum()),
        "open_cost": open_cost,
        "unfunded_cost": open_cost - funded,
        "funded_share": float(funded / open_cost) if open_cost else None,
        "services_received": int(summary["services_received"].sum()),
        "votes": int(summary["votes"].sum()),
        "needs_per_1000": needs * 1000 / obc if obc else None,
        "unfunded_per_person": to_money((open_cost - funded) / obc) if obc else None,
    }


def summary_xlsx(summary: pd.DataFrame, path: list[str], level: str) -> bytes:
    """The summary as a readable Excel sheet; `path` names the chosen area, top down."""
    lines = [
        "Area: " + (" › ".join(path) if path else "Regions IX–XII"),
        f"Rows: {LEVEL_NAMES[level].lower()} areas with OBC communities",
        "Money columns are about open needs (not completed, not rejected).",
    ]
    return table_workbook("Community needs summary", lines, summary, EXPORT_COLUMNS,
                          sheet="Needs summary", empty_note="No OBC community in this area.")


def summary_csv(summary: pd.DataFrame) -> bytes:
    """The summary as CSV, with the same headers as the Excel sheet."""
    return table_csv(summary, EXPORT_COLUMNS)
