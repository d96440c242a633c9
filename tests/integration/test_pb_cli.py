"""`pb import` prints the new cycle's id; `pb export` writes the cycle back as a .pb file."""

from __future__ import annotations

from pathlib import Path

import pytest

from obcms_core.cli import main
from obcms_core.config import get_settings

TINY = "\n".join([
    "META", "key;value", "description;Barangay water and roads", "num_projects;2",
    "num_votes;2", "budget;100000",
    "vote_type;approval", "rule;greedy", "date_begin;01.02.2025", "date_end;28.02.2025",
    "PROJECTS", "project_id;cost;name", "w1;60000;Water tank", "r1;50000;Road repair",
    "VOTES", "voter_id;vote", "1;w1,r1", "2;w1", "",
])


@pytest.fixture
def cli_db(db, monkeypatch):
    monkeypatch.setenv("OBCMS_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield db
    get_settings.cache_clear()


def test_import_prints_the_cycle_id_and_export_gives_the_file_back(cli_db, tmp_path: Path,
                                                                   capsys):
    source = tmp_path / "tiny.pb"
    source.write_text(TINY, encoding="utf-8")
    assert main(["pb", "import", str(source), "--name", "Water and roads"]) == 0
    captured = capsys.readouterr()
    cycle_id = int(captured.out.strip())
    assert "Imported 'Water and roads' (FY2025): 2 projects, 2 ballots" in captured.err
    out = tmp_path / "back.pb"
    assert main(["pb", "export", str(cycle_id), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == TINY
    assert main(["pb", "export", str(cycle_id)]) == 0
    assert capsys.readouterr().out == TINY


def test_a_missing_file_or_cycle_is_one_readable_error(cli_db, tmp_path: Path, capsys):
    assert main(["pb", "import", str(tmp_path / "nope.pb")]) == 1
    assert "error: Cannot read" in capsys.readouterr().err
    assert main(["pb", "export", "999"]) == 1
    assert "no participatory budgeting cycle with id 999" in capsys.readouterr().err
