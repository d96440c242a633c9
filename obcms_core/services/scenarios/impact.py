"""Impact of an allocation: needs addressed, community votes addressed, people served,
communities and regions reached."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import Need, NeedPPALink
from obcms_core.services.scenarios.problem import PPAFacts


@dataclass(frozen=True)
class Impact:
    total: float
    needs_addressed: float  # priority-weighted, in proportion to each PPA's funded share
    needs_touched: int  # distinct needs linked to a funded PPA
    population_served: float
    communities_reached: int
    regions_reached: int
    cost_per_beneficiary: float | None
    ppas_funded: int
    # share-weighted PB vote scores, in proportion to funding; None when no cycle has votes
    votes_addressed: float | None = None

    def as_row(self) -> dict[str, float | int | None]:
        return self.__dict__.copy()


def need_links(uow: UnitOfWork, facts: PPAFacts) -> pd.DataFrame:
    """Which needs and communities each competing PPA serves (ppa_id, need_id, community_id)."""
    rows = uow.session.execute(
        select(NeedPPALink.ppa_id, NeedPPALink.need_id, Need.community_id)
        .join(Need, Need.id == NeedPPALink.need_id)
        .where(NeedPPALink.ppa_id.in_([int(i) for i in facts.ppas["id"]]))
    ).all()
    return pd.DataFrame(rows, columns=["ppa_id", "need_id", "community_id"])


def impact_of(facts: PPAFacts, links: pd.DataFrame, amounts: np.ndarray) -> Impact:
    """The impact figures of pesos per PPA (in facts order); benefit scales with funding."""
    amounts = np.asarray(amounts, dtype=float)
    request = facts.ppas["request"].to_numpy(dtype=float)
    fraction = np.clip(amounts / request, 0, 1)
    funded = amounts > 0
    funded_ids = set(facts.ppas["id"][funded].astype(int))
    reached = links[links["ppa_id"].isin(funded_ids)]
    population = float(facts.ppas["population"].to_numpy(dtype=float) @ fraction)
    regions = int(((facts.coverage * funded[:, None]).sum(axis=0) > 0).sum())
    total = float(amounts.sum())
    return Impact(
        total=total,
        needs_addressed=float(facts.ppas["needs_value"].to_numpy(dtype=float) @ fraction),
        needs_touched=int(reached["need_id"].nunique()),
        population_served=population,
        communities_reached=int(reached["community_id"].nunique()),
        regions_reached=regions,
        cost_per_beneficiary=total / population if population > 0 else None,
        ppas_funded=int(funded.sum()),
        votes_addressed=(float(facts.ppas["votes"].to_numpy(dtype=float) @ fraction)
                         if facts.has_votes else None),
    )
