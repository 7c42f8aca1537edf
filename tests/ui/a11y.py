"""axe-core (through axe-playwright-python, which carries it) over a page in every theme and
window size: the serious and critical WCAG 2.1 A/AA violations, as readable lines."""

from __future__ import annotations

import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe

from .conftest import shot

# (colour scheme, width, height): both themes at the two window sizes UI.md designs for.
LOOKS = [("light", 1440, 900), ("dark", 1440, 900), ("light", 1024, 700), ("dark", 1024, 700)]
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Still "experimental" in axe, so off by default: a control's name must contain its
    # visible text (WCAG 2.5.3), or speech users cannot say what they see.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
BAD = {"serious", "critical"}
SETTLED = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
  for (const animation of document.getAnimations()) {
    if (animation.effect?.getTiming().iterations !== Infinity) animation.finish();
  }
  done();
})))"""
AXE = Axe()


class Audit:
    """Collects what axe finds in each state the test puts the page in."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.states: list[str] = []

    def check(self, page: Any, state: str, within: str | None = None) -> None:
        """Run axe on the page (or only `within`, a CSS selector: an open dialog) in each look;
        the page keeps its state, only the window size and colour scheme change."""
        self.states.append(state)
        for scheme, width, height in LOOKS:
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme=scheme)
            page.evaluate(SETTLED)
            look = f"{scheme} {width}x{height}"
            shot(page, re.sub(r"[^a-z0-9]+", "-", f"a11y {state} {scheme} {width}x{height}"))
            results = AXE.run(page, context=within, options=RULES).response
            for violation in results["violations"]:
                if violation["impact"] not in BAD:
                    continue
                for node in violation["nodes"]:
                    self.found.append(
                        f"{state} [{look}] {violation['id']} ({violation['impact']}): "
                        f"{' '.join(map(str, node['target']))} :: {node['html'][:160]}"
                        f" :: {node.get('failureSummary', '').splitlines()[-1:]}"
                    )
        page.set_viewport_size({"width": LOOKS[0][1], "height": LOOKS[0][2]})
        page.emulate_media(color_scheme=LOOKS[0][0])

    def assert_clean(self) -> None:
        assert self.found == [], f"{len(self.found)} serious/critical:\n" + "\n".join(self.found)
