"""Explanations of an allocation: what binds, what ₱1 M more would buy, why a PPA is left out.

Marginal values come from the LP relaxation's shadow prices d_k (score per extra ₱1 M of room in
constraint k). A PPA's net score per extra peso is its score per peso minus the shadow prices of
the constraints it draws on, leaving out the envelope (the ₱1 M is new money) and the group's own
ceiling or capacity (it is raised with the money). The ₱1 M goes to the PPAs of the group that
the relaxation has not funded in full, best net score first: a first-order estimate, valid while
the extra money does not change which constraints bind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from obcms_core.domain.allocation.constraints import (
    LESS,
    AllocationRules,
    Row,
    constraint_rows,
    min_viable_amounts,
    php,
)
from obcms_core.domain.allocation.model import (
    AllocationProblem,
    Array,
    ObjectiveWeights,
    ppa_values,
)
from obcms_core.domain.allocation.result import AllocationResult, Binding, Relaxation

MILLION = 1e6


@dataclass(frozen=True)
class MarginalValue:
    """What one more million pesos for a region, sector or MOA would reach."""

    kind: str  # region, sector, moa
    group: str
    score: float  # objective gained
    people: float
    needs: float  # priority-weighted needs
    via: tuple[str, ...]  # the PPAs the money would go to
    sentence: str
    votes: float = 0.0  # community votes (participatory budgeting)


def _slack(row: Row, amounts: Array) -> float:
    lhs = float(row.coef @ amounts[row.idx])
    return row.rhs - lhs if row.sense == LESS else lhs - row.rhs


def binding_constraints(
    problem: AllocationProblem, rules: AllocationRules, amounts: Array,
    relaxation: Relaxation | None = None,
) -> tuple[Binding, ...]:
    """Constraints with (almost) no room left: within ₱1 or 0.1 % of their limit."""
    duals = relaxation.duals if relaxation is not None else {}
    out = []
    for row in constraint_rows(problem, rules):
        slack = _slack(row, amounts)
        scale = max(abs(row.rhs), float(np.abs(row.coef) @ amounts[row.idx]))
        dual = duals.get(row.key)
        idle = row.kind == "gad" and amounts[row.idx].sum() <= 0 and not (dual and dual > 1e-9)
        if slack <= max(1.0, 1e-3 * scale) and not idle:
            out.append(Binding(row.key, row.label, max(slack, 0.0), dual))
    return tuple(out)


def _contributions(
    problem: AllocationProblem, rules: AllocationRules, duals: dict[str, float]
) -> dict[str, tuple[Array, Array]]:
    """Per constraint: shadow price x use, per unit of funded fraction, for its PPAs."""
    out = {}
    for row in constraint_rows(problem, rules):
        out[row.key] = (row.idx, duals.get(row.key, 0.0) * row.coef * problem.cost[row.idx])
    for r, name in enumerate(problem.region_names):
        key = f"balance:{name}"
        if key in duals:
            idx = np.flatnonzero(problem.coverage[:, r] > 0)
            out[key] = (idx, duals[key] * problem.coverage[idx, r] * problem.cost[idx])
    return {key: (idx, c / MILLION) for key, (idx, c) in out.items()}


def _priced(size: int, parts: dict[str, tuple[Array, Array]], skip: set[str]) -> Array:
    total = np.zeros(size)
    for key, (idx, c) in parts.items():
        if key not in skip:
            np.add.at(total, idx, c)
    return total


def marginal_values(
    problem: AllocationProblem, rules: AllocationRules, weights: ObjectiveWeights,
    relaxation: Relaxation,
) -> list[MarginalValue]:
    """For each region, sector and MOA: what ₱1 M more would reach, and through which PPAs."""
    if not relaxation.feasible:
        return []
    parts = _contributions(problem, rules, dict(relaxation.duals))
    values = ppa_values(problem, weights)
    room = (1.0 - np.clip(relaxation.fractions, 0.0, 1.0)) * problem.cost
    if rules.must_exclude:
        room[problem.index_of(rules.must_exclude)] = 0.0
    groups: list[tuple[str, str, Array, set[str]]] = [
        ("region", name, np.flatnonzero(problem.coverage[:, r] > 0), set())
        for r, name in enumerate(problem.region_names)
    ]
    groups += [("sector", name, np.flatnonzero(problem.sector == k), {f"sector:{name}"})
               for k, name in enumerate(problem.sector_names)]
    groups += [("moa", name, np.flatnonzero(problem.moa == k), {f"capacity:{name}"})
               for k, name in enumerate(problem.moa_names)]
    base = _priced(problem.size, parts, {"envelope"})
    out = []
    for kind, name, idx, own in groups:
        priced = base - _priced(problem.size, {k: parts[k] for k in own if k in parts}, set())
        priced = priced[idx]
        net = (values[idx] - priced) / (problem.cost[idx] / MILLION)
        usable = (room[idx] > 1.0) & (net > 1e-12)
        out.append(_fill(problem, kind, name, idx[usable], net[usable], room[idx][usable]))
    return out


def _fill(problem: AllocationProblem, kind: str, name: str, idx: Array, net: Array,
          room: Array) -> MarginalValue:
    label = f"the {name} sector" if kind == "sector" else name
    budget, score, people, needs, votes, via = MILLION, 0.0, 0.0, 0.0, 0.0, []
    for j in np.argsort(-net, kind="stable"):
        take = min(budget, float(room[j]))
        i = int(idx[j])
        score += float(net[j]) * take / MILLION
        people += float(problem.population[i] / problem.cost[i]) * take
        needs += float(problem.needs_value[i] / problem.cost[i]) * take
        votes += float(problem.votes[i] / problem.cost[i]) * take
        via.append(problem.ppa_ids[i])
        budget -= take
        if budget <= 0:
            break
    if not via:
        sentence = (f"₱1 M more for {label} adds nothing: its PPAs are fully funded, excluded "
                    f"or held back by other constraints.")
    else:
        reached = (f"{people:,.0f} more people, {needs:,.2f} more priority-weighted needs and "
                   f"{votes:,.2f} more community votes" if votes >= 0.005 else
                   f"{people:,.0f} more people and {needs:,.2f} more priority-weighted needs")
        sentence = (f"₱1 M more for {label} reaches about {reached} (through "
                    f"{', '.join(via[:3])}{' and others' if len(via) > 3 else ''}).")
    return MarginalValue(kind, name, score, people, needs, tuple(via), sentence, votes)


def _room(row: Row, i: int, amounts: Array) -> float:
    position = int(np.searchsorted(row.idx, i))
    if position >= row.idx.size or row.idx[position] != i:
        return np.inf
    pressure = row.coef[position] if row.sense == LESS else -row.coef[position]
    return max(_slack(row, amounts), 0.0) / pressure if pressure > 0 else np.inf


def _draws_on(row: Row, i: int, dual: float) -> bool:
    """True when PPA i uses room in the row and that room has a positive shadow price."""
    position = int(np.searchsorted(row.idx, i))
    inside = position < row.idx.size and row.idx[position] == i
    return bool(inside and dual * row.coef[position] > 1e-12)


@dataclass(eq=False)
class _Context:
    """What every left-out explanation of one result shares, computed once."""

    problem: AllocationProblem
    rules: AllocationRules
    weights: ObjectiveWeights
    rows: list[Row]
    amounts: Array
    values: Array
    minimum: Array
    priced: Array | None  # shadow price of the room each PPA would take, per unit funded
    duals: dict[str, float]


def left_out_reasons(
    problem: AllocationProblem, rules: AllocationRules, weights: ObjectiveWeights,
    result: AllocationResult, ppa_ids: Iterable[str] | None = None,
) -> dict[str, str]:
    """For each PPA left out (or each one named): what would have to change to fund it."""
    amounts = result.amounts_array()
    if amounts.size != problem.size:
        amounts = np.zeros(problem.size)
    relaxation = result.relaxation
    duals = dict(relaxation.duals) if relaxation is not None and relaxation.feasible else {}
    priced = None
    if duals:
        priced = _priced(problem.size, _contributions(problem, rules, duals), set())
    context = _Context(problem, rules, weights, constraint_rows(problem, rules), amounts,
                       ppa_values(problem, weights), min_viable_amounts(problem), priced, duals)
    if ppa_ids is None:
        ppa_ids = [p for p, a in zip(problem.ppa_ids, amounts, strict=True) if a <= 0]
    return {ppa: _reason(context, ppa) for ppa in ppa_ids}


def why_left_out(
    problem: AllocationProblem, rules: AllocationRules, weights: ObjectiveWeights,
    result: AllocationResult, ppa_id: str,
) -> str:
    """What would have to change for a PPA the allocation leaves out to be funded."""
    return left_out_reasons(problem, rules, weights, result, [ppa_id])[ppa_id]


def _in_words(items: list[str]) -> str:
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def _what_scores(c: _Context) -> str:
    votes = c.weights.votes > 0 and bool(c.problem.votes.any())
    return ("more priority-weighted needs, people, urgency or community votes" if votes else
            "more priority-weighted needs, people or urgency")


def _reason(c: _Context, ppa_id: str) -> str:
    problem = c.problem
    i = int(problem.index_of([ppa_id])[0])
    if c.amounts[i] > 0:
        return f"{ppa_id} is funded ({php(c.amounts[i])})."
    if ppa_id in c.rules.must_exclude:
        return f"{ppa_id} is on the must-exclude list; take it off the list to let it compete."
    value = float(c.values[i])
    if value <= 0:
        return (f"{ppa_id} scores nothing under the current weights: link it to needs, or give "
                f"weight to population, urgency or community votes.")
    if c.priced is not None and c.priced[i] > value * (1 + 1e-6):
        priced = float(c.priced[i])
        draws = [r.label for r in c.rows if _draws_on(r, i, c.duals.get(r.key, 0.0))]
        per_million = MILLION / float(problem.cost[i])
        return (f"{ppa_id} scores {value * per_million:.3g} per ₱1 M, but the room it would "
                f"take in {_in_words(draws) or 'the envelope'} is worth "
                f"{priced * per_million:.3g} per ₱1 M to other PPAs. It would be funded if "
                f"its score rose by about {priced / value - 1:.0%} ({_what_scores(c)}), "
                f"if its request fell to about "
                f"{php(problem.cost[i] * value / priced)}, or if those limits were loosened.")
    room, tightest = min(((_room(r, i, c.amounts), r.label) for r in c.rows),
                         key=lambda item: item[0])
    minimum = float(c.minimum[i])
    if room < 0.005:
        return (f"{ppa_id} is worth funding, but {tightest} is fully used. It would be funded "
                f"if {tightest} rose by {php(minimum)}, or if a PPA that scores less gave way.")
    if room + 0.005 < minimum:
        return (f"{ppa_id} is worth funding, but its minimum viable amount {php(minimum)}"
                f" does not fit: only {php(room)} is left under {tightest}. It would be "
                f"funded if its minimum viable amount fell to {php(room)}, if {tightest} "
                f"rose by {php(minimum - room)}, or if a PPA that scores less gave way.")
    return (f"{ppa_id} fits in what is left ({php(min(room, problem.cost[i]))}); the "
            f"solver stopped within its gap before adding it. Allow more time or a smaller gap.")
