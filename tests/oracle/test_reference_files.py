"""On every published pabulib file our rules fund exactly what pabutools funds.

Reference outcomes come from tests/oracle/make_reference.py (pabutools' MES with Add1 takes
minutes to hours on the large files); pabutools is re-run live here whenever its stored time
is under 20 seconds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pabutools")

from obcms_core.adapters.pabulib import read_pb  # noqa: E402
from obcms_core.domain.pb.greedy import greedy  # noqa: E402
from obcms_core.domain.pb.mes import equal_shares  # noqa: E402
from obcms_core.domain.pb.profile import SupportProfile, Utility, build_profile  # noqa: E402
from obcms_core.domain.pb.welfare import max_welfare  # noqa: E402

PABULIB = Path(
    os.environ.get("OBCMS_PABULIB_DIR")
    or Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"
)
REFERENCE = Path(__file__).with_name("reference_outcomes.json")
LIVE_LIMIT = 20.0


def _stored() -> dict[str, Any]:
    return json.loads(REFERENCE.read_text())["files"] if REFERENCE.exists() else {}


STORED = _stored()
CASES = [(f, r) for f, rules in sorted(STORED.items()) for r in sorted(rules)]
pytestmark = pytest.mark.skipif(
    not STORED or not PABULIB.exists(), reason="reference outcomes or pabulib files missing"
)


def _ours(name: str, rule: str) -> list[str]:
    election = read_pb(PABULIB / name)
    utility = Utility.COST_POINTS if rule.endswith("_points") else Utility.COST
    if rule.startswith("greedy"):
        return sorted(greedy(election, utility))
    if rule.startswith("mes"):
        return sorted(equal_shares(election, utility).selected)
    return sorted(max_welfare(election, utility))


def _welfare(profile: SupportProfile, ids: list[str]) -> int:
    index = {pid: j for j, pid in enumerate(profile.ids)}
    total = sum(profile.costs[index[p]] * profile.support[index[p]] for p in ids)
    return int(total)


@pytest.mark.parametrize(("name", "rule"), CASES, ids=[f"{f[:-3]}-{r}" for f, r in CASES])
def test_our_rule_funds_what_the_stored_pabutools_outcome_funds(name: str, rule: str) -> None:
    entry = STORED[name][rule]
    if "skipped" in entry:
        pytest.skip(f"no pabutools reference: {entry['skipped']}")
    ours = _ours(name, rule)
    if rule == "max_welfare":  # pabutools does not control ties: compare the welfare
        profile = build_profile(read_pb(PABULIB / name))
        assert _welfare(profile, ours) == int(entry["welfare"])
    else:
        assert ours == entry["selected"]


LIVE = [
    (f, r)
    for f, r in CASES
    if r in ("greedy", "mes", "greedy_points", "mes_points")
    and STORED[f][r].get("seconds", LIVE_LIMIT) < LIVE_LIMIT
]


@pytest.mark.parametrize(("name", "rule"), LIVE, ids=[f"{f[:-3]}-{r}" for f, r in LIVE])
def test_our_rule_funds_what_pabutools_funds_when_run_live(name: str, rule: str) -> None:
    from pabutools.election import parse_pabulib

    from tests.oracle.pabutools_bridge import run_pabutools

    outcome = run_pabutools(*parse_pabulib(str(PABULIB / name)), rule)
    assert _ours(name, rule) == sorted(p.name for p in outcome)
