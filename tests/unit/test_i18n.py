"""The translation catalogue: complete in every language, with matching placeholders."""

from __future__ import annotations

import pytest

from obcms_core import i18n


def test_every_key_has_every_language_with_the_same_placeholders() -> None:
    problems = []
    for key, texts in i18n.catalogue().items():
        missing = set(i18n.LANGUAGES) - set(texts)
        if missing:
            problems.append(f"{key}: no {', '.join(sorted(missing))}")
        wanted = i18n.placeholders(texts[i18n.DEFAULT])
        for lang, template in texts.items():
            if lang not in i18n.LANGUAGES:
                problems.append(f"{key}: unknown language {lang}")
            elif i18n.placeholders(template) != wanted:
                problems.append(f"{key}: {lang} placeholders differ from English")
            elif not template.strip():
                problems.append(f"{key}: {lang} is empty")
    assert not problems, "\n".join(problems)


def test_a_text_is_given_in_the_chosen_language_and_filled_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert i18n.text("common.language", "fil") == "Wika"
    assert i18n.text("common.language") == "Language"
    monkeypatch.setattr(i18n, "catalogue", lambda: {"x": {"en": "Closes {date}"}})
    assert i18n.text("x", "fil", date="30 Nov") == "Closes 30 Nov"  # falls back to English


def test_an_unknown_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        i18n.text("no.such.key", "en")
