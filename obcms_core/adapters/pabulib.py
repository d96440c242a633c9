"""Read and write elections in the pabulib `.pb` format (META / PROJECTS / VOTES, `;` separated).

Every column is kept as written, so parse -> write -> parse gives the same Election; with the
layout returned by `read_pb_layout` the written file is byte for byte the original.
Knapsack ballots arrive as approval ballots (the format has no separate vote type for them).
A non-standard `weight` column in VOTES, when present, carries voter weights.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from obcms_core.domain.pb.election import (
    Ballot,
    Election,
    ElectionError,
    Fields,
    Number,
    Project,
    VoteType,
    parse_number,
)

SECTIONS = ("meta", "projects", "votes")
BOM = "\ufeff"


@dataclass(frozen=True)
class PbLayout:
    """How a file was written, beyond its content: line ends, headers, section names."""

    newline: str = "\n"
    final_newline: bool = True
    bom: bool = False
    section_names: tuple[str, str, str] = ("META", "PROJECTS", "VOTES")
    meta_header: tuple[str, ...] = ("key", "value")
    project_header: tuple[str, ...] | None = None
    vote_header: tuple[str, ...] | None = None


def format_number(value: Number) -> str:
    """A number as the format writes it (exact decimals keep their written form)."""
    return str(value)


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def parse_pb_layout(text: str) -> tuple[Election, PbLayout]:
    """Parse `.pb` text into an Election and the layout needed to write it back byte for byte."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    sections: dict[str, list[list[str]]] = {}
    names: dict[str, str] = {}
    current = ""
    for row in _rows(body):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        head = row[0].strip().lower()
        if len(row) == 1 and head in SECTIONS:
            current, names[head] = head, row[0]
            sections[head] = []
        elif not current:
            raise ElectionError("the file must start with a META section")
        else:
            sections[current].append(row)
    for name in SECTIONS:
        if not sections.get(name):
            raise ElectionError(f"the {name.upper()} section is missing or has no header")
    meta_rows = sections["meta"]
    meta: Fields = tuple((r[0].strip(), ";".join(r[1:]).strip()) for r in meta_rows[1:])
    meta_map = dict(meta)
    for key in ("budget", "vote_type"):
        if key not in meta_map:
            raise ElectionError(f"META has no {key!r} entry")
    vote_type = VoteType(meta_map["vote_type"].strip())
    project_header = tuple(h.strip() for h in sections["projects"][0])
    vote_header = tuple(h.strip() for h in sections["votes"][0])
    projects = tuple(_project(project_header, r) for r in sections["projects"][1:])
    ballots = tuple(_ballot(vote_header, r, vote_type) for r in sections["votes"][1:])
    election = Election(parse_number(meta_map["budget"]), vote_type, projects, ballots, meta)
    newline = "\r\n" if "\r\n" in body else "\n"
    layout = PbLayout(
        newline=newline,
        final_newline=body.endswith("\n"),
        bom=bom,
        section_names=(names["meta"], names["projects"], names["votes"]),
        meta_header=tuple(meta_rows[0]),
        project_header=project_header,
        vote_header=vote_header,
    )
    return election, layout


def _cells(header: tuple[str, ...], row: list[str]) -> dict[str, str]:
    if len(row) > len(header):
        raise ElectionError(f"row {';'.join(row)!r} has more cells than its header")
    return {key: value.strip() for key, value in zip(header, row, strict=False)}


def _project(header: tuple[str, ...], row: list[str]) -> Project:
    cells = _cells(header, row)
    if "project_id" not in cells or "cost" not in cells:
        raise ElectionError("every project needs a project_id and a cost")
    extra = tuple((k, v) for k, v in cells.items() if k not in ("project_id", "cost"))
    return Project(cells["project_id"], parse_number(cells["cost"]), extra)


