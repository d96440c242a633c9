"""The one translation catalogue of the public and voting pages (English and Filipino).

Texts live in catalogue.toml, one table per key with a string per language:

    [vote.submit]
    en = "Submit my ballot"
    fil = "Ipasa ang aking balota"

`text("vote.submit", "fil")` returns the Filipino text; placeholders use str.format names
(`text("vote.closes", lang, date="30 Nov 2026")`). A key missing in a language falls back to
English; a key missing altogether raises KeyError, so a typo fails in tests rather than showing
a blank. tests/unit/test_i18n.py checks that every key has every language with the same
placeholders.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).with_name("catalogue.toml")
LANGUAGES: dict[str, str] = {"en": "English", "fil": "Filipino"}
DEFAULT = "en"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()) and value:
            entries[key] = dict(value)
        elif isinstance(value, dict):
            entries.update(_flatten(value, key + "."))
        else:
            raise ValueError(f"{CATALOGUE.name}: {key} must be a table of languages")
    return entries


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key with its texts by language code."""
    with CATALOGUE.open("rb") as handle:
        return _flatten(tomllib.load(handle))


def text(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The text of `key` in `lang` (English when that language lacks it), filled in."""
    entry = catalogue()[key]
    template = entry.get(lang) or entry[DEFAULT]
    return template.format(**values) if values else template


def placeholders(template: str) -> set[str]:
    """The {names} a template expects."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}
