"""Text-only rendering, kept (issue 16's review found it done well): no UI script turns a string
into HTML or code, so whatever a customer writes can only ever be text. The UI tests show it
in the browser (tests/ui/test_screens.py::test_message_markup_renders_as_text, the widget's
XSS tests); this check keeps the ways to break it out of the source, the Content-Security-
Policy (tests/ui/test_csp.py) being the second line."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "desk" / "ui"
SINKS = re.compile(
    r"\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write|DOMParser|"
    r"createContextualFragment|\beval\s*\(|new\s+Function\s*\(|setHTMLUnsafe|"
    r"""setAttribute\(\s*["'](?:on\w+|style|srcdoc|href)["']"""
)


def scripts() -> list[Path]:
    return sorted([*(UI / "js").rglob("*.js"), UI / "widget.js"])


def test_no_script_parses_strings_as_html_or_code() -> None:
    found = []
    for path in scripts():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("//", 1)[0] if not line.lstrip().startswith("*") else ""
            if SINKS.search(code):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert found == []


def test_the_page_has_no_inline_script_style_or_handler() -> None:
    page = (UI / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert re.findall(r"\s(?:on\w+|style)\s*=", page) == []


def test_the_checks_see_the_sinks() -> None:
    # Guards the tests above against patterns that silently match nothing.
    for bad in (
        "el.innerHTML = text;",
        "node.insertAdjacentHTML('beforeend', x)",
        "el.setAttribute('onclick', x)",
        'el.setAttribute("style", "color:red")',
        "new Function('return 1')",
    ):
        assert SINKS.search(bad), bad
    assert len(scripts()) >= 20
