"""Finding English on a screen shown in German: the words of en.json that German never uses,
in any text, label or title of the page that is not the workspace's own data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

CATALOGUES = Path(__file__).resolve().parents[2] / "desk" / "ui" / "i18n"
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# German words that Intl writes (weekdays, months), which English also spells.
INTL_GERMAN = {"mo", "di", "mi", "do", "fr", "sa", "so", "mai", "dez", "okt"}
# A timezone's name ("Europe/Isle_of_Man") is an identifier, never translated.
ZONE = re.compile(r"^[A-Za-z_]+/[A-Za-z0-9_/+-]+$")

# Every piece of text the page carries: text nodes (also of hidden and screen-reader-only
# elements) and the attributes people hear or see; the tab's title.
PAGE_TEXT = """(within) => {
  const roots = within ? [...document.querySelectorAll(within)] : [document.body];
  const out = within ? [] : [document.title];
  const NAMED = '[aria-label], [title], [placeholder], [alt]';
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const tag = node.parentElement?.tagName;
      if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'CODE' || tag === 'KBD') continue;
      if (node.parentElement?.closest('[data-i18n-skip], .mono, textarea')) continue;
      if (node.textContent.trim()) out.push(node.textContent.trim());
    }
    for (const el of [root, ...root.querySelectorAll(NAMED)]) {
      if (el.closest('[data-i18n-skip]')) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name);
        if (value && value.trim()) out.push(value.trim());
      }
    }
  }
  return out;
}"""


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def english_only_words() -> set[str]:
    english = json.loads((CATALOGUES / "en.json").read_text(encoding="utf-8"))
    german = json.loads((CATALOGUES / "de.json").read_text(encoding="utf-8"))
    placeholders = {w.lower() for v in english.values() for w in re.findall(r"\{(\w+)\}", v)}
    en_words = set().union(*(words(re.sub(r"\{\w+\}", " ", v)) for v in english.values()))
    de_words = set().union(*(words(v) for v in german.values()))
    return en_words - de_words - placeholders - INTL_GERMAN


def data_strings(value: Any) -> set[str]:
    """Every string in an API answer (names, subjects, bodies…): the workspace's data."""
    if isinstance(value, str):
        return {value.strip()} if len(value.strip()) >= 2 else set()
    if isinstance(value, dict):
        return set().union(set(), *(data_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(data_strings(v) for v in value))
    return set()


class EnglishFinder:
    def __init__(self, data: set[str]) -> None:
        self.suspects = english_only_words()
        # Longest first, so a subject is removed whole before a word of it.
        self.data = sorted(data, key=len, reverse=True)
        self.found: list[str] = []

    def check(self, page: Any, where: str) -> None:
        """The whole page."""
        self.check_within(page, None, where)

    def check_within(self, page: Any, within: str | None, where: str) -> None:
        """Only what is inside the elements `within` (a CSS selector) selects."""
        for text in page.evaluate(PAGE_TEXT, within):
            if ZONE.match(text) or any(text in item for item in self.data):
                continue  # a piece of data (a link splits a message into pieces)
            rest = text
            for item in self.data:
                if item in rest:
                    rest = rest.replace(item, " ")
            english = sorted(words(rest) & self.suspects)
            if english:
                self.found.append(f"{where}: {text[:100]!r} ({', '.join(english)})")

    def assert_none(self) -> None:
        found = list(dict.fromkeys(self.found))
        assert found == [], f"{len(found)} English texts on German screens:\n" + "\n".join(found)
