"""The scenario builder on real reference data plus a small demo world, on both databases."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

import numpy as np
import pytest
from sqlalchemy import func, select

from obcms_core.adapters.orm import PPA, AuditLog, ScenarioAllocation
from obcms_core.domain.access import Actor
from obcms_core.domain.allocation import ObjectiveWeights
from obcms_core.domain.enums import Role
from obcms_core.domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from obcms_core.pipelines.demo import seed_demo
from obcms_core.pipelines.reference import load_reference
from obcms_core.services.scenarios import analysis, compare, editing, optimise, store
from obcms_core.services.scenarios.rules import ScenarioRules

FY = 2026
OFFICER = Actor("budget", Role.BUDGET_OFFICER)
NAMES = count(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, backends):
    db = backends.new(request.param)
    load_reference(db, progress=lambda _m: None)
    seed_demo(db, scale=0.3, seed=7, progress=lambda _m: None)
    return db


def _new(db, **kwargs) -> int:
    with db.uow() as uow:
        sid = store.create_scenario(uow, OFFICER, name=f"S{next(NAMES)}", fiscal_year=FY, **kwargs)
        uow.commit()
    return sid


def _view(db, sid):
    with db.uow() as uow:
        return analysis.load_view(uow, sid)


def test_a_scenario_copied_from_the_baseline_holds_every_ppa_at_its_allocation(world):
    sid = _new(world)
    view = _view(world, sid)
    with world.uow() as uow:
        expected = uow.session.scalar(
            select(func.sum(PPA.budget_allocation)).where(PPA.fiscal_year == FY)
        )
    assert view.allocated == Decimal(expected)
    assert view.envelope == Decimal(expected)
    assert view.violations() == [] or all("GAD" in v for v in view.violations())


def test_a_ten_percent_raise_for_one_sector_touches_only_that_sector_and_can_be_undone(world):
    sid = _new(world)
    before = _view(world, sid).table.set_index("code")
    sector = before["sector"].value_counts().index[0]
    with world.uow() as uow:
        changed = editing.adjust(uow, sid, OFFICER, editing.Selection(sector=sector), percent=10)
        uow.commit()
    after = _view(world, sid).table.set_index("code")
    in_sector = before["sector"] == sector
    expected = np.minimum((before["amount"] * 1.1).round(2), before["request"])
    assert np.allclose(after.loc[in_sector, "amount"], expected[in_sector])
    assert after.loc[~in_sector, "amount"].equals(before.loc[~in_sector, "amount"])
    assert changed == int((expected[in_sector] != before.loc[in_sector, "amount"]).sum())
    with world.uow() as uow:
        editing.undo_last(uow, sid, OFFICER)
        uow.commit()
    assert _view(world, sid).table.set_index("code")["amount"].equals(before["amount"])


def test_cutting_the_envelope_lists_the_breach_in_words(world):
    sid = _new(world, envelope="1000000")
    assert any("envelope" in v.lower() for v in _view(world, sid).violations())


def test_a_cell_edit_above_the_request_is_refused_and_nothing_is_saved(world):
    sid = _new(world)
    view = _view(world, sid)
    first = view.table.iloc[0]
    with world.uow() as uow, pytest.raises(ValidationFailed, match="must be between"):
        editing.apply_edits(
            uow, sid, OFFICER, {int(first["id"]): editing.CellEdit(amount=first["request"] + 1)}
        )
    with world.uow() as uow:
        editing.apply_edits(
            uow,
            sid,
            OFFICER,
            {
                int(first["id"]): editing.CellEdit(
                    amount="1000.50", justification="pilot", locked=True
                )
            },
        )
        uow.commit()
    with world.uow() as uow:
        row = uow.session.get(ScenarioAllocation, (sid, int(first["id"])))
        assert (row.amount, row.justification, row.locked) == (Decimal("1000.50"), "pilot", True)
        with pytest.raises(ValidationFailed, match="locked"):
            editing.apply_edits(uow, sid, OFFICER, {int(first["id"]): editing.CellEdit(amount=5)})


def test_the_optimiser_result_becomes_a_new_draft_that_meets_every_rule(world):
    sid = _new(world, rules=ScenarioRules(gad_share=0.0))
    with world.uow() as uow:
        run_id = optimise.run_optimiser(
            uow, sid, OFFICER, optimise.OptimiserSettings(weights=ObjectiveWeights(needs=1))
        )
        uow.commit()
    with world.uow() as uow:
        run = optimise.get_run(uow, run_id)
        assert run.status == "optimal" and run.gap is not None and run.gap <= 0.005
        new_id = optimise.apply_run(uow, run_id, OFFICER, name="Optimised")
        uow.commit()
    base, best = _view(world, sid), _view(world, new_id)
    assert best.violations() == []
    assert best.allocated <= best.envelope
    assert best.impact().needs_addressed >= base.impact().needs_addressed - 1e-6


def test_compare_shows_totals_that_add_up_per_scenario(world):
    a = _new(world)
    b = _new(world)
    with world.uow() as uow:
        editing.adjust(uow, b, OFFICER, editing.Selection(), percent=-20)
        uow.commit()
        result = compare.compare(uow, [a, b])
    assert len(result.summary) == 2
    for dim, table in result.by_dimension.items():
        assert np.allclose(table.sum().to_numpy(), result.summary["total"].to_numpy()), dim
    assert len(result.top_differences) > 0


def test_only_budget_officers_edit_and_only_drafts_change(world):
    with world.uow() as uow, pytest.raises(PermissionDenied):
        store.create_scenario(uow, Actor("a", Role.ANALYST), name="x", fiscal_year=FY)
    sid = _new(world)
    with world.uow() as uow:
        store.set_status(uow, sid, "under_review", OFFICER)
        with pytest.raises(PermissionDenied):
            store.set_status(uow, sid, "approved", OFFICER)
        store.set_status(uow, sid, "approved", Actor("exec", Role.EXECUTIVE))
        with pytest.raises(IllegalTransition):
            store.set_status(uow, sid, "draft", OFFICER)
        with pytest.raises(ValidationFailed, match="only drafts"):
            editing.adjust(uow, sid, OFFICER, editing.Selection(), percent=5)
        uow.commit()
    with world.uow() as uow:
        actions = set(
            uow.session.scalars(
                select(AuditLog.action).where(
                    AuditLog.entity == "scenario", AuditLog.entity_id == str(sid)
                )
            )
        )
    assert {"create", "status"} <= actions


def test_rebalancing_keeps_the_total_fixed(world):
    view = _view(world, _new(world))
    totals = view.table.groupby("sector")["amount"].sum()
    targets = totals.to_dict()
    first, second = list(targets)[:2]
    shift = min(targets[first] * 0.1, 1_000_000)
    targets[first] -= shift
    targets[second] += shift
    new = editing.rebalance_amounts(view.table, "sector", targets)
    assert abs(new.sum() - view.table["amount"].sum()) <= max(1.0, 0.002 * shift + 1)
    assert new[view.table["sector"] == first].sum() < totals[first]


def test_undo_restores_the_justification_as_well_as_the_amount(world):
    sid = _new(world)
    first = _view(world, sid).table.iloc[1]
    with world.uow() as uow:
        editing.apply_edits(
            uow,
            sid,
            OFFICER,
            {int(first["id"]): editing.CellEdit(amount="2000.00", justification="revised")},
        )
        uow.commit()
    with world.uow() as uow:
        editing.undo_last(uow, sid, OFFICER)
        uow.commit()
    with world.uow() as uow:
        row = uow.session.get(ScenarioAllocation, (sid, int(first["id"])))
        assert row.amount == Decimal(str(first["amount"])).quantize(Decimal("0.01"))
        assert row.justification == first["justification"]


def test_a_must_fund_code_outside_the_fiscal_year_is_reported_not_a_crash(world):
    sid = _new(world, rules=ScenarioRules(must_fund=["NOT-A-PPA"]))
    assert any("NOT-A-PPA" in v for v in _view(world, sid).violations())
    with world.uow() as uow, pytest.raises(ValidationFailed, match="NOT-A-PPA"):
        optimise.run_optimiser(uow, sid, OFFICER, optimise.OptimiserSettings())
