"""Deterministic synthetic allocation problems for tests and benchmarks (not real data).

Needs get priority scores, affected populations and urgencies; each need is linked to one to
three PPAs with shares that together cover part of it. A PPA's needs value is the sum over its
links of share x priority; its population, urgency and community votes (about one need in six
was on a participatory-budgeting ballot, scored 0..1) are share-weighted the same way. The
scenario uses every constraint kind: envelope, a funding-source and two sector ceilings, MOA
absorptive capacity, regional floors (by share and per capita), the 5 % GAD share, must-fund
and must-exclude lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from obcms_core.domain.allocation.constraints import AllocationRules
from obcms_core.domain.allocation.model import AllocationProblem, ObjectiveWeights
from obcms_core.domain.enums import FundingSource, PPASector

REGIONS = ("Region IX", "Region X", "Region XI", "Region XII")
REGION_POPULATION = (410_000.0, 330_000.0, 270_000.0, 520_000.0)  # illustrative, not census
CAPACITY_MULTIPLE = 1.3


@dataclass(frozen=True, eq=False)
class SyntheticInstance:
    """A generated problem with a scenario that exercises every constraint kind."""

    problem: AllocationProblem
    rules: AllocationRules
    weights: ObjectiveWeights
    needs: int  # needs generated and linked to PPAs


def _vote_scores(seed: int, n_needs: int) -> np.ndarray:
    """Per need: its vote score 0..1 (0 for needs on no ballot); a stream of its own, so the
    other figures stay as they were before votes existed."""
    rng = np.random.default_rng([seed, 6])
    raw = np.where(rng.random(n_needs) < 1 / 6, rng.beta(1.2, 3.0, n_needs), 0.0)
    return raw / raw.max() if raw.max() > 0 else raw


def _needs_links(
    rng: np.random.Generator, n_ppas: int, n_needs: int, scores: np.ndarray
) -> np.ndarray:
    """Per PPA: (needs value, population, urgency, votes) from needs linked with shares."""
    priority = rng.gamma(2.0, 0.8, n_needs).clip(0.2, 5.0)
    affected = rng.lognormal(np.log(250.0), 0.8, n_needs).round()
    urgency = rng.integers(1, 5, n_needs).astype(float)
    links = rng.choice([1, 2, 3], size=n_needs, p=[0.5, 0.3, 0.2])
    need = np.repeat(np.arange(n_needs), links)
    ppa = rng.integers(0, n_ppas, need.size)
    raw = rng.uniform(0.2, 1.0, need.size)
    covered = rng.uniform(0.3, 1.0, n_needs)  # the part of a need its PPAs cover together
    share = raw / np.bincount(need, weights=raw)[need] * covered[need]
    return np.stack([
        np.bincount(ppa, weights=share * priority[need], minlength=n_ppas),
        np.bincount(ppa, weights=share * affected[need], minlength=n_ppas),
        np.bincount(ppa, weights=share * urgency[need], minlength=n_ppas),
        np.bincount(ppa, weights=share * scores[need], minlength=n_ppas),
    ])


def synthetic_problem(
    n_ppas: int = 5000, n_needs: int = 50000, seed: int = 0, n_moas: int = 43
) -> AllocationProblem:
    """A reproducible set of PPAs with costs, values, coverage, MOAs and last year's figures."""
    rng = np.random.default_rng(seed)
    n_moas = max(1, min(n_moas, n_ppas))
    cost = np.maximum(rng.lognormal(np.log(8e6), 0.9, n_ppas).round(-3), 100_000.0)
    min_fraction = np.where(rng.random(n_ppas) < 0.4, 1.0,
                            rng.uniform(0.3, 0.9, n_ppas).round(2))
    needs_value, population, urgency, votes = _needs_links(
        rng, n_ppas, n_needs, _vote_scores(seed, n_needs))
    pop = np.array(REGION_POPULATION)
    primary = rng.choice(len(REGIONS), size=n_ppas, p=pop / pop.sum())
    second = (primary + rng.integers(1, len(REGIONS), n_ppas)) % len(REGIONS)
    split = np.where(rng.random(n_ppas) < 0.3, rng.uniform(0.2, 0.5, n_ppas), 0.0)
    coverage = np.zeros((n_ppas, len(REGIONS)))
    coverage[np.arange(n_ppas), primary] = 1.0 - split
    coverage[np.arange(n_ppas), second] += split
    moa = rng.zipf(1.6, n_ppas) % n_moas
    moa[:n_moas] = np.arange(n_moas)  # every MOA has at least one PPA
    gad = rng.random(n_ppas) < 0.25
    gad[:n_moas] = True  # and at least one GAD-tagged PPA
    sources = [s.value for s in FundingSource]
    source = np.where(rng.random(n_ppas) < 0.75, 0, rng.integers(1, len(sources), n_ppas))
    last_year = np.where(rng.random(n_ppas) < 0.7, cost * rng.uniform(0.5, 1.1, n_ppas), 0.0)
    last_year = last_year.round(-3)
    disbursed = np.bincount(moa, weights=last_year, minlength=n_moas)
    disbursed = np.where(disbursed > 0, disbursed * rng.uniform(0.75, 0.95, n_moas), np.nan)
    return AllocationProblem(
        ppa_ids=tuple(f"PPA-{i + 1:05d}" for i in range(n_ppas)),
        cost=cost, min_fraction=min_fraction, needs_value=needs_value,
        population=population, urgency=urgency, coverage=coverage,
        sector=rng.integers(0, len(PPASector), n_ppas), moa=moa, source=source, gad=gad,
        last_year=last_year, region_names=REGIONS, region_population=pop,
        sector_names=tuple(s.value for s in PPASector),
        moa_names=tuple(f"MOA {k + 1:02d}" for k in range(n_moas)),
        source_names=tuple(sources), moa_disbursement=disbursed, votes=votes,
    )


