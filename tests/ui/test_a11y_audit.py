"""The audit the accessibility tests rely on can fail: a page with known faults is reported in
every look, and the dark look really shows Desk's dark theme."""

from __future__ import annotations

from typing import Any

import pytest

from .a11y import Audit

pytestmark = pytest.mark.ui

FAULTY = """<!doctype html><html lang="en"><head><title>Faults</title></head><body><main>
<p style="color:#c8c8c8;background:#ffffff">Pale grey text on white</p>
<button type="button"></button></main></body></html>"""


def test_the_audit_reports_known_faults_in_every_look(browser: Any) -> None:
    page = browser.new_page()
    try:
        page.set_content(FAULTY)
        audit = Audit()
        audit.check(page, "faulty page")
        found = "\n".join(audit.found)
        assert found.count("color-contrast (serious)") == 4, found  # light and dark, two sizes
        assert found.count("button-name (critical)") == 4, found
        with pytest.raises(AssertionError):
            audit.assert_clean()
    finally:
        page.close()


def test_the_dark_look_is_desks_dark_theme(open_page: Any) -> None:
    page = open_page(scheme="light").page
    page.emulate_media(color_scheme="dark")  # what Audit.check does for its dark looks
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 23, 26)"
