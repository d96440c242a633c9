"""A cycle's eligible projects: from needs or typed in, each placed in a community or town."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import (
    Barangay,
    Community,
    Municipality,
    Need,
    PBProject,
    Province,
)
from obcms_core.domain.errors import ValidationFailed
from obcms_core.domain.money import to_money


@dataclass(frozen=True)
class ProjectSpec:
    """A project to put on the ballot; the code is what voters and files call it."""

    code: str
    title: str
    cost: Decimal | int | str
    need_id: int | None = None
    community_id: int | None = None  # else the need's community
    municipality_id: int | None = None  # else the community's town
    description: str = ""
    category: str | None = None


def projects_from_needs(uow: UnitOfWork, need_ids: Iterable[int]) -> list[ProjectSpec]:
    """Eligible projects made from needs: code N<id>, the need's title, cost and community."""
    wanted = list(dict.fromkeys(need_ids))
    rows = {
        r.id: r
        for r in uow.session.execute(
            select(Need.id, Need.title, Need.estimated_cost, Need.community_id, Need.description)
            .where(Need.id.in_(wanted))
        )
    }
    missing = [str(n) for n in wanted if n not in rows]
    if missing:
        raise ValidationFailed(f"There is no need with id {', '.join(missing)}.")
    no_cost = [str(n) for n in wanted if rows[n].estimated_cost is None]
    if no_cost:
        raise ValidationFailed(
            f"Need {', '.join(no_cost)} has no estimated cost; add one before putting it on a"
            " ballot."
        )
    return [
        ProjectSpec(
            code=f"N{n}",
            title=rows[n].title,
            cost=rows[n].estimated_cost,
            need_id=n,
            community_id=rows[n].community_id,
            description=rows[n].description or "",
        )
        for n in wanted
    ]


MAX_CODE = 60  # characters of a project code


def _check(specs: Sequence[ProjectSpec]) -> list[Decimal]:
    codes = [s.code.strip() for s in specs]
    bad = [c for c in codes if not 0 < len(c) <= MAX_CODE or any(ch in c for ch in ",;\n\"")]
    if bad:
        raise ValidationFailed(
            f"Project code '{bad[0]}' must have 1–{MAX_CODE} characters and no comma, semicolon or"
            " quote."
        )
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ValidationFailed(f"Project code {', '.join(twice)} is used more than once.")
    costs = []
    for spec in specs:
        if not 0 < len(spec.title.strip()) <= 500:
            raise ValidationFailed(f"Project {spec.code} needs a title of 1–500 characters.")
        try:
            cost = to_money(spec.cost)
        except ValueError:
            cost = Decimal(-1)
        if cost < 0:
            raise ValidationFailed(f"Project {spec.code} needs a cost in pesos of zero or more.")
        costs.append(cost)
    return costs


def _places(
    session: Session, specs: Sequence[ProjectSpec]
) -> list[tuple[int | None, int | None, int | None]]:
    """(community, municipality, region) of each project, from its need, community or town."""
    need_ids = {s.need_id for s in specs if s.need_id is not None}
    need_place = dict(
        session.execute(select(Need.id, Need.community_id).where(Need.id.in_(need_ids))).all()
    )
    unknown = sorted(need_ids - set(need_place))
    if unknown:
        raise ValidationFailed(f"There is no need with id {unknown[0]}.")
    communities = [s.community_id or need_place.get(s.need_id or 0) for s in specs]
    town_of = {
        c: (m, r)
        for c, m, r in session.execute(
            select(Community.id, Barangay.municipality_id, Province.region_id)
            .join(Barangay, Community.barangay_id == Barangay.id)
            .join(Municipality, Barangay.municipality_id == Municipality.id)
            .join(Province, Municipality.province_id == Province.id)
            .where(Community.id.in_({c for c in communities if c is not None}))
        ).all()
    }
    towns = {s.municipality_id for s in specs if s.municipality_id is not None}
    region_of = dict(
        session.execute(
            select(Municipality.id, Province.region_id)
            .join(Province, Municipality.province_id == Province.id)
            .where(Municipality.id.in_(towns))
        ).all()
    )
    out = []
    for spec, community in zip(specs, communities, strict=True):
        if community is not None and community not in town_of:
            raise ValidationFailed(f"There is no community with id {community}.")
        if spec.municipality_id is not None and spec.municipality_id not in region_of:
            raise ValidationFailed(
                f"There is no city or municipality with id {spec.municipality_id}."
            )
        town, region = town_of.get(community or 0, (None, None))
        _check_agreement(spec, need_place, town)
        if spec.municipality_id is not None:
            town, region = spec.municipality_id, region_of[spec.municipality_id]
        out.append((community, town, region))
    return out


def _check_agreement(
    spec: ProjectSpec, need_place: Mapping[int, int | None], community_town: int | None
) -> None:
    """A need, community and town given together must name the same place."""
    code = spec.code.strip()
    need_community = need_place.get(spec.need_id) if spec.need_id is not None else None
    if need_community is not None and spec.community_id not in (None, need_community):
        raise ValidationFailed(
            f"Project {code}: need {spec.need_id} belongs to another community than the one"
            " given; give the need alone, or its own community."
        )
    if community_town is not None and spec.municipality_id not in (None, community_town):
        raise ValidationFailed(
            f"Project {code}: its community is in another city or municipality than the one"
            " given; give the community alone, or its own town."
        )


def add_projects(session: Session, cycle_id: int, specs: Sequence[ProjectSpec]) -> int:
    """Put projects on a cycle's ballot in the given order; returns how many."""
    costs = _check(specs)
    places = _places(session, specs)
    rows = [
        PBProject(
            cycle_id=cycle_id,
            code=spec.code.strip(),
            position=position,
            title=spec.title.strip(),
            description=spec.description.strip(),
            category=(spec.category or "").strip()[:255] or None,
            cost=cost,
            need_id=spec.need_id,
            community_id=community,
            municipality_id=town,
            region_id=region,
        )
        for position, (spec, cost, (community, town, region)) in enumerate(
            zip(specs, costs, places, strict=True)
        )
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def replace_projects(session: Session, cycle_id: int, specs: Sequence[ProjectSpec]) -> int:
    """Take every project off a cycle's ballot and put these on instead."""
    session.execute(delete(PBProject).where(PBProject.cycle_id == cycle_id))
    session.expire_all()
    return add_projects(session, cycle_id, specs)


def project_specs(session: Session, cycle_id: int) -> list[ProjectSpec]:
    """The cycle's projects as specs (to compare with a planner's new list)."""
    rows = session.scalars(
        select(PBProject).where(PBProject.cycle_id == cycle_id).order_by(PBProject.position)
    )
    return [
        ProjectSpec(
            code=p.code,
            title=p.title,
            cost=to_money(p.cost),
            need_id=p.need_id,
            community_id=p.community_id,
            municipality_id=p.municipality_id,
            description=p.description,
            category=p.category,
        )
        for p in rows
    ]
