"""Reading and writing pabulib .pb files: every published election survives a round trip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from obcms_core.adapters.pabulib import parse_pb_layout, read_pb, read_pb_layout, write_pb_text
from obcms_core.domain.pb.election import Ballot, Election, ElectionError, Project, VoteType

PABULIB = Path(
    os.environ.get("OBCMS_PABULIB_DIR")
    or Path(__file__).resolve().parents[3].parent / "shared" / "pabulib"
)
FILES = sorted(PABULIB.glob("*.pb"))
pytestmark = pytest.mark.skipif(not FILES, reason="pabulib files not available")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_published_file_round_trips_to_the_same_election_and_the_same_bytes(path: Path) -> None:
    election, layout = read_pb_layout(path)
    text = write_pb_text(election, layout)
    assert parse_pb_layout(text)[0] == election
    assert text.encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_published_file_round_trips_without_its_layout_too(path: Path) -> None:
    election = read_pb(path)
    assert parse_pb_layout(write_pb_text(election))[0] == election


def test_the_published_files_hold_the_expected_ballots_and_vote_types() -> None:
    counts = {p.stem: (len(e.ballots), e.vote_type) for p in FILES for e in [read_pb(p)]}
    assert counts["Poland_Warszawa_2026"] == (61_668, VoteType.APPROVAL)
    assert counts["Poland_Gdansk_2020_Wzgorze_Mickiewicza"] == (318, VoteType.CUMULATIVE)
    assert counts["Poland_Krakow_2025_Podgorze"] == (7_262, VoteType.ORDINAL)


SAMPLE = "\n".join(
    [
        "META",
        "key;value",
        'description;"Sample; with a semicolon"',
        "num_projects;3",
        "num_votes;3",
        "budget;100.50",
        "vote_type;{vote_type}",
        "PROJECTS",
        "project_id;cost;name",
        'p1;50;"Water ""pipes"""',
        "p2;40.25;Road",
        "p3;10;Lights",
        "VOTES",
        "voter_id;vote{points_header}",
        "v1;p1,p2{points1}",
        "v2;p3{points2}",
        "v3;{points3}",
        "",
    ]
)


def _sample(vote_type: str, with_points: bool) -> str:
    if not with_points:
        return SAMPLE.format(
            vote_type=vote_type, points_header="", points1="", points2="", points3=""
        )
    return SAMPLE.format(
        vote_type=vote_type, points_header=";points", points1=";3,2", points2=";5", points3=";"
    )


@pytest.mark.parametrize(
    ("vote_type", "with_points"),
    [
        ("approval", False),
        ("choose-1", False),
        ("ordinal", False),
        ("cumulative", True),
        ("scoring", True),
    ],
)
def test_every_vote_type_is_read_and_written_back_unchanged(
    vote_type: str, with_points: bool
) -> None:
    text = _sample(vote_type, with_points)
    election, layout = parse_pb_layout(text)
    assert election.vote_type == VoteType(vote_type)
    assert election.ballots[0].projects == ("p1", "p2")
    assert election.ballots[2].projects == ()
    if with_points:
        assert election.ballots[0].points == (3, 2)
    assert election.project("p1").name == 'Water "pipes"'
    assert election.meta_value("description") == "Sample; with a semicolon"
    assert str(election.budget) == "100.50"
    assert write_pb_text(election, layout) == text


def test_an_election_built_in_code_is_written_with_its_required_meta() -> None:
    election = Election(
        100,
        VoteType.CUMULATIVE,
        (Project("a", 60, (("name", "Clinic; phase 1"),)), Project("b", 40)),
        (Ballot("1", ("a", "b"), (2, 1), fields=(("age", "31"),)), Ballot("2", ("b",), (3,), 2)),
    )
    back = parse_pb_layout(write_pb_text(election))[0]
    assert [back.meta_value(k) for k in ("budget", "vote_type", "num_projects", "num_votes")] == [
        "100",
        "cumulative",
        "2",
        "2",
    ]
    assert back.projects == election.projects
    assert back.ballots == election.ballots
    assert back.ballots[1].weight == 2


def test_a_file_without_a_votes_section_is_refused() -> None:
    with pytest.raises(ElectionError, match="VOTES"):
        parse_pb_layout(
            "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
        )


def test_a_file_without_a_budget_is_refused() -> None:
    with pytest.raises(ElectionError, match="budget"):
        parse_pb_layout(
            "META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n"
        )
