"""The MOAs' menu of services for OBCs, and communities' applications with ratings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from obcms_core.domain.enums import ApplicationStatus as AP
from obcms_core.domain.enums import EligibilityLevel as EL
from obcms_core.domain.enums import OfferingStatus as OS
from obcms_core.domain.enums import ServiceType as ST
from obcms_core.pipelines.demo.base import (
    AS_OF,
    Ids,
    Row,
    day_between,
    log_uniform,
    pesos,
    pick,
    streams,
    weighted,
)
from obcms_core.pipelines.demo.communities import Obc
from obcms_core.pipelines.demo.snapshot import Moa
from obcms_core.pipelines.demo.texts import FEEDBACK

MOA_SERVICE = {"MOH": ST.HEALTH, "MBHTE": ST.EDUCATION, "MAFAR": ST.LIVELIHOOD,
               "MOLE": ST.TRAINING, "MSSD": ST.SOCIAL, "MTIT": ST.LIVELIHOOD, "MILG": ST.LEGAL,
               "MPW": ST.INFRASTRUCTURE, "MHSD": ST.INFRASTRUCTURE, "MOST": ST.TECHNICAL,
               "MENRE": ST.TECHNICAL, "BYC": ST.TRAINING, "BWC": ST.TRAINING,
               "CSEA": ST.FINANCIAL, "DAB": ST.TRAINING, "BHB": ST.TECHNICAL}
OFFERINGS: dict[ST, tuple[tuple[str, EL], ...]] = {
    ST.FINANCIAL: (("Micro-grants for OBC cooperatives", EL.ORGANIZATION),
                   ("Educational and burial assistance for OBC families", EL.HOUSEHOLD)),
    ST.TRAINING: (("Skills training for OBC out-of-school youth", EL.INDIVIDUAL),
                  ("Leadership training for OBC women", EL.INDIVIDUAL)),
    ST.LIVELIHOOD: (("Seaweed farming starter packages for OBC fisherfolk", EL.HOUSEHOLD),
                    ("Halal food processing livelihood packages", EL.ORGANIZATION)),
    ST.EDUCATION: (("College scholarship grants for OBC students", EL.INDIVIDUAL),
                   ("Training of madrasah teachers from OBC communities", EL.INDIVIDUAL)),
    ST.HEALTH: (("Medical and dental outreach for OBC barangays", EL.COMMUNITY),
                ("Health insurance enrolment assistance for OBC households", EL.HOUSEHOLD)),
    ST.INFRASTRUCTURE: (("Small community infrastructure grants for OBC barangays", EL.LGU),
                        ("Shelter repair kits for OBC families", EL.HOUSEHOLD)),
    ST.LEGAL: (("Legal aid clinic on land titling for OBCs", EL.HOUSEHOLD),
               ("Civil registration assistance for OBCs", EL.INDIVIDUAL)),
    ST.SOCIAL: (("Assistance to OBC individuals in crisis situations", EL.INDIVIDUAL),
                ("Social pension enrolment for OBC senior citizens", EL.INDIVIDUAL)),
    ST.TECHNICAL: (("Help with project proposals for OBC associations", EL.ORGANIZATION),
                   ("Solar and appropriate-technology demonstrations", EL.COMMUNITY)),
    ST.OTHER: (("Support to OBC community data collection", EL.COMMUNITY),),
}
HEADCOUNT = {EL.INDIVIDUAL: (1, 5), EL.HOUSEHOLD: (1, 20), EL.COMMUNITY: (20, 300),
             EL.ORGANIZATION: (10, 80), EL.LGU: (50, 500)}
CLOSED_MIX = {AP.APPROVED: 20, AP.COMPLETED: 40, AP.REJECTED: 15, AP.WAITLISTED: 10,
              AP.CANCELLED: 5, AP.IN_PROGRESS: 10}
OPEN_MIX = {AP.DRAFT: 10, AP.SUBMITTED: 25, AP.UNDER_REVIEW: 25, AP.ADDITIONAL_INFO_REQUIRED: 10,
            AP.APPROVED: 15, AP.IN_PROGRESS: 10, AP.WAITLISTED: 5}
TAKES_SLOT = {AP.APPROVED, AP.IN_PROGRESS, AP.COMPLETED}
RATINGS = {1: 5, 2: 8, 3: 20, 4: 40, 5: 27}


def _status(opens: date, closes: date | None, rand_value: float) -> OS:
    if opens > AS_OF:
        return OS.DRAFT
    if closes is not None and closes < AS_OF:
        return OS.CLOSED if rand_value < 0.85 else OS.ARCHIVED
    return OS.ACTIVE if rand_value < 0.85 else OS.PAUSED


def generate_services(
    n: int, moas: Sequence[Moa], focal: Sequence[Row], communities: Sequence[Obc], ids: Ids,
    seed: int,
) -> tuple[list[Row], list[Row]]:
    """Offerings (slots filled = approved applications) and their applications."""
    rand, _ = streams(seed, "services")
    weights = {m: (3.0 if m.acronym in MOA_SERVICE else 0.5) for m in moas}
    offers: list[Row] = []
    apps: list[Row] = []
    for _ in range(n):
        moa = weighted(rand, weights)
        kind = MOA_SERVICE.get(moa.acronym, ST.OTHER)
        title, level = pick(rand, OFFERINGS[kind])
        opens = day_between(rand, date(2022, 1, 10), date(2026, 1, 15))
        closes = None if rand.random() < 0.1 else opens + timedelta(days=rand.randint(30, 180))
        status = _status(opens, closes, rand.random())
        slots = rand.randint(20, 500)
        budget = pesos(log_uniform(rand, 200_000, 15_000_000))
        contacts = [f["id"] for f in focal if f["organization_id"] == moa.id
                    and f["role"] != "technical" and f["appointed_on"] <= opens
                    and (f["ended_on"] is None or f["ended_on"] >= opens)]
        offer_id = ids.one("service_offering")
        taken = 0
        last_day = min(closes or AS_OF, AS_OF)
        for _ in range(0 if status is OS.DRAFT else rand.randint(3, 18)):
            mix = CLOSED_MIX if status in (OS.CLOSED, OS.ARCHIVED) else OPEN_MIX
            app_status = weighted(rand, mix)
            heads = rand.randint(*HEADCOUNT[level])
            rated = app_status is AP.COMPLETED or (app_status is AP.IN_PROGRESS and
                                                   rand.random() < 0.4)
            rating = weighted(rand, RATINGS) if rated else None
            taken += app_status in TAKES_SLOT
            apps.append({
                "id": ids.one("service_application"), "offering_id": offer_id,
                "community_id": pick(rand, communities).id,
                "requested_amount": Decimal(pesos(budget / slots * heads * rand.uniform(0.5, 1.2),
                                                  100)),
                "beneficiary_count": heads, "status": app_status, "satisfaction_rating": rating,
                "feedback": pick(rand, FEEDBACK[rating]) if rating else None,
                "submitted_on": day_between(rand, opens, last_day), "is_demo": True,
            })
        share = rand.uniform(0.6, 1.0) if status in (OS.CLOSED, OS.ARCHIVED) else \
            0 if status is OS.DRAFT else rand.uniform(0.1, 0.6)
        offers.append({
            "id": offer_id, "title": title, "service_type": kind, "organization_id": moa.id,
            "focal_person_id": contacts[-1] if contacts else None, "eligibility_level": level,
            "eligibility_criteria": f"Open to OBC {level.label.lower()} applicants in Regions "
            "IX, X, XI and XII, endorsed by OOBC.", "total_slots": slots,
            "slots_filled": min(slots, taken), "budget_allocated": Decimal(budget),
            "budget_utilized": Decimal(pesos(budget * share, 100)) if share else Decimal(0),
            "opens_on": opens, "closes_on": closes, "status": status, "is_demo": True,
        })
    return offers, apps