def synthetic_rules(problem: AllocationProblem, seed: int = 0) -> AllocationRules:
    """A scenario over the problem that uses every constraint kind and stays feasible."""
    rng = np.random.default_rng(seed + 1)
    envelope = float(np.floor(0.55 * problem.cost.sum() / 1e6) * 1e6)
    by_source = np.bincount(problem.source, weights=problem.cost,
                            minlength=len(problem.source_names))
    pop_share = problem.region_population / problem.region_population.sum()
    # must-fund PPAs are cheap GAD-tagged ones, at most a third of their MOA's capacity, so
    # they never break a GAD share or a capacity
    room = np.nan_to_num(CAPACITY_MULTIPLE * problem.moa_disbursement, nan=np.inf) / 3
    cheap = np.flatnonzero((problem.cost < np.quantile(problem.cost, 0.3)) & problem.gad)
    picked, used_moas = [], set()
    for i in rng.permutation(cheap).tolist():
        moa = int(problem.moa[i])
        if moa not in used_moas and problem.cost[i] <= room[moa]:
            picked.append(i)
            used_moas.add(moa)
    must_fund = picked[: max(1, problem.size // 100)]
    rest = np.setdiff1d(np.flatnonzero(problem.cost < np.quantile(problem.cost, 0.3)), must_fund)
    must_exclude = rng.permutation(rest)[: max(1, problem.size // 200)]
    last = len(problem.region_names) - 1
    return AllocationRules(
        envelope=envelope,
        source_ceilings={problem.source_names[1]: float(0.6 * by_source[1]),
                         problem.source_names[0]: 0.85 * envelope},
        sector_ceilings={problem.sector_names[0]: 0.17 * envelope,
                         problem.sector_names[2]: 0.15 * envelope},
        capacity_multiple=CAPACITY_MULTIPLE,
        region_floor_shares={name: float(0.85 * pop_share[r])
                             for r, name in enumerate(problem.region_names[:last])},
        region_floor_per_capita={problem.region_names[last]: float(
            0.85 * envelope / problem.region_population.sum())},
        gad_share=0.05,
        must_fund=frozenset(problem.ppa_ids[i] for i in must_fund),
        must_exclude=frozenset(problem.ppa_ids[i] for i in must_exclude),
    )


def synthetic_instance(
    n_ppas: int = 5000, n_needs: int = 50000, seed: int = 0
) -> SyntheticInstance:
    """The benchmark instance: PPAs, needs linked to them, and a full scenario."""
    problem = synthetic_problem(n_ppas, n_needs, seed)
    weights = ObjectiveWeights(needs=1.0, population=0.3, urgency=0.2, balance=0.1)
    return SyntheticInstance(problem, synthetic_rules(problem, seed), weights, n_needs)
