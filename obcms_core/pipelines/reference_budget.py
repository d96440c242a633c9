"""The 43 BARMM MOAs and the GAAB 2025 PPAs with their indicators (the FY2025 baseline)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import PPA, Organization, PPAIndicator
from obcms_core.domain.enums import (
    ApprovalStatus,
    FundingSource,
    ImplementationStatus,
    IndicatorType,
    OrgType,
    PPAKind,
    PPASector,
)
from obcms_core.domain.money import to_money

MOA_FILE = "barmm_moas.csv"
PPA_FILE = "gaab_2025_ppas.csv"
INDICATOR_FILE = "gaab_2025_ppa_indicators.csv"
BASELINE_YEAR = 2025

# The GAAB file has no sector column: a line item takes its MOA's mandate sector.
MOA_SECTOR = {
    **dict.fromkeys(
        ["MAFAR", "MTIT", "BBOI", "CSEA", "BEZA", "MOLE", "MOST", "BHB"], PPASector.ECONOMIC
    ),
    **dict.fromkeys(
        ["MBHTE", "MOH", "MSSD", "MHSD", "BWC", "BYC", "BSC", "BPA", "BDI", "MIPA", "BCPCH", "BEB"],
        PPASector.SOCIAL,
    ),
    **dict.fromkeys(
        ["MPW", "MOTC", "BICTO", "BPMA", "BMARINA", "CABB", "CAAB"], PPASector.INFRASTRUCTURE
    ),
    **dict.fromkeys(["MENRE", "BDRRMC", "BSDB"], PPASector.ENVIRONMENT),
    **dict.fromkeys(["MPOS", "BRPOC", "BHRC"], PPASector.PEACE_SECURITY),
}


def load_moas(session: Session, reference_dir: Path) -> dict[str, int]:
    """Insert the BARMM MOAs with their parents; returns acronym → organisation id."""
    moas = pd.read_csv(reference_dir / MOA_FILE, dtype=str, keep_default_na=False)
    ids = {o.acronym: o.id for o in session.scalars(select(Organization)) if o.acronym}
    for row in moas.to_dict("records"):
        if row["acronym"] not in ids:
            org = Organization(
                name=row["name"], acronym=row["acronym"], org_type=OrgType.MOA, moa_kind=row["kind"]
            )
            session.add(org)
            session.flush()
            ids[row["acronym"]] = org.id
    for row in moas.to_dict("records"):
        if row["parent_acronym"]:
            session.get_one(Organization, ids[row["acronym"]]).parent_id = ids[
                row["parent_acronym"]
            ]
    return ids


def _target_value(target: str) -> Decimal | None:
    """The number in a target such as '95%' or '1,200 farmers' (None when there is none)."""
    found = re.search(r"-?\d[\d,]*(?:\.\d+)?", target or "")
    return Decimal(found.group(0).replace(",", "")) if found else None


def load_gaab_baseline(
    session: Session, reference_dir: Path, org_ids: dict[str, int]
) -> tuple[int, Decimal, int]:
    """Insert the enacted GAAB 2025 line items and indicators: (PPAs, total ₱, indicators)."""
    ppas = pd.read_csv(reference_dir / PPA_FILE, dtype=str, keep_default_na=False)
    indicators = pd.read_csv(reference_dir / INDICATOR_FILE, dtype=str, keep_default_na=False)
    existing = set(session.scalars(select(PPA.code).where(PPA.is_baseline.is_(True))))
    per_moa: dict[str, int] = {}
    code_of: dict[tuple[str, str], str] = {}
    total = Decimal(0)
    for row in ppas.to_dict("records"):
        acronym = row["moa_acronym"]
        if acronym not in org_ids:  # a GAAB MOA missing from the directory file (e.g. BAGO)
            org = Organization(
                name=row["moa_name"], acronym=acronym, org_type=OrgType.MOA, moa_kind="office"
            )
            session.add(org)
            session.flush()
            org_ids[acronym] = org.id
        per_moa[acronym] = per_moa.get(acronym, 0) + 1
        code = f"GAAB{BASELINE_YEAR}-{acronym}-{per_moa[acronym]:03d}"
        code_of[(acronym, row["ppa_title"])] = code
        amount = to_money(row["approved_budget_php"])
        total += amount
        if code in existing:
            continue
        session.add(
            PPA(
                code=code,
                title=row["ppa_title"],
                kind=PPAKind.MOA_PPA,
                description=f"GAAB {BASELINE_YEAR} line item of the {row['moa_name']}.",
                implementing_org_id=org_ids[acronym],
                sector=MOA_SECTOR.get(acronym, PPASector.GOVERNANCE),
                appropriation_class=None,
                funding_source=FundingSource.GAAB,
                fiscal_year=BASELINE_YEAR,
                budget_allocation=amount,
                approval_status=ApprovalStatus.ENACTED,
                status=ImplementationStatus.ONGOING,
                is_baseline=True,
            )
        )
    session.flush()
    ppa_ids = {
        row.code: row.id
        for row in session.execute(select(PPA.code, PPA.id).where(PPA.is_baseline))
    }
    baseline_ids = list(ppa_ids.values())
    session.execute(delete(PPAIndicator).where(PPAIndicator.ppa_id.in_(baseline_ids)))
    rows = [
        {
            "ppa_id": ppa_ids[code_of[(r["moa_acronym"], r["ppa_title"])]],
            "indicator_type": IndicatorType(r["indicator_type"]),
            "description": r["indicator"],
            "target_text": r["target"] or None,
            "target_value": _target_value(r["target"]),
            "unit": "%" if r["target"].strip().endswith("%") else None,
        }
        for r in indicators.to_dict("records")
    ]
    if rows:
        session.execute(insert(PPAIndicator), rows)
    return len(ppas), total, len(rows)
