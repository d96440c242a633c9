"""Community votes on the optimiser and the scenario builder, on the hand-built sample.

The sample has FY2025 PPAs and no participatory-budgeting cycle; one need, "Water system for
Fort Pikit", is linked (share 1) to MPW-2025-010 (₱48,000,000.00 allocated of a
₱49,000,000.00 request). A FY2025 cycle offering that need, with one ballot choosing it, gives
the need the best support (1 of 1 ballots), so its vote score is 1 and MPW-2025-010's votes 1.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError
from workbench_harness import signed_in, texts

from obcms_core.adapters.orm import Need
from obcms_core.domain.access import Actor
from obcms_core.domain.enums import Role
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    BallotChoice,
    CycleSpec,
    create_cycle,
    projects_from_needs,
    submit_ballot,
)
from obcms_core.services.scenarios import store

OFFICER = Actor("budget", Role.BUDGET_OFFICER)
OPENS = datetime(2025, 3, 1, tzinfo=UTC)
NO_VOTES = "No participatory-budgeting votes for FY 2025 or FY 2024"


def scenario(db: Database) -> int:
    with db.uow() as uow:
        sid = store.create_scenario(uow, OFFICER, name="FY2025 draft", fiscal_year=2025)
        uow.commit()
    return sid


def vote_for(db: Database, title: str = "Water system for Fort Pikit") -> None:
    """A FY2025 cycle offering the need, and one ballot for it."""
    with db.uow() as uow:
        need = uow.session.scalar(select(Need.id).where(Need.title == title))
        cycle = create_cycle(uow, Actor("planner", Role.PLANNER), CycleSpec(
            name="Barangay priorities FY2025", fiscal_year=2025, envelope=10_000_000,
            opens_at=OPENS, closes_at=OPENS + timedelta(days=30)),
            projects_from_needs(uow, [need]))
        submit_ballot(uow, cycle, "resident-1", BallotChoice([f"N{need}"]),
                      now=OPENS + timedelta(days=1))
        uow.commit()


def page(username: str, scenario_id: int, file: str) -> AppTest:
    at = signed_in(username)
    at.session_state["sc_current"] = scenario_id
    return at.switch_page(file).run()


def test_without_votes_the_votes_slider_is_off_and_says_why(sample_db: Database) -> None:
    at = page("budget", scenario(sample_db), "pages/optimiser.py")
    assert not at.exception
    slider = at.slider(key="opt_w_votes")
    assert slider.label == "Community votes (participatory budgeting)"
    assert slider.proto.disabled and slider.value == 0.0
    assert "participatory budgeting" in slider.help
    assert any(c.startswith(NO_VOTES) for c in texts(at.caption))
    with pytest.raises(AppTestError):
        slider.set_value(0.5)
    assert not at.slider(key="opt_w_needs").proto.disabled


def test_votes_for_needs_no_ppa_addresses_leave_the_slider_off_and_say_so(
    sample_db: Database,
) -> None:
    vote_for(sample_db, "Potable water for Balangasan")  # linked to no PPA
    at = page("budget", scenario(sample_db), "pages/optimiser.py")
    assert at.slider(key="opt_w_votes").proto.disabled
    assert any(c.startswith("The FY 2025 participatory-budgeting votes went to needs that no "
                            "FY 2025 PPA addresses") for c in texts(at.caption))


def test_with_votes_the_slider_opens_and_a_run_reports_the_votes_addressed(
    sample_db: Database,
) -> None:
    vote_for(sample_db)
    at = page("budget", scenario(sample_db), "pages/optimiser.py")
    slider = at.slider(key="opt_w_votes")
    assert not slider.proto.disabled
    assert not any(c.startswith(NO_VOTES) for c in texts(at.caption))
    slider.set_value(1.0)
    at.button(key="opt_run").click().run()
    assert not at.exception
    impact = at.dataframe[0].value.set_index("figure")
    # now: 48/49 of the request funded; the optimiser has no reason to fund it less
    assert impact.loc["Community votes addressed", "before"] == "0.98"


def test_the_builder_shows_each_ppas_votes_and_the_votes_addressed(sample_db: Database) -> None:
    sid = scenario(sample_db)
    at = page("budget", sid, "pages/scenario_builder.py")
    assert not at.exception
    metric = next(m for m in at.metric if m.label == "Community votes addressed")
    assert metric.value == "—"
    table = at.data_editor[0] if at.data_editor else at.dataframe[0]
    assert table.value["votes"].isna().all()

    vote_for(sample_db)
    st.cache_data.clear()  # the votes arrived outside this session: forget the cached view
    at = page("budget", sid, "pages/scenario_builder.py")
    metric = next(m for m in at.metric if m.label == "Community votes addressed")
    assert metric.value == "0.98"  # 1 vote x 48/49 funded
    votes = dict(zip(at.data_editor[0].value["code"], at.data_editor[0].value["votes"],
                     strict=True))
    assert votes == {"MBHTE-2025-004": 0.0, "MOH-2025-001": 0.0, "MPW-2025-010": 1.0,
                     "MPW-2025-011": 0.0}
