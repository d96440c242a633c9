"""The facts the scenario builder and optimiser weigh, per PPA of a fiscal year, from SQL.

Community votes: a PPA's `votes` is the sum over its linked needs of link share x the need's
participatory-budgeting vote score (0..1, see services.pb.need_vote_scores) in the fiscal
year's PB cycles. A budget year whose cycles have no votes yet (none opened, or no ballot
chose a need) uses the previous fiscal year's cycles instead, so planning that starts before
the year's consultation still hears the last one; `PPAFacts.votes_year` says which year's
votes were used (None: neither year has any, and every PPA's votes are 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import case, func, select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    PPA,
    Barangay,
    Community,
    FundingFlow,
    Municipality,
    Need,
    NeedPPALink,
    Organization,
    PPACoverage,
    Province,
    Region,
)
from obcms_core.domain.allocation.model import AllocationProblem, encode
from obcms_core.domain.enums import FlowType, FundingSource, PPASector, Urgency
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.rules import URGENCY_WEIGHT
from obcms_core.services.pb.priorities import need_vote_scores

NO_MOA = "(no MOA)"


@dataclass(frozen=True)
class PPAFacts:
    """One row per PPA competing in a fiscal year, plus the region table."""

    fiscal_year: int
    ppas: pd.DataFrame  # id, code, title, moa, sector, source, gad, request, baseline, votes...
    coverage: np.ndarray  # PPAs x regions, rows sum to 1
    regions: pd.DataFrame  # code, name, population
    votes_year: int | None = None  # the fiscal year whose PB votes fed `votes`; None: no votes

    @property
    def has_votes(self) -> bool:
        """True when the fiscal year (or, failing it, the year before) has PB votes to count."""
        return self.votes_year is not None


def _ppa_rows(uow: UnitOfWork, fiscal_year: int) -> pd.DataFrame:
    urgency = case(*[(Need.urgency == u, float(w)) for u, w in URGENCY_WEIGHT.items()], else_=0.0)
    links = (
        select(
            NeedPPALink.ppa_id.label("ppa_id"),
            func.sum(NeedPPALink.share * Need.priority_score).label("needs_value"),
            func.sum(NeedPPALink.share * Need.affected_population).label("population"),
            func.sum(NeedPPALink.share * urgency).label("urgency"),
            func.count(func.distinct(Need.id)).label("needs"),
            func.count(func.distinct(Need.community_id)).label("communities"),
        )
        .join(Need, Need.id == NeedPPALink.need_id)
        .group_by(NeedPPALink.ppa_id)
        .subquery()
    )
    request = func.coalesce(PPA.budget_ceiling, PPA.budget_allocation)
    query = (
        select(
            PPA.id,
            PPA.code,
            PPA.title,
            func.coalesce(Organization.acronym, NO_MOA).label("moa"),
            PPA.sector,
            PPA.funding_source.label("source"),
            PPA.compliance_gad.label("gad"),
            PPA.approval_status,
            request.label("request"),
            func.coalesce(PPA.budget_allocation, 0).label("baseline"),
            func.coalesce(links.c.needs_value, 0).label("needs_value"),
            func.coalesce(links.c.population, 0).label("population"),
            func.coalesce(links.c.urgency, 0).label("urgency"),
            func.coalesce(links.c.needs, 0).label("needs"),
            func.coalesce(links.c.communities, 0).label("communities"),
        )
        .outerjoin(Organization, Organization.id == PPA.implementing_org_id)
        .outerjoin(links, links.c.ppa_id == PPA.id)
        .where(PPA.fiscal_year == fiscal_year, request > 0)
        .order_by(PPA.code)
    )
    frame = pd.DataFrame(uow.session.execute(query).mappings().all())
    if frame.empty:
        raise ValidationFailed(f"FY{fiscal_year} has no PPAs with a requested amount.")
    for col in ("sector", "source", "approval_status"):
        frame[col] = frame[col].map(lambda v: getattr(v, "value", v))
    for col in ("request", "baseline", "needs_value", "population", "urgency"):
        frame[col] = frame[col].astype(float)
    return frame


def _regions(uow: UnitOfWork) -> pd.DataFrame:
    """Regions with their OBC population (census population where no community is recorded)."""
    obc = (
        select(Province.region_id, func.sum(Community.estimated_obc_population).label("obc"))
        .join(Municipality, Municipality.province_id == Province.id)
        .join(Barangay, Barangay.municipality_id == Municipality.id)
        .join(Community, Community.barangay_id == Barangay.id)
        .group_by(Province.region_id)
        .subquery()
    )
    census = (
        select(Province.region_id, func.sum(Province.population_2024).label("census"))
        .group_by(Province.region_id)
        .subquery()
    )
    rows = uow.session.execute(
        select(Region.id, Region.code, Region.name, obc.c.obc, census.c.census)
        .outerjoin(obc, obc.c.region_id == Region.id)
        .outerjoin(census, census.c.region_id == Region.id)
        .order_by(Region.id)
    ).all()
    frame = pd.DataFrame(rows, columns=["id", "code", "name", "obc", "census"])
    if frame.empty:
        raise ValidationFailed("Load the reference data first: python -m obcms_core load-reference")
    use_obc = frame["obc"].notna().any()
    frame["population"] = (frame["obc"] if use_obc else frame["census"]).fillna(0).astype(float)
    return frame[["id", "code", "name", "population"]]


def _coverage(uow: UnitOfWork, ppa_ids: list[int], regions: pd.DataFrame) -> np.ndarray:
    """Coverage shares per region; a PPA without recorded coverage serves all by population."""
    rows = uow.session.execute(
        select(PPACoverage.ppa_id, PPACoverage.region_id)
        .where(PPACoverage.ppa_id.in_(ppa_ids))
        .distinct()
    ).all()
    col = {rid: k for k, rid in enumerate(regions["id"])}
    row = {pid: k for k, pid in enumerate(ppa_ids)}
    matrix = np.zeros((len(ppa_ids), len(regions)))
    for ppa_id, region_id in rows:
        matrix[row[ppa_id], col[region_id]] = 1.0
    pop = regions["population"].to_numpy(dtype=float)
    default = pop / pop.sum() if pop.sum() > 0 else np.full(len(regions), 1 / len(regions))
    covered = matrix.sum(axis=1)
    matrix[covered == 0] = default
    matrix[covered > 0] /= covered[covered > 0, None]
    return matrix


def _moa_disbursement(uow: UnitOfWork, fiscal_year: int, moas: tuple[str, ...]) -> np.ndarray:
    """Each MOA's disbursements on the previous fiscal year's PPAs (NaN where none)."""
    rows = dict(
        uow.session.execute(
            select(Organization.acronym, func.sum(FundingFlow.amount))
            .join(PPA, PPA.id == FundingFlow.ppa_id)
            .join(Organization, Organization.id == PPA.implementing_org_id)
            .where(
                PPA.fiscal_year == fiscal_year - 1, FundingFlow.flow_type == FlowType.DISBURSEMENT
            )
            .group_by(Organization.acronym)
        ).all()
    )
    return np.array([float(rows[m]) if rows.get(m) is not None else np.nan for m in moas])


def vote_scores(uow: UnitOfWork, fiscal_year: int) -> tuple[dict[int, float], int | None]:
    """The need vote scores a budget year uses: its own PB cycles', else the previous year's."""
    for year in (fiscal_year, fiscal_year - 1):
        scores = {need: s for need, s in need_vote_scores(uow, year).items() if s > 0}
        if scores:
            return scores, year
    return {}, None


def _ppa_votes(uow: UnitOfWork, fiscal_year: int, scores: dict[int, float]) -> pd.Series:
    """Per PPA id: Σ over its voted needs of link share x vote score (PPAs without: absent)."""
    if not scores:
        return pd.Series(dtype=float)
    links = pd.DataFrame(
        uow.session.execute(
            select(NeedPPALink.ppa_id, NeedPPALink.need_id, NeedPPALink.share)
            .join(PPA, PPA.id == NeedPPALink.ppa_id)
            .where(PPA.fiscal_year == fiscal_year, NeedPPALink.need_id.in_(list(scores)))
        ).all(),
        columns=["ppa_id", "need_id", "share"],
    )
    weighted = links["share"].astype(float) * links["need_id"].map(scores).astype(float)
    return weighted.groupby(links["ppa_id"]).sum()


def load_facts(uow: UnitOfWork, fiscal_year: int) -> PPAFacts:
    """Every PPA of the fiscal year with its request, baseline, linked-needs value and votes."""
    ppas = _ppa_rows(uow, fiscal_year)
    scores, votes_year = vote_scores(uow, fiscal_year)
    ppas["votes"] = ppas["id"].map(_ppa_votes(uow, fiscal_year, scores)).fillna(0.0).astype(float)
    regions = _regions(uow)
    coverage = _coverage(uow, [int(i) for i in ppas["id"]], regions)
    return PPAFacts(fiscal_year, ppas, coverage, regions, votes_year)


def build_problem(
    uow: UnitOfWork, facts: PPAFacts, min_viable_share: float = 0.5
) -> AllocationProblem:
    """The optimiser's view of the fiscal year (PPA ids are their codes)."""
    ppas = facts.ppas
    sector, sectors = encode(list(ppas["sector"]), [s.value for s in PPASector])
    source, sources = encode(list(ppas["source"]), [s.value for s in FundingSource])
    moa, moas = encode(list(ppas["moa"]))
    return AllocationProblem(
        ppa_ids=tuple(ppas["code"]),
        cost=ppas["request"].to_numpy(),
        min_fraction=np.full(len(ppas), min_viable_share),
        needs_value=ppas["needs_value"].to_numpy(),
        population=ppas["population"].to_numpy(),
        urgency=ppas["urgency"].to_numpy(),
        coverage=facts.coverage,
        sector=sector,
        moa=moa,
        source=source,
        gad=ppas["gad"].to_numpy(dtype=bool),
        last_year=np.minimum(ppas["baseline"].to_numpy(), ppas["request"].to_numpy()),
        region_names=tuple(facts.regions["code"]),
        region_population=facts.regions["population"].to_numpy(),
        sector_names=sectors,
        moa_names=moas,
        source_names=sources,
        moa_disbursement=_moa_disbursement(uow, facts.fiscal_year, moas),
        votes=ppas["votes"].to_numpy(),
    )


__all__ = ["NO_MOA", "PPAFacts", "Urgency", "build_problem", "load_facts", "vote_scores"]
