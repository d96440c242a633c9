"""The results page: the live tally of an open cycle, each rule's outcome, fairness, weights and
the reason equal shares left a project out.

"Last year's vote" (tests/app/pb_app_world.py) has a ₱3,000,000.00 envelope and seven approval
ballots: water (₱2.4 M) 3 votes, rooms (₱1.2 M) 4, pay (₱0.8 M) 4, big none. Worked by hand:
- most votes first funds rooms and pay (₱2.0 M); water then no longer fits;
- maximum welfare: {rooms, pay} gives 4×1.2 M + 4×0.8 M = ₱8.0 M of satisfaction, {water}
  only 3×2.4 M = ₱7.2 M; nothing larger fits;
- equal shares: each voter holds ₱3 M / 7; rooms and pay are each bought by their four
  supporters, water's three supporters hold far less than ₱2.4 M.
So each rule funds rooms then pay. When equal shares stop, water's supporters hold two full
shares of ₱428,571.43 and v3's ₱128,571.43 left after paying ₱300,000 towards rooms:
₱985,714.29, 41% of ₱2.4 M, ₱1,414,285.71 short, which 4 more full shares would cover.
Five of the seven voters backed a funded project; their
satisfactions are 0, 0, 1.2, 2, 2, 2 and 0.8 million: average ₱8.0 M / 7 = ₱1,142,857.14 and
Gini = (sum of pairwise gaps 22.4 M) / (7² × 8/7 M) = 0.40.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pb_app_world import Cycles, build_cycles, open_cycle, vote
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest
from workbench_harness import open_app, texts, url_of
from workbench_sample import build_sample

from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule
from obcms_core.services.database import Database
from obcms_core.services.pb import compare_rules, get_cycle

RULE_NAMES = {CountingRule.GREEDY: "Most votes first", CountingRule.MES: "Method of Equal Shares",
              CountingRule.MAX_WELFARE: "Greatest total satisfaction"}


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Cycles:
    build_sample(db)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    return build_cycles(db)


def results_page(cycle_id: int, lang: str = "en") -> AppTest:
    at = open_app().run()
    at.switch_page("pages/pb_results.py").run()
    if lang != "en":
        at.radio(key="pbr_lang").set_value(lang).run()
    return at.selectbox(key=f"pbr_cycle_{lang}").set_value(cycle_id).run()


def funded_lists(at: AppTest) -> dict[str, list[str]]:
    """Rule heading -> the numbered funded titles under it."""
    lines = texts(at.markdown)
    out: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        if line.startswith("#### "):
            listed = next(x for x in lines[i + 1:] if x.startswith("1. ") or x.startswith("No "))
            out[line[5:]] = [item.split(". ", 1)[1].split(" — ")[0]
                             for item in listed.splitlines() if item[:1].isdigit()]
    return out


def chart_rows(at: AppTest, index: int) -> list[dict[str, object]]:
    """The data rows of the index-th altair chart on the page."""
    chart = at.get("vega_lite_chart")[index].proto
    frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.datasets]
    return [row for frame in frames for row in frame.to_dict("records")]


def test_results_show_each_rules_funded_projects_as_counted(
    db: Database, world: Cycles,
) -> None:
    at = results_page(world.closed)
    assert not at.exception
    with db.uow() as uow:
        counted = compare_rules(uow, world.closed)
        titles = {p.code: p.title for p in get_cycle(uow, world.closed).projects}
    shown = funded_lists(at)
    for rule, name in RULE_NAMES.items():
        assert shown[name] == [titles[c] for c in counted[rule].funded], rule
    # worked by hand (module docstring): every rule funds rooms, then pay
    assert shown["Most votes first"] == ["Classrooms for Tiguma madrasah",
                                         "Teacher allowances, Fort Pikit"]
    assert texts(at.markdown).count(
        "**2** projects funded · ₱2,000,000.00 (67% of the envelope)") == 3
    assert any(s.startswith("Voting closed on ") for s in texts(at.success))


def test_fairness_figures_match_the_hand_count(world: Cycles) -> None:
    at = results_page(world.closed)
    figures = ("- Voters with a funded project: **71%**\n"
               "- Average satisfaction: **₱1,142,857.14** (38% of the envelope)\n"
               "- Satisfaction Gini: **0.40**")
    assert texts(at.markdown).count(figures) == 3  # one card per rule
    reach = {row["rule"]: row["share"] for row in chart_rows(at, 0)}
    assert reach == pytest.approx(dict.fromkeys(RULE_NAMES.values(), 5 / 7))


def test_the_project_table_marks_what_each_rule_funds(world: Cycles) -> None:
    at = results_page(world.closed)
    table = next(d.value for d in at.dataframe if "supporters" in d.value.columns)
    rows = table.set_index("title")
    assert rows.loc["Potable water for Balangasan", "supporters"] == 3
    assert rows.loc["Classrooms for Tiguma madrasah", "supporters"] == 4
    assert not rows.loc["Potable water for Balangasan", ["greedy", "mes", "max_welfare"]].any()
    assert rows.loc["Teacher allowances, Fort Pikit", ["greedy", "mes", "max_welfare"]].all()
    assert [b.label for b in at.download_button] == ["Download xlsx", "Download csv"]


def test_why_not_funded_explains_equal_shares_in_pesos(world: Cycles) -> None:
    at = results_page(world.closed)
    at.selectbox(key="pbr_why").set_value(world.code["water"]).run()
    assert at.info[-1].value == (
        "It costs ₱2,400,000.00. When the equal shares ran out, its supporters (3) had "
        "₱985,714.29 left between them (41% of its cost), ₱1,414,285.71 short. It would have "
        "needed 4 more supporters, each with a full share of ₱428,571.43.")
    at.selectbox(key="pbr_why").set_value(world.code["big"]).run()
    assert at.info[-1].value == "Nobody voted for this project, so no rule funds it."


def test_an_open_cycle_shows_the_live_tally(db: Database, world: Cycles) -> None:
    now = datetime.now(UTC)
    vote(db, world.knapsack, "a", [world.code["water"], world.code["rooms"]], at=now)
    vote(db, world.knapsack, "b", [world.code["water"]], at=now)
    at = results_page(world.knapsack)
    assert not at.exception
    caption = next(c for c in texts(at.caption) if c.startswith("Ballots so far"))
    assert caption.startswith("Ballots so far: 2 · updated every 10 seconds")
    votes = {row["title"]: row["value"] for row in chart_rows(at, 0)}
    assert votes == {"Potable water for Balangasan": 2, "Classrooms for Tiguma madrasah": 1,
                     "Teacher allowances, Fort Pikit": 0, "Water system for Fort Pikit": 0}
    assert any(i.startswith("Voting is open until ") for i in texts(at.info))


def test_stakeholder_weights_show_what_they_changed(db: Database, world: Cycles) -> None:
    """Youth weigh 2: water's two youth votes count 4, above rooms' and pay's 3 each, so most
    votes first funds water (₱2.4 M fills the envelope) instead of rooms and pay."""
    code = world.code
    start = datetime.now(UTC) - timedelta(days=20)
    cycle_id = open_cycle(db, "Weighted", BallotSpec(BallotFormat.APPROVAL), 2_400_000,
                          [code["water"], code["rooms"], code["pay"]], opens=start,
                          closes=start + timedelta(days=5), rule=CountingRule.GREEDY,
                          weights={"youth": 2, "resident": 1})
    for voter, shorts, kind in (("y1", ["water"], "youth"), ("y2", ["water"], "youth"),
                                ("r1", ["rooms", "pay"], "resident"),
                                ("r2", ["rooms", "pay"], "resident"),
                                ("r3", ["rooms", "pay"], "resident")):
        vote(db, cycle_id, voter, [code[s] for s in shorts], start + timedelta(days=1),
             kind=kind)
    at = results_page(cycle_id)
    assert not at.exception
    assert ("**Most votes first**: funded because of the weights: Potable water for Balangasan."
            " Funded only without them: Classrooms for Tiguma madrasah, Teacher allowances,"
            " Fort Pikit.") in texts(at.markdown)
    shares = next(d.value for d in at.dataframe if "weighted_share" in d.value.columns)
    youth = shares.set_index("type").loc["Youth"]
    assert (youth["ballots"], youth["weight"]) == (2, 2.0)
    assert youth["ballot_share"] == pytest.approx(2 / 5)
    assert youth["weighted_share"] == pytest.approx(4 / 7)


def test_the_results_page_reads_in_filipino(world: Cycles) -> None:
    at = results_page(world.closed, lang="fil")
    assert not at.exception
    assert "Mga resulta ng participatory budgeting" in texts(at.title)
    assert {"#### Pinakamaraming boto muna", "#### Paraan ng Pantay na Bahagi",
            "#### Pinakamalaking kabuuang kasiyahan"} <= set(texts(at.markdown))
    assert "Bakit hindi napondohan ang proyektong ito?" in texts(at.subheader)
    assert [b.label for b in at.download_button] == ["I-download ang xlsx", "I-download ang csv"]
    at.selectbox(key="pbr_why").set_value(world.code["water"]).run()
    assert at.info[-1].value.startswith("Nagkakahalaga ito ng ₱2,400,000.00.")


def test_a_cycle_not_yet_open_has_no_results_yet(db: Database, world: Cycles) -> None:
    soon = datetime.now(UTC) + timedelta(days=3)
    cycle_id = open_cycle(db, "Next month", BallotSpec(), 1_000_000, [world.code["pay"]],
                          opens=soon, closes=soon + timedelta(days=7))
    at = results_page(cycle_id)
    assert any(i.startswith("Voting opens on ") for i in texts(at.info))
    assert not at.dataframe
