"""The agent UI's message catalogues (desk/ui/i18n/*.json, read by desk/ui/js/lib/i18n.js).

Every language has every key of English, with the same {placeholders}; plurals (key_one,
key_other, …) have the forms t() needs; and every catalogue key the code names exists, and
every key exists because the code names it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[1] / "desk" / "ui"
CATALOGUES = UI / "i18n"
LANGUAGES = ("en", "de", "fr", "es")
PLURAL = re.compile(r"^(.+)_(zero|one|two|few|many|other)$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A quoted string that looks like a catalogue key: "area.name", "area.sub.name".
KEYLIKE = re.compile(r"""["'`]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)["'`]""")
# t("key", …), plural(n, "key") and { key: "…" } (a table of pages or views): a key outright.
CALL = re.compile(
    r"""(?:\bt\(\s*|\bplural\([^,()]+,\s*)["']([^"']+)["']|\bkey:\s*["']([a-z]\w*\.[^"']+)["']"""
)


def catalogue(language: str) -> dict[str, str]:
    data = json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def base(key: str) -> str:
    match = PLURAL.match(key)
    return match.group(1) if match else key


def sources() -> dict[str, str]:
    return {p.relative_to(UI).as_posix(): p.read_text() for p in sorted((UI / "js").rglob("*.js"))}


def test_the_catalogues_are_the_languages_the_ui_offers() -> None:
    assert sorted(p.stem for p in CATALOGUES.glob("*.json")) == sorted(LANGUAGES)
    offered = re.search(r"LANGUAGES = \{([^}]*)\}", (UI / "js/lib/i18n.js").read_text())
    assert offered is not None
    assert sorted(re.findall(r"(\w+):", offered.group(1))) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_a_non_empty_string(language: str) -> None:
    bad = {k: v for k, v in catalogue(language).items() if not isinstance(v, str) or not v.strip()}
    assert bad == {}


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_key_of_english_is_in_every_catalogue(language: str) -> None:
    english = {base(k) for k in catalogue("en")}
    other = {base(k) for k in catalogue(language)}
    assert sorted(english - other) == [], f"{language}.json misses these keys"
    assert sorted(other - english) == [], f"{language}.json has keys English does not"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plurals_have_the_one_and_other_forms(language: str) -> None:
    messages = catalogue(language)
    bases = {PLURAL.match(k).group(1) for k in messages if PLURAL.match(k)}  # type: ignore[union-attr]
    needed = [f"{b}_{form}" for b in sorted(bases) for form in ("one", "other")]
    missing = [key for key in needed if key not in messages]
    assert missing == []
    assert sorted(bases & set(messages)) == [], "a key is both plural and plain"


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_translations_fill_the_same_placeholders(language: str) -> None:
    def names(messages: dict[str, str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for key, text in messages.items():
            out.setdefault(base(key), set()).update(PLACEHOLDER.findall(text))
        return out

    english, other = names(catalogue("en")), names(catalogue(language))
    differ = {k: (english[k], other.get(k)) for k in english if english[k] != other.get(k)}
    assert differ == {}


def test_every_key_the_code_asks_for_exists() -> None:
    keys = {base(k) for k in catalogue("en")}
    asked = {
        (name, "".join(groups)) for name, text in sources().items() for groups in CALL.findall(text)
    }
    missing = sorted(f"{name}: {key}" for name, key in asked if key not in keys)
    assert missing == []


def test_every_key_is_named_by_the_code() -> None:
    # A key used through a variable is still written out somewhere as a string, e.g. in a map
    # from a status to its key; a family of keys ("auto.event.<value>") is named by its prefix
    # written as a string ("auto.event"). A key no code names is a leftover.
    text = "\n".join(sources().values())
    named = set(KEYLIKE.findall(text))
    quoted = set(re.findall(r"""["'`]([a-z][A-Za-z0-9._]*)["'`]""", text))
    families = {q for q in quoted if "." in q}
    unused = sorted(
        key
        for key in {base(k) for k in catalogue("en")}
        if key not in named and key.rsplit(".", 1)[0] not in families
    )
    assert unused == []


def test_the_checks_see_the_code() -> None:
    calls = 't("time.now"), t( "a.b", {x: 1}), plural(n, "c.d"), { id: "x", key: "e.f" }'
    assert ["".join(g) for g in CALL.findall(calls)] == ["time.now", "a.b", "c.d", "e.f"]
    assert CALL.findall('the stable key: "disk_full"') == []
    assert KEYLIKE.findall('{ open: "status.open", x: "not a key", y: "file.js" }') == [
        "status.open",
        "file.js",
    ]
    assert len(catalogue("en")) >= 10