def _ballot(header: tuple[str, ...], row: list[str], vote_type: VoteType) -> Ballot:
    cells = _cells(header, row)
    if "voter_id" not in cells:
        raise ElectionError("every ballot needs a voter_id")
    vote = cells.get("vote", "")
    projects = _split_list("" if vote.lower() == "none" else vote)
    points = None
    if vote_type.has_points and ("points" in cells or projects):
        points = tuple(parse_number(p) for p in _split_list(cells.get("points", "")))
    weight: Number = parse_number(cells["weight"]) if "weight" in cells else 1
    skip = ("voter_id", "vote", "points", "weight")
    extra = tuple((k, v) for k, v in cells.items() if k not in skip)
    return Ballot(cells["voter_id"], projects, points, weight, extra)


def write_pb_text(election: Election, layout: PbLayout | None = None) -> str:
    """The election as `.pb` text (in the given layout, or a plain LF one)."""
    lay = layout or PbLayout()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator=lay.newline)
    names = lay.section_names
    meta = _meta_rows(election)
    writer.writerow([names[0]])
    writer.writerow(list(lay.meta_header))
    writer.writerows([[k, v] for k, v in meta])
    p_header = lay.project_header or _header(
        ("project_id", "cost"), [p.fields for p in election.projects]
    )
    writer.writerow([names[1]])
    writer.writerow(list(p_header))
    for p in election.projects:
        cells = {"project_id": p.id, "cost": format_number(p.cost), **dict(p.fields)}
        writer.writerow(_row(p_header, cells))
    v_header = lay.vote_header or _vote_header(election)
    writer.writerow([names[2]])
    writer.writerow(list(v_header))
    for b in election.ballots:
        cells = {"voter_id": b.voter_id, "vote": ",".join(b.projects), **dict(b.fields)}
        if b.points is not None:
            cells["points"] = ",".join(format_number(x) for x in b.points)
        if b.weight != 1 or "weight" in v_header:
            cells["weight"] = format_number(b.weight)
        writer.writerow(_row(v_header, cells))
    text = out.getvalue()
    if not lay.final_newline and text.endswith(lay.newline):
        text = text[: -len(lay.newline)]
    return (BOM if lay.bom else "") + text


def _meta_rows(election: Election) -> list[tuple[str, str]]:
    given = dict(election.meta)
    own = {"budget": format_number(election.budget), "vote_type": str(election.vote_type)}
    rows = [(k, own.get(k, v)) for k, v in election.meta]
    defaults = {
        "num_projects": str(len(election.projects)),
        "num_votes": str(len(election.ballots)),
        **own,
    }
    rows += [(k, v) for k, v in defaults.items() if k not in given]
    return rows


def _header(first: tuple[str, ...], field_sets: list[Fields]) -> tuple[str, ...]:
    keys = list(first)
    for fields in field_sets:
        keys += [k for k, _ in fields if k not in keys]
    return tuple(keys)


def _vote_header(election: Election) -> tuple[str, ...]:
    first = ["voter_id", "vote"]
    if election.vote_type.has_points:
        first.append("points")
    if any(b.weight != 1 for b in election.ballots):
        first.append("weight")
    return _header(tuple(first), [b.fields for b in election.ballots])


def _row(header: tuple[str, ...], cells: dict[str, str]) -> list[str]:
    last = max((i for i, key in enumerate(header) if key in cells), default=-1)
    return [cells.get(key, "None") for key in header[: last + 1]]


def read_pb(path: str | Path) -> Election:
    """Read a pabulib `.pb` file."""
    return parse_pb_layout(Path(path).read_text(encoding="utf-8"))[0]


def read_pb_layout(path: str | Path) -> tuple[Election, PbLayout]:
    """Read a `.pb` file with the layout that writes it back byte for byte."""
    with open(path, encoding="utf-8", newline="") as handle:
        return parse_pb_layout(handle.read())


def write_pb(election: Election, path: str | Path, layout: PbLayout | None = None) -> None:
    """Write an election as a pabulib `.pb` file."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(write_pb_text(election, layout))
