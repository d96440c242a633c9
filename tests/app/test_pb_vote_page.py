"""The vote page: anonymous visitors browse, signed-in voters fill in, change and review ballots.

The cycles (tests/app/pb_app_world.py) put four sample needs on the ballot: water ₱2,400,000.00,
rooms ₱1,200,000.00, pay ₱800,000.00 and big ₱5,600,000.75, with a ₱4,000,000.00 envelope.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pb_app_world import PLANNER, Cycles, build_cycles, open_cycle
from streamlit.testing.v1 import AppTest
from workbench_harness import open_app, signed_in, texts, url_of
from workbench_sample import build_sample

from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec
from obcms_core.services.database import Database
from obcms_core.services.pb import (
    StoredBallot,
    delete_cycle,
    get_cycle,
    my_ballot,
    voter_key_for_user,
)
from obcms_core.services.users import get_user
from workbench import pb_ballot


@pytest.fixture
def world(db: Database, monkeypatch: pytest.MonkeyPatch) -> Cycles:
    build_sample(db)
    monkeypatch.setenv("OBCMS_DATABASE_URL", url_of(db))
    return build_cycles(db)


def vote_page(at: AppTest, cycle_id: int) -> AppTest:
    at.switch_page("pages/pb_vote.py").run()
    return at.selectbox(key="pbv_cycle_en").set_value(cycle_id).run()


def tick(at: AppTest, cycle_id: int, *codes: str, value: bool = True) -> AppTest:
    for code in codes:
        at.checkbox(key=pb_ballot.key("pick", cycle_id, code)).set_value(value)
    return at.run()


def submit(at: AppTest, cycle_id: int) -> AppTest:
    return at.button(key=pb_ballot.key("submit", cycle_id)).click().run()


def stored(db: Database, cycle_id: int, username: str = "community") -> StoredBallot | None:
    with db.uow() as uow:
        user = get_user(uow, username)
        assert user is not None
        return my_ballot(uow, cycle_id, voter_key_for_user(user.id))


def everything(at: AppTest) -> str:
    parts = [*texts(at.markdown), *texts(at.caption), *texts(at.info), *texts(at.success),
             *texts(at.warning), *texts(at.error), *texts(at.title), *texts(at.subheader)]
    return "\n".join(parts)


def test_anonymous_visitor_sees_the_projects_and_no_ballot(world: Cycles) -> None:
    at = vote_page(open_app().run(), world.knapsack)
    assert not at.exception
    page = everything(at)
    for title in ("Potable water for Balangasan", "Classrooms for Tiguma madrasah",
                  "Teacher allowances, Fort Pikit", "Water system for Fort Pikit"):
        assert f"**{title}**" in page
    assert "Cost: ₱5,600,000.75" in page
    assert "Budget envelope: **₱4,000,000.00** · Projects on the ballot: **4**" in page
    assert "Sign in to vote." in texts(at.info)
    assert len(at.get("deck_gl_json_chart")) == 1  # the map of the projects
    assert "The map shows 2 of the 4 projects; the others have no known location." in page
    assert not at.checkbox and not at.button
    assert "Your ballot history" not in page


def test_voter_submits_a_knapsack_ballot_and_it_is_stored(db: Database, world: Cycles) -> None:
    water, rooms = world.code["water"], world.code["rooms"]
    at = tick(vote_page(signed_in("community"), world.knapsack), world.knapsack, water, rooms)
    # ₱2,400,000 + ₱1,200,000 of ₱4,000,000 chosen
    assert "Remaining budget: **₱400,000.00**" in texts(at.markdown)
    assert not at.warning
    at = submit(at, world.knapsack)
    assert not at.exception and not at.error
    assert "Thank you! Your ballot is stored (submission 1)." in texts(at.success)
    ballot = stored(db, world.knapsack)
    assert ballot is not None and ballot.projects == (water, rooms)


def test_voter_changes_the_ballot_and_sees_every_submission_in_the_history(
    db: Database, world: Cycles,
) -> None:
    code = world.code
    at = tick(vote_page(signed_in("community"), world.knapsack), world.knapsack,
              code["water"], code["rooms"])
    at = submit(at, world.knapsack)
    at = tick(at, world.knapsack, code["rooms"], value=False)
    at = submit(tick(at, world.knapsack, code["pay"]), world.knapsack)
    assert ("Your ballot is changed (submission 2); the earlier one no longer counts."
            in texts(at.success))
    ballot = stored(db, world.knapsack)
    assert ballot is not None and ballot.projects == (code["water"], code["pay"])
    page = everything(at)
    assert ("- Potable water for Balangasan\n- Teacher allowances, Fort Pikit"
            in texts(at.markdown))  # ballot 2
    assert ("- Potable water for Balangasan\n- Classrooms for Tiguma madrasah"
            in texts(at.markdown))  # ballot 1
    assert "Total cost: ₱3,200,000.00" in page and "Total cost: ₱3,600,000.00" in page
    entries = [m for m in texts(at.markdown) if m.startswith("**Ballot ")]
    assert [e.split(" · ")[0] for e in entries] == ["**Ballot 2**", "**Ballot 1**"]


def test_an_over_envelope_knapsack_ballot_is_refused_with_the_amounts(
    db: Database, world: Cycles,
) -> None:
    at = tick(vote_page(signed_in("community"), world.knapsack), world.knapsack,
              world.code["water"], world.code["big"])
    # ₱2,400,000.00 + ₱5,600,000.75 = ₱8,000,000.75, ₱4,000,000.75 over the envelope
    expected = ("The projects you chose cost ₱8,000,000.75, ₱4,000,000.75 more than the "
                "₱4,000,000.00 envelope. Untick a project so that your choice fits the budget.")
    assert expected in texts(at.warning)
    assert "Over the envelope by **₱4,000,000.75**" in texts(at.markdown)
    at = submit(at, world.knapsack)
    assert not at.exception
    assert at.error and at.error[0].value.startswith("Your ballot was not stored:")
    assert expected in at.error[0].value
    assert stored(db, world.knapsack) is None


def test_voter_submits_an_approval_ballot_within_its_limit(db: Database, world: Cycles) -> None:
    code = world.code
    at = tick(vote_page(signed_in("community"), world.approval), world.approval,
              code["water"], code["rooms"], code["pay"])
    assert "Choose at most 2 projects; you have chosen 3." in texts(at.warning)
    at = submit(at, world.approval)
    assert at.error and stored(db, world.approval) is None
    at = submit(tick(at, world.approval, code["water"], value=False), world.approval)
    assert not at.error
    ballot = stored(db, world.approval)
    assert ballot is not None and ballot.projects == (code["rooms"], code["pay"])


def test_voter_spreads_points_on_a_cumulative_ballot(db: Database, world: Cycles) -> None:
    code, cid = world.code, world.cumulative
    at = vote_page(signed_in("community"), cid)
    at.number_input(key=pb_ballot.key("pts", cid, code["water"])).set_value(6)
    at.number_input(key=pb_ballot.key("pts", cid, code["rooms"])).set_value(6).run()
    assert "You may give 10 points in all; your ballot gives 12." in texts(at.warning)
    assert "Points left: **-2**" in texts(at.markdown)
    assert submit(at, cid).error and stored(db, cid) is None
    at.number_input(key=pb_ballot.key("pts", cid, code["rooms"])).set_value(4).run()
    assert "Points left: **0**" in texts(at.markdown)
    at = submit(at, cid)
    assert not at.error
    ballot = stored(db, cid)
    assert ballot is not None
    assert (ballot.projects, ballot.points) == ((code["water"], code["rooms"]), (6, 4))


def test_a_returning_voter_finds_the_stored_ballot_ticked(db: Database, world: Cycles) -> None:
    code = world.code
    submit(tick(vote_page(signed_in("community"), world.knapsack), world.knapsack,
                code["rooms"]), world.knapsack)
    at = vote_page(signed_in("community"), world.knapsack)  # a new session
    ticked = {c.key for c in at.checkbox if c.value}
    assert ticked == {pb_ballot.key("pick", world.knapsack, code["rooms"])}
    assert any(c.startswith("You voted on ") for c in texts(at.caption))


def test_the_language_switch_puts_the_page_in_filipino(world: Cycles) -> None:
    at = vote_page(signed_in("community"), world.knapsack)
    at.radio(key="pbv_lang").set_value("fil").run()
    assert not at.exception
    assert "Bumoto sa mga proyekto ng komunidad" in texts(at.title)
    assert at.button(key=pb_ballot.key("submit", world.knapsack)).label == "Ipasa ang aking balota"
    at = tick(at, world.knapsack, world.code["water"])
    assert "Natitirang badyet: **₱1,600,000.00**" in texts(at.markdown)
    assert "Ang iyong balota" in texts(at.subheader)
    # the choice is kept for the session: the results page opens in Filipino too
    at.switch_page("pages/pb_results.py").run()
    assert "Mga resulta ng participatory budgeting" in texts(at.title)


def test_a_closed_cycle_says_when_voting_closed_and_offers_no_ballot(world: Cycles) -> None:
    at = vote_page(signed_in("community"), world.closed)
    with_cycle = [w for w in texts(at.warning) if w.startswith("Voting closed on ")]
    assert with_cycle and "Ballots can no longer be cast or changed" in with_cycle[0]
    assert not at.checkbox
    assert "You have not voted in this cycle yet." in texts(at.caption)


def test_a_filipino_voter_reads_the_ballot_rules_problems_in_filipino(
    db: Database, world: Cycles,
) -> None:
    """The page's checks are the counting rules' own (ballot_problems), worded from the
    catalogue in the voter's language, live and when a ballot is refused."""
    cid = world.approval
    at = vote_page(signed_in("community"), cid)
    at.radio(key="pbv_lang").set_value("fil").run()
    at = tick(at, cid, *_codes(db, cid)[:3])
    expected = "Pumili ng hindi hihigit sa 2 proyekto; nakapili ka ng 3."
    assert expected in texts(at.warning)
    at = submit(at, cid)
    assert not at.exception and at.error and expected in at.error[0].value
    assert stored(db, cid) is None


