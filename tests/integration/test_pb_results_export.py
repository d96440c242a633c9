"""The results download: each rule's funding order per project, totals above, in two languages.

The five-ballot cycle of test_pb_results: greedy funds N1 then N3 (₱600,000, all the envelope).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from obcms_core.services.pb.queries import get_cycle
from obcms_core.services.pb.results import compare_rules
from obcms_core.services.pb.results_export import RULES, results_csv, results_xlsx
from obcms_core.services.pb.tally import clear_tally_cache
from tests.integration.pb_world import AFTER, DURING, build_world, cast_five, open_cycle


@pytest.fixture
def counted(db):
    build_world(db)
    clear_tally_cache()
    cycle_id = open_cycle(db)
    cast_five(db, cycle_id)
    with db.uow() as uow:
        results = compare_rules(uow, cycle_id)
        closed = get_cycle(uow, cycle_id, now=AFTER)
        running = get_cycle(uow, cycle_id, now=DURING)
    yield closed, running, results
    clear_tally_cache()


def test_the_sheet_lists_every_project_with_each_rules_funding_order(counted):
    closed, _, results = counted
    made = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    ws = load_workbook(BytesIO(results_xlsx(closed, results, generated_at=made))).active
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][0] == "Participatory budgeting results"
    lines = [r[0] for r in rows[1:8]]
    assert lines[0] == "Community priorities FY2026 · FY 2026 · envelope ₱600,000.00 · 5 ballots"
    assert lines[1] == "Voting has closed: these are the final results."
    assert lines[3].startswith(
        "Most votes first: 2 funded, ₱600,000.00 (100% of the envelope), ₱0.00 left over;")
    assert lines[6] == "Generated 2026-04-01 10:00 (Philippine time)"
    header = rows.index(("Code", "Project", "Cost", "Votes", "Most votes", "Equal shares",
                         "Total satisfaction"))
    table = rows[header + 1:]
    assert [(r[0], r[2], r[3]) for r in table] == [
        ("N1", 400000, 3), ("N2", 300000, 3), ("N3", 200000, 1), ("N4", 100000, 1)]
    for column, rule in enumerate(RULES, start=4):
        order = {r[0]: r[column] for r in table if r[column] is not None}
        assert sorted(order, key=order.__getitem__) == list(results[rule].funded)
    assert [r[4] for r in table] == [1, None, 2, None]


def test_the_csv_holds_the_same_rows_with_filipino_headers_and_plain_numbers(counted):
    closed, _, results = counted
    rows = list(csv.reader(StringIO(results_csv(closed, results, "fil").decode("utf-8-sig"))))
    assert rows[0] == ["Kodigo", "Proyekto", "Halaga", "Mga boto", "Pinakamaraming boto",
                       "Pantay na bahagi", "Kabuuang kasiyahan"]
    assert [r[:5] for r in rows[1:]] == [
        ["N1", rows[1][1], "400000.00", "3", "1"], ["N2", rows[2][1], "300000.00", "3", ""],
        ["N3", rows[3][1], "200000.00", "1", "2"], ["N4", rows[4][1], "100000.00", "1", ""]]


def test_a_download_while_voting_is_open_says_it_is_a_preview(counted):
    _, running, results = counted
    ws = load_workbook(BytesIO(results_xlsx(running, results, "fil"))).active
    assert ws["A3"].value == (
        "Bukas pa ang botohan: pansamantalang resulta na nagbabago habang dumarating ang mga"
        " balota.")
    assert ws.title == "Mga resulta"
    assert ws["A8"].value.startswith("Ginawa noong ") and ws["A8"].value.endswith(
        "(oras sa Pilipinas)")
