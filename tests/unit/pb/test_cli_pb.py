"""`pb solve` prints the funded projects, their total cost and the time taken."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from obcms_core.adapters.pabulib import write_pb
from obcms_core.cli import main
from obcms_core.cli_pb import register
from tests.unit.pb.helpers import approval


@pytest.fixture
def pb_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.pb"
    write_pb(approval(100, {"A": 60, "B": 50, "C": 30}, "A,C", "A,C", "A", "B"), path)
    return path


@pytest.mark.parametrize(
    ("rule", "selected", "total"),
    [("greedy", ["A", "C"], 90), ("mes", ["A", "C"], 90), ("max-welfare", ["A", "C"], 90)],
)
def test_solve_prints_one_json_object_per_rule(
    pb_file: Path, rule: str, selected: list[str], total: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pb", "solve", str(pb_file), "--rule", rule, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"rule", "selected", "total_cost", "seconds"}
    assert (result["rule"], sorted(result["selected"]), result["total_cost"]) == (
        rule,
        selected,
        total,
    )


def test_solve_prints_a_readable_summary_without_json(
    pb_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["pb", "solve", str(pb_file), "--rule", "greedy"])
    assert "greedy: 2 projects funded, total cost 90" in capsys.readouterr().out


def test_a_missing_file_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pb", "solve", str(tmp_path / "nope.pb")]) == 1
    assert "error:" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.pb"
    latin.write_bytes("META\nkey;value\ndescription;Caf\u00e9\n".encode("latin-1"))
    assert main(["pb", "solve", str(latin)]) == 1
    assert "it is not UTF-8 text" in capsys.readouterr().err


def test_register_adds_the_pb_command_to_another_cli() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["pb", "solve", "x.pb", "--rule", "max-welfare"])
    assert (args.command, args.pb_command, args.rule, args.json) == (
        "pb",
        "solve",
        "max-welfare",
        False,
    )
    assert callable(args.handler)