def _codes(db: Database, cycle_id: int) -> list[str]:
    with db.uow() as uow:
        return [p.code for p in get_cycle(uow, cycle_id).projects]


def test_a_cycle_deleted_meanwhile_is_said_so_without_a_traceback(
    db: Database, world: Cycles,
) -> None:
    at = vote_page(open_app().run(), world.knapsack)  # the list of cycles is now cached
    with db.uow() as uow:
        delete_cycle(uow, PLANNER, world.approval)
        uow.commit()
    at.selectbox(key="pbv_cycle_en").set_value(world.approval).run()
    assert not at.exception
    assert texts(at.warning) == [
        "That cycle no longer exists. Reload the page to choose another one."]


def test_voter_scores_projects_says_who_they_are_and_leaves_a_comment(
    db: Database, world: Cycles,
) -> None:
    code = world.code
    now = datetime.now(UTC)
    cid = open_cycle(db, "Rate the projects", BallotSpec(BallotFormat.SCORING, min_choices=2),
                     4_000_000, [code["water"], code["rooms"], code["pay"]],
                     opens=now - timedelta(hours=1), closes=now + timedelta(days=3),
                     weights={"youth": "1.5", "elders": 1})
    at = vote_page(signed_in("community"), cid)
    at.selectbox(key=pb_ballot.key("score", cid, code["pay"])).set_value(5).run()
    assert "Choose at least 2 projects; you have chosen 1." in texts(at.warning)
    at.selectbox(key=pb_ballot.key("score", cid, code["water"])).set_value(2)
    at.selectbox(key=pb_ballot.key("type", cid)).set_value("youth")
    at.text_area(key=pb_ballot.key("comment", cid)).input("The road floods every June.").run()
    at = submit(at, cid)
    assert not at.error
    ballot = stored(db, cid)
    assert ballot is not None
    assert (ballot.projects, ballot.points) == ((code["water"], code["pay"]), (2, 5))
    assert (ballot.stakeholder_type, ballot.comment) == ("youth", "The road floods every June.")
