"""The voting API: public cycles and results, and a signed-in voter's own ballot."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import ColumnElement, func, select

from obcms_core.adapters.orm import AuditLog, PBBallot, PBBallotSubmission
from obcms_core.api.app import create_app
from obcms_core.config import Settings
from obcms_core.domain.enums import Role
from obcms_core.domain.pb.cycle import BallotFormat, BallotSpec, CountingRule
from obcms_core.services.database import Database
from obcms_core.services.pb import BallotChoice, clear_tally_cache, count_cycle, submit_ballot
from tests.api.conftest import add_cycle, add_user, sign_in


@pytest.fixture(autouse=True)
def _fresh_tally() -> Iterator[None]:
    # The tally is cached per database URL and cycle id, and ids restart in every test.
    clear_tally_cache()
    yield
    clear_tally_cache()


def voter(db: Database, client: TestClient, username: str = "jamal.voter") -> dict[str, str]:
    """A community member, signed in through the API."""
    add_user(db, username, Role.COMMUNITY_MEMBER)
    return sign_in(client, username)


def count(db: Database, model: type, *where: ColumnElement[bool]) -> int:
    with db.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_anyone_lists_the_open_cycles_with_their_projects_without_signing_in(
    db: Database, client: TestClient
) -> None:
    open_id = add_cycle(db, "Open round")
    add_cycle(db, "Next round", opens_in_days=5, closes_in_days=20)
    add_cycle(db, "Old round", opens_in_days=-30, closes_in_days=-2)
    response = client.get("/pb/cycles")
    assert response.status_code == 200
    cycles = response.json()
    assert [c["name"] for c in cycles] == ["Open round"]
    cycle = cycles[0]
    assert (cycle["id"], cycle["phase"], cycle["envelope"], cycle["ballots"]) == (
        open_id, "open", "100000.00", 0)
    assert cycle["ballot"]["format"] == "approval"
    assert [(p["code"], p["cost"]) for p in cycle["projects"]] == [
        ("A", "40000.00"), ("B", "40000.00"), ("C", "50000.00")]
    assert "notify_emails" not in cycle
    everything = client.get("/pb/cycles", params={"phase": "all"}).json()
    assert sorted(c["name"] for c in everything) == ["Next round", "Old round", "Open round"]
    closed = client.get("/pb/cycles", params={"phase": "closed"}).json()
    assert [c["name"] for c in closed] == ["Old round"]


def test_anyone_reads_one_cycle_and_an_unknown_cycle_is_404(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    assert client.get(f"/pb/cycles/{cycle_id}").json()["name"] == "Open round"
    missing = client.get(f"/pb/cycles/{cycle_id + 1}")
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": f"There is no participatory budgeting cycle with id {cycle_id + 1}."
    }


def test_a_voter_casts_a_ballot_that_is_stored_under_their_own_account(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    headers = voter(db, client)
    response = client.put(
        f"/pb/cycles/{cycle_id}/my-ballot", headers=headers,
        json={"projects": ["B", "A"], "comment": "Water first"},
    )
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert (receipt["submission"], receipt["replaced"], receipt["ballot_number"]) == (1, False, 1)
    mine = client.get(f"/pb/cycles/{cycle_id}/my-ballot", headers=headers).json()
    assert (mine["projects"], mine["comment"], mine["submissions"]) == (
        ["B", "A"], "Water first", 1)
    me = client.get("/auth/me", headers=headers).json()
    with db.uow() as uow:
        user_id = uow.session.scalar(select(PBBallot.user_id))
        key = uow.session.scalar(select(PBBallot.voter_key))
        sources = uow.session.scalars(
            select(AuditLog.username).where(AuditLog.action == "pb_ballot_submitted")).all()
    assert key == f"user:{user_id}"
    assert sources == [me["username"]]
    assert client.get(f"/pb/cycles/{cycle_id}").json()["ballots"] == 1


def test_a_voter_replaces_their_ballot_keeping_one_ballot_and_both_versions_in_history(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    headers = voter(db, client)
    url = f"/pb/cycles/{cycle_id}/my-ballot"
    assert client.put(url, headers=headers, json={"projects": ["A"]}).status_code == 200
    second = client.put(url, headers=headers, json={"projects": ["C", "B"]}).json()
    assert (second["submission"], second["replaced"], second["ballot_number"]) == (2, True, None)
    assert count(db, PBBallot) == 1
    assert client.get(url, headers=headers).json()["projects"] == ["C", "B"]
    history = client.get(f"{url}/history", headers=headers).json()
    assert [(h["number"], h["projects"]) for h in history] == [(1, ["A"]), (2, ["C", "B"])]
    voted = client.get("/pb/my-ballots", headers=headers).json()
    assert [(v["cycle_id"], v["name"], v["submissions"]) for v in voted] == [
        (cycle_id, "Open round", 2)]
    assert client.get(f"/pb/cycles/{cycle_id}").json()["ballots"] == 1


def test_two_voters_have_a_ballot_each_and_see_only_their_own(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    jamal, norhaya = voter(db, client, "jamal.voter"), voter(db, client, "norhaya.voter")
    url = f"/pb/cycles/{cycle_id}/my-ballot"
    client.put(url, headers=jamal, json={"projects": ["A"]})
    client.put(url, headers=norhaya, json={"projects": ["C"]})
    assert client.get(url, headers=jamal).json()["projects"] == ["A"]
    assert client.get(url, headers=norhaya).json()["projects"] == ["C"]
    assert count(db, PBBallot) == 2


def test_the_body_cannot_name_another_voter(db: Database, client: TestClient) -> None:
    cycle_id = add_cycle(db, "Open round")
    headers = voter(db, client)
    response = client.put(
        f"/pb/cycles/{cycle_id}/my-ballot", headers=headers,
        json={"projects": ["A"], "voter_key": "user:999"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "voter_key"]
    assert count(db, PBBallot) == 0


def test_a_ballot_against_the_rules_is_refused_with_422_naming_every_problem(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Pick two", ballot=BallotSpec(max_choices=2))
    headers = voter(db, client)
    response = client.put(
        f"/pb/cycles/{cycle_id}/my-ballot", headers=headers,
        json={"projects": ["A", "B", "C", "ZZ"]},
    )
    assert response.status_code == 422
    assert [(p["loc"], p["msg"], p["type"]) for p in response.json()["detail"]] == [
        (["body"], "These projects are not in this cycle: ZZ.", "invalid_ballot"),
        (["body"], "Choose at most 2 projects; you have chosen 4.", "invalid_ballot"),
    ]
    assert count(db, PBBallot) == 0
    assert count(db, PBBallotSubmission) == 0


def test_a_cumulative_ballot_without_points_is_refused_with_422(
    db: Database, client: TestClient
) -> None:
    spec = BallotSpec(format=BallotFormat.CUMULATIVE, points=10)
    cycle_id = add_cycle(db, "Spread ten points", ballot=spec)
    headers = voter(db, client)
    url = f"/pb/cycles/{cycle_id}/my-ballot"
    missing = client.put(url, headers=headers, json={"projects": ["A", "B"]})
    assert missing.status_code == 422
    assert [p["msg"] for p in missing.json()["detail"]] == [
        "Give points to every project you mark."]
    too_many = client.put(url, headers=headers, json={"projects": ["A", "B"], "points": [6, 5]})
    assert [p["msg"] for p in too_many.json()["detail"]] == [
        "You may give 10 points in all; your ballot gives 11."]
    ok = client.put(url, headers=headers, json={"projects": ["A", "B"], "points": [6, 4]})
    assert ok.status_code == 200
    assert client.get(url, headers=headers).json()["points"] == [6, 4]


def test_ballots_outside_the_voting_window_are_refused_with_409(
    db: Database, client: TestClient
) -> None:
    closed_id = add_cycle(db, "Old round", opens_in_days=-30, closes_in_days=-2)
    upcoming_id = add_cycle(db, "Next round", opens_in_days=5, closes_in_days=20)
    headers = voter(db, client)
    closed = client.put(f"/pb/cycles/{closed_id}/my-ballot", headers=headers,
                        json={"projects": ["A"]})
    assert closed.status_code == 409
    assert closed.json()["detail"].startswith("Voting in 'Old round' closed on ")
    assert closed.json()["detail"].endswith("ballots can no longer be cast or changed.")
    upcoming = client.put(f"/pb/cycles/{upcoming_id}/my-ballot", headers=headers,
                          json={"projects": ["A"]})
    assert upcoming.status_code == 409
    assert upcoming.json()["detail"].startswith("Voting in 'Next round' opens on ")
    assert count(db, PBBallot) == 0


def test_voting_routes_without_a_valid_token_are_refused_with_401(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    url = f"/pb/cycles/{cycle_id}/my-ballot"
    forged = {"Authorization": "Bearer not-a-token"}
    for response in (
        client.put(url, json={"projects": ["A"]}),
        client.put(url, json={"projects": ["A"]}, headers=forged),
        client.get(url),
        client.get(f"{url}/history"),
        client.get("/pb/my-ballots"),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert set(response.json()) == {"detail"}
    assert count(db, PBBallot) == 0


def test_my_ballot_is_404_before_voting_and_in_an_unknown_cycle(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    headers = voter(db, client)
    not_yet = client.get(f"/pb/cycles/{cycle_id}/my-ballot", headers=headers)
    assert not_yet.status_code == 404
    assert not_yet.json() == {"detail": "You have not voted in 'Open round' yet."}
    assert client.get(f"/pb/cycles/{cycle_id}/my-ballot/history", headers=headers).json() == []
    unknown = client.put(f"/pb/cycles/{cycle_id + 1}/my-ballot", headers=headers,
                         json={"projects": ["A"]})
    assert unknown.status_code == 404


# Hand-counted: envelope 100,000; A and B cost 40,000, C 50,000, D 30,000. Five ballots:
# {A,B} {A,B} {D} {C} {B,C}, so B has 3 votes, A and C 2, D 1.
# Greedy: B (3 votes), then A (2, before C by id): 80,000; C and D no longer fit.
# Max welfare (votes x cost): A 80k, B 120k, C 100k, D 30k; the best set within 100,000
#   is {B, C} (220k; {A, B} gives 200k).
# Equal shares: each voter holds 20,000; B's three backers pay 13,333.33 each, then nothing
#   else is affordable. Raising the shares, D (its one backer) becomes affordable at 30,000
#   while C needs 31,666.67 (and would push the cost to 120,000), so MES funds B then D.
RESULTS_PROJECTS = (("A", 40_000), ("B", 40_000), ("C", 50_000), ("D", 30_000))
RESULTS_BALLOTS = (("A", "B"), ("A", "B"), ("D",), ("C",), ("B", "C"))
EXPECTED = {
    "greedy": (["B", "A"], "80000.00"),
    "mes": (["B", "D"], "70000.00"),
    "max_welfare": (["B", "C"], "90000.00"),
}


def closed_cycle_with_five_ballots(db: Database) -> int:
    cycle_id = add_cycle(db, "Counted round", opens_in_days=-30, closes_in_days=-1,
                         projects=RESULTS_PROJECTS)
    during = datetime.now(UTC) - timedelta(days=20)
    with db.uow() as uow:
        for i, projects in enumerate(RESULTS_BALLOTS, start=1):
            submit_ballot(uow, cycle_id, f"v{i}", BallotChoice(projects), now=during)
        uow.commit()
    return cycle_id


@pytest.mark.parametrize("rule", ["greedy", "mes", "max_welfare"])
def test_results_per_rule_are_the_hand_counted_ones_and_those_of_the_count(
    db: Database, client: TestClient, rule: str
) -> None:
    cycle_id = closed_cycle_with_five_ballots(db)
    response = client.get(f"/pb/cycles/{cycle_id}/results", params={"rule": rule})
    assert response.status_code == 200, response.text
    body = response.json()
    funded, cost = EXPECTED[rule]
    assert sorted(body["funded"]) == sorted(funded)
    if rule != "max_welfare":  # the knapsack has no order of choice
        assert body["funded"] == funded
    assert (body["rule"], body["ballots"], body["funded_cost"]) == (rule, 5, cost)
    assert Decimal(body["leftover"]) == Decimal(100_000) - Decimal(cost)
    supporters = {p["code"]: p["supporters"] for p in body["projects"]}
    assert supporters == {"A": 2, "B": 3, "C": 2, "D": 1}
    with db.uow() as uow:
        counted = count_cycle(uow, cycle_id, CountingRule(rule))
    assert body["funded"] == list(counted.funded)
    assert [(p["code"], p["funded_order"], p["why_not_funded"]) for p in body["projects"]] == [
        (p.code, p.funded_order, p.why_not_funded) for p in counted.projects]
    assert body["fairness"]["share_with_a_funded_project"] == pytest.approx(
        counted.fairness.share_with_a_funded_project)


def test_results_default_to_the_cycles_own_rule(db: Database, client: TestClient) -> None:
    cycle_id = closed_cycle_with_five_ballots(db)
    body = client.get(f"/pb/cycles/{cycle_id}/results").json()
    assert (body["rule"], body["funded"]) == ("mes", ["B", "D"])


def test_results_wait_for_voting_to_close_while_the_live_tally_counts_as_it_goes(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    url = f"/pb/cycles/{cycle_id}/my-ballot"
    client.put(url, headers=voter(db, client, "jamal.voter"), json={"projects": ["A", "B"]})
    client.put(url, headers=voter(db, client, "norhaya.voter"), json={"projects": ["B"]})
    results = client.get(f"/pb/cycles/{cycle_id}/results")
    assert results.status_code == 409
    assert results.json()["detail"].startswith("Voting in 'Open round' is open until ")
    tally = client.get(f"/pb/cycles/{cycle_id}/tally").json()
    assert tally["ballots"] == 2
    assert [(r["code"], r["votes"]) for r in tally["rows"]] == [("B", 2), ("A", 1), ("C", 0)]
    assert client.get(f"/pb/cycles/{cycle_id + 1}/results").status_code == 404


def test_oversized_ballots_are_refused_before_the_rules_are_checked(
    db: Database, client: TestClient
) -> None:
    cycle_id = add_cycle(db, "Open round")
    headers = voter(db, client)
    url = f"/pb/cycles/{cycle_id}/my-ballot"
    for body in (
        {"projects": ["A"], "comment": "x" * 2001},
        {"projects": ["A"] * 501},
        {"projects": ["A" * 61]},
        {"projects": ["A"], "points": [-1]},
        {"projects": ["A"], "stakeholder_type": "youth\x00"},
    ):
        assert client.put(url, headers=headers, json=body).status_code == 422
    assert count(db, PBBallot) == 0


def test_a_voter_submitting_too_often_is_refused_with_429_while_others_still_vote(
    db: Database, settings: Settings
) -> None:
    cycle_id = add_cycle(db, "Open round")
    with TestClient(create_app(settings, db.session_factory, rate_limit=True)) as limited:
        jamal = voter(db, limited, "jamal.voter")
        url = f"/pb/cycles/{cycle_id}/my-ballot"
        codes = [limited.put(url, headers=jamal, json={"projects": ["A"]}).status_code
                 for _ in range(21)]
        assert codes == [200] * 20 + [429]
        refused = limited.put(url, headers=jamal, json={"projects": ["A"]})
        assert refused.json()["detail"].startswith("Too many ballot submissions")
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        norhaya = voter(db, limited, "norhaya.voter")
        assert limited.put(url, headers=norhaya, json={"projects": ["B"]}).status_code == 200


def test_a_method_the_path_does_not_have_is_405_naming_every_method_it_does(
    client: TestClient,
) -> None:
    response = client.delete("/pb/cycles/1/my-ballot")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PUT"
