"""The demo generators on their own: deterministic, plausible, and within the budget rules."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pytest

from obcms_core.domain.enums import ApprovalStatus, FlowType, NeedStatus, Role
from obcms_core.domain.rules import milestone_is_overdue, priority_score
from obcms_core.domain.workflow import TRANSITIONS
from obcms_core.pipelines.demo import DEMO_AS_OF, DEMO_USERS
from obcms_core.pipelines.demo.base import Ids, make_plan, split_integer
from obcms_core.pipelines.demo.catalogue import THEMES
from obcms_core.pipelines.demo.communities import generate_communities
from obcms_core.pipelines.demo.funding import generate_flows
from obcms_core.pipelines.demo.links import generate_need_links
from obcms_core.pipelines.demo.needs import generate_needs
from obcms_core.pipelines.demo.policies import generate_policies
from obcms_core.pipelines.demo.ppa_extras import generate_trails
from obcms_core.pipelines.demo.ppas import generate_ppas
from obcms_core.pipelines.demo.profiles import fold_province, profile_for
from obcms_core.pipelines.demo.snapshot import Moa, Place

PROVINCES = ((1, "IX", "SULU"), (2, "IX", "CITY OF ZAMBOANGA"), (3, "X", "LANAO DEL NORTE"),
             (4, "XI", "DAVAO CITY (HUC)"), (5, "XII", "SARANGANI"))
REGION_IDS = {"IX": 1, "X": 2, "XI": 3, "XII": 4}
MOAS = [Moa(i, a, f"Office {a}") for i, a in
        enumerate(("OOBC", "MOH", "MBHTE", "MPW", "MAFAR", "MSSD", "MTIT", "MILG", "MHSD"), 1)]
CATEGORIES = {t.name: (i, t.weight) for i, t in enumerate(THEMES, 1)}


def places(per_province: int = 80) -> list[Place]:
    rows = []
    for prov, region, name in PROVINCES:
        for k in range(per_province):
            town = prov * 10 + k % 4
            rows.append(Place(
                len(rows) + 1, f"Barangay {len(rows) + 1}", 40 + (len(rows) * 97) % 5000, None,
                None, town, f"Town {town}", k % 4 == 0, None, None, None, prov, name.title(), name,
                7.0, 123.0, None, REGION_IDS[region], region))
    return rows


def world(seed: int = 11, communities: int = 300, needs: int = 2000, per_year: int = 40):
    comm_rows, obcs = generate_communities(places(), communities, range(1, communities + 1), seed)
    need_rows, facts = generate_needs(obcs, needs, range(1, needs + 1), CATEGORIES, MOAS,
                                      ["OOBC staff"], seed)
    ids = Ids({})
    ppa_rows, _coverage, ppas = generate_ppas(
        per_year, facts, obcs, MOAS, {i: (c, f"Region {c}") for c, i in REGION_IDS.items()},
        ids, seed)
    links = generate_need_links(facts, need_rows, ppas, seed)
    return comm_rows, obcs, need_rows, facts, ppa_rows, ppas, links, ids


@pytest.fixture(scope="module")
def generated():
    return world()


def test_the_same_seed_generates_the_same_needs_and_another_seed_does_not():
    small = {"communities": 60, "needs": 300, "per_year": 8}
    first = world(seed=3, **small)
    assert first[2] == world(seed=3, **small)[2] and first[4] == world(seed=3, **small)[4]
    assert [r["title"] for r in first[2]] != [r["title"] for r in world(seed=4, **small)[2]]


def test_census_spellings_of_a_province_find_its_profile():
    assert fold_province("CITY OF ZAMBOANGA") == fold_province("Zamboanga City") == "zamboanga"
    assert fold_province("DAVAO CITY (HUC)") == "davao"
    assert fold_province("Compostela Valley") == "davao de oro"
    assert profile_for("Nowhere", "XII").groups == profile_for("Elsewhere", "XII").groups


def test_communities_never_count_more_obcs_than_the_barangay_has_people(generated):
    by_barangay = {p.barangay_id: p.population for p in places()}
    rows = generated[0]
    assert len({r["barangay_id"] for r in rows}) == len(rows) == 300
    assert len({r["obc_code"] for r in rows}) == len(rows)
    for row in rows:
        assert 0 < row["households"] <= row["estimated_obc_population"] <= \
            by_barangay[row["barangay_id"]]
        assert row["is_demo"]


def test_sulu_communities_are_tausug_sama_or_badjao_and_lanao_ones_meranaw(generated):
    groups: dict[str, Counter[str]] = {}
    for obc in generated[1]:
        groups.setdefault(obc.place.province_key, Counter())[obc.group.value] += 1
    sulu, lanao = groups["SULU"], groups["LANAO DEL NORTE"]
    assert (sulu["tausug"] + sulu["sama"] + sulu["badjao"]) / sum(sulu.values()) > 0.8
    assert lanao.most_common(1)[0][0] == "meranaw"
    assert "meranaw" not in sulu


def test_need_titles_name_the_barangay_and_scores_follow_the_priority_rule(generated):
    obcs = {o.id: o for o in generated[1]}
    weights = {i: Decimal(w) for i, w in CATEGORIES.values()}
    for row in generated[2]:
        assert obcs[row["community_id"]].place.barangay in row["title"]
        assert len(row["description"]) > 80
        assert row["affected_population"] <= obcs[row["community_id"]].population
        assert row["priority_score"] == priority_score(
            row["urgency"], row["severity"], row["feasibility"], row["affected_population"],
            weights[row["category_id"]])


def test_between_35_and_50_percent_of_validated_and_prioritized_needs_are_funded(generated):
    rows = [r for r in generated[2]
            if r["status"] in (NeedStatus.VALIDATED, NeedStatus.PRIORITIZED)]
    funded = sum(r["budget_included_on"] is not None for r in rows) / len(rows)
    assert 0.35 <= funded <= 0.50
    running = [r for r in generated[2] if r["status"] in (NeedStatus.PLANNED,
                                                          NeedStatus.IN_PROGRESS)]
    assert all(r["budget_included_on"] for r in running)
    assert all(0 < link["share"] <= 1 for link in generated[6])


def test_ppa_amounts_keep_ceiling_above_allocation_above_obc_share(generated):
    for row in generated[4]:
        assert row["budget_ceiling"] >= row["budget_allocation"] >= row["obc_allocation"] > 0
        if row["total_slots"] is not None:
            assert 0 < row["obc_slots"] <= row["total_slots"]
        assert row["target_end_date"] >= row["start_date"]


def test_past_years_are_enacted_and_fy2026_is_spread_across_the_workflow(generated):
    statuses = Counter((r["fiscal_year"] < 2026, r["approval_status"]) for r in generated[4])
    assert {s for past, s in statuses if past} == {ApprovalStatus.ENACTED}
    assert len({s for past, s in statuses if not past}) >= 5


def test_approval_trails_only_take_steps_the_workflow_allows(generated):
    trails = generate_trails(generated[5], Ids({}), 11)
    assert trails and all((t["from_status"], t["to_status"]) in TRANSITIONS for t in trails)
    last = {t["ppa_id"]: t["to_status"] for t in trails}
    for ppa in generated[5]:
        assert last.get(ppa.id, ApprovalStatus.DRAFT) == ppa.approval


def test_funding_flows_never_obligate_more_than_allotted_nor_pay_more_than_obligated(generated):
    flows = generate_flows(generated[5], Ids({}), 11)
    totals: dict[int, Counter[str]] = {}
    for f in flows:
        totals.setdefault(f["ppa_id"], Counter())[f["flow_type"]] += f["amount"]
        assert f["flow_date"] <= DEMO_AS_OF
    allocation = {p.id: p.allocation for p in generated[5]}
    past_rates = []
    for ppa_id, t in totals.items():
        allot, oblig = t[FlowType.ALLOTMENT], t[FlowType.OBLIGATION]
        assert allocation[ppa_id] >= allot >= oblig >= t[FlowType.DISBURSEMENT] > 0
        past_rates.append(oblig / allot)
    assert sum(0.6 <= r <= 0.98 for r in past_rates) / len(past_rates) > 0.8
    assert not any(p.fy == 2026 for p in generated[5] if p.id in totals)


def test_some_policy_milestones_are_overdue_and_numbers_follow_the_pattern(generated):
    _, obcs, _, facts, _, ppas, _, ids = generated
    out = generate_policies(120, obcs, facts, ppas, ["MOH"], ids, 11)
    overdue = [m for m in out.milestones
               if milestone_is_overdue(m["target_date"], m["completed_on"], DEMO_AS_OF)]
    assert 0 < len(overdue) < len(out.milestones)
    per_policy = Counter(m["policy_id"] for m in out.milestones)
    assert set(per_policy.values()) <= {2, 3, 4, 5, 6}
    numbers = [p["reference_number"] for p in out.policies]
    assert len(set(numbers)) == 120
    assert all(n.startswith("OOBC-PR-20") and len(n) == len("OOBC-PR-2024-0042") for n in numbers)
    assert out.need_links and out.ppa_links


def test_scale_multiplies_the_counts_and_caps_communities_at_the_barangays_available():
    plan = make_plan(10, 6597)
    assert (plan.needs, plan.ppas_per_year, plan.policies) == (50_000, 600, 3000)
    assert plan.communities == 6597 and plan.communities_capped
    small = make_plan(0.02, 6597)
    assert (small.communities, small.needs) == (30, 100) and not small.communities_capped


def test_one_demo_user_per_role_with_the_documented_password():
    assert [r for _, r, _, _ in DEMO_USERS] == list(Role)
    assert all(password == f"{name}-demo-2025" for name, _, _, password in DEMO_USERS)


def test_an_amount_split_into_parts_adds_up_to_the_centavo():
    rand = random.Random(1)
    for total in (0, 1, 99, 123_456_789):
        parts = split_integer(rand, total, 4)
        assert sum(parts) == total and min(parts) >= 0
