"""Run every generator in dependency order and bulk-insert the result in foreign-key order."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

from obcms_core.adapters.db import UnitOfWork
from obcms_core.domain.errors import ValidationFailed
from obcms_core.pipelines.demo.base import NEEDS_REFERENCE, Ids, Row, make_plan, streams
from obcms_core.pipelines.demo.catalogue import THEMES
from obcms_core.pipelines.demo.communities import generate_communities
from obcms_core.pipelines.demo.coordination import generate_meetings, generate_reports
from obcms_core.pipelines.demo.funding import generate_flows
from obcms_core.pipelines.demo.links import generate_need_links
from obcms_core.pipelines.demo.needs import generate_needs
from obcms_core.pipelines.demo.policies import generate_policies
from obcms_core.pipelines.demo.ppa_extras import generate_indicators, generate_trails
from obcms_core.pipelines.demo.ppas import generate_ppas
from obcms_core.pipelines.demo.services import generate_services
from obcms_core.pipelines.demo.snapshot import load_snapshot
from obcms_core.pipelines.demo.store import insert_rows, reset_sequences
from obcms_core.pipelines.demo.texts import full_name
from obcms_core.pipelines.demo.users import DEMO_MOA, create_demo_users, generate_focal_persons

Categories = dict[str, tuple[int, str]]


def _categories(known: Categories, ids: Ids) -> tuple[list[Row], Categories]:
    """Need categories by name; existing ones (and their weights) are kept, missing ones added."""
    rows: list[Row] = []
    result = dict(known)
    for theme in THEMES:
        if theme.name not in result:
            new_id = ids.one("need_category")
            rows.append({"id": new_id, "name": theme.name, "sector": theme.sector,
                         "weight": Decimal(theme.weight)})
            result[theme.name] = (new_id, theme.weight)
    return rows, result


def generate_all(
    uow: UnitOfWork, scale: float, seed: int, progress: Callable[[str], None]
) -> tuple[dict[str, int], list[str]]:
    """Generate and insert every demo table; returns rows per table and notes for the report."""
    session = uow.session
    clock = time.perf_counter()
    snap = load_snapshot(session)
    places = [p for p in snap.places if p.barangay_id not in snap.taken_barangays]
    if not places or not snap.moas:
        raise ValidationFailed(NEEDS_REFERENCE)
    plan = make_plan(scale, len(places))
    ids = Ids(snap.next_ids)
    notes: list[str] = []
    if plan.communities_capped:
        notes.append(f"communities capped at {plan.communities:,}, the barangays free for one "
                     f"(scale {scale:g} asked for {plan.communities_wanted:,})")
    user_moa = snap.moa(DEMO_MOA) or snap.moas[0]
    if user_moa.acronym != DEMO_MOA:
        notes.append(f"no {DEMO_MOA} in the organisations; the demo MOA focal user belongs to "
                     f"{user_moa.acronym}")
    progress(f"Generating demo data at scale {scale:g} (seed {seed})...")
    users = create_demo_users(uow, snap.usernames, user_moa)
    category_rows, categories = _categories(snap.categories, ids)
    community_rows, obcs = generate_communities(
        places, plan.communities, ids.take("community", plan.communities), seed)
    rand, _ = streams(seed, "staff")
    staff = [full_name(rand) for _ in range(12)]
    need_rows, needs = generate_needs(obcs, plan.needs, ids.take("need", plan.needs),
                                      categories, snap.moas, staff, seed)
    ppa_rows, coverage, ppas = generate_ppas(plan.ppas_per_year, needs, obcs, snap.moas,
                                             snap.regions, ids, seed)
    need_links = generate_need_links(needs, need_rows, ppas, seed)
    slots = {r["id"]: r["obc_slots"] for r in ppa_rows}
    policy = generate_policies(plan.policies, obcs, needs, ppas, [m.acronym for m in snap.moas],
                               ids, seed)
    focal_user = (users["moafocal"], user_moa) if "moafocal" in users else None
    focal = generate_focal_persons(snap.moas, ids, seed, focal_user)
    meetings = generate_meetings(snap.meeting_keys, ids, seed)
    offers, apps = generate_services(plan.offerings, snap.moas, focal, obcs, ids, seed)
    tables: list[tuple[str, str, list[Row]]] = [
        ("need_categories", "need_category", category_rows),
        ("communities", "community", community_rows),
        ("needs", "need", need_rows),
        ("ppas", "ppa", ppa_rows),
        ("ppa_coverage", "ppa_coverage", coverage),
        ("ppa_indicators", "ppa_indicator", generate_indicators(ppas, slots, ids, seed)),
        ("ppa_status_changes", "ppa_status_change", generate_trails(ppas, ids, seed)),
        ("funding_flows", "funding_flow", generate_flows(ppas, ids, seed)),
        ("need_ppa_links", "need_ppa_link", need_links),
        ("policies", "policy_recommendation", policy.policies),
        ("policy_milestones", "policy_milestone", policy.milestones),
        ("policy_need_links", "policy_need_link", policy.need_links),
        ("policy_ppa_links", "policy_ppa_link", policy.ppa_links),
        ("focal_persons", "focal_person", focal),
        ("coordination_meetings", "coordination_meeting", meetings),
        ("moa_quarterly_reports", "moa_quarterly_report",
         generate_reports(meetings, snap.moas, ppas, obcs, snap.report_keys, ids, seed)),
        ("service_offerings", "service_offering", offers),
        ("service_applications", "service_application", apps),
    ]
    total = sum(len(rows) for _, _, rows in tables)
    progress(f"Generated {total:,} rows in {time.perf_counter() - clock:.1f} s; writing...")
    counts = {"users": len(users)}
    for name, table, rows in tables:
        counts[name] = insert_rows(session, table, rows)
    reset_sequences(session)
    progress(f"Wrote {total:,} rows ({time.perf_counter() - clock:.1f} s so far).")
    return counts, notes
