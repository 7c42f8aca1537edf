"""Keyboard only, every dialog and menu: opened with Enter on its (keyboard-focused) button,
the focus moves into it and is drawn (`:focus-visible`, a ring in the computed style); Escape
closes it and the focus is back on the button it came from, drawn again. Reduced motion: the
system's "reduce" turns transitions off (computed transition-duration), in the agent UI and
the chat widget."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, AGENT, Seeded, api_client

# "" when the focused element matches :focus-visible and its computed style draws a ring (an
# outline or a box-shadow, on it or on the search box around it); else what is wrong.
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has focus';
  if (!el.matches(':focus-visible')) return 'not :focus-visible: ' + el.outerHTML.slice(0, 99);
  const ring = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== 'none';
  };
  if (ring(el) || (el.closest('.search-box') && ring(el.closest('.search-box')))) return '';
  return 'no ring drawn on ' + el.outerHTML.slice(0, 99);
}"""


@dataclass(frozen=True)
class Opener:
    name: str
    hash: str  # may name {conversation}, {contact}
    button: str  # the control that opens it (a selector)
    opened: str  # what shows while it is open (a selector)


OPENERS = [
    Opener(
        "log a conversation",
        "#/inbox/open",
        ".list-head button[title='Log a conversation']",
        "dialog[open]",
    ),
    Opener(
        "shortcut help",
        "#/inbox/open",
        "button.rail-link[title^='Keyboard shortcuts']",
        "dialog[open]",
    ),
    Opener("notifications", "#/inbox/open", "button.bell", "[role=dialog]"),
    Opener("agent menu", "#/inbox/open", "button.rail-me", "[role=menu]"),
    Opener("merge", "#/inbox/all/c/{conversation}", ".merge-btn", "dialog[open]"),
    Opener("status menu", "#/inbox/all/c/{conversation}", ".status-btn", "[role=menu]"),
    Opener("assignee menu", "#/inbox/all/c/{conversation}", "[data-focus=assign]", "[role=menu]"),
    Opener(
        "send later", "#/inbox/all/c/{conversation}", "button[title='Send later']", "[role=menu]"
    ),
    Opener("contact delete", "#/contacts/{contact}", ".detail-inner button.danger", "dialog[open]"),
]


@pytest.fixture(scope="module")
def made(seeded: Seeded) -> Iterator[dict[str, int]]:
    contact = {"name": "Kim Keys", "email": "kim.keys@example.com"}
    with api_client(seeded.desk, ADMIN) as admin:
        ids = []
        for text in ("First question", "Second question"):
            response = admin.post(
                "/api/conversations",
                json={"channel_id": seeded.channel_id, "contact": contact, "message": text},
            )
            response.raise_for_status()
            ids.append(response.json())
        # The contact page's Delete is only looked at, never confirmed.
        yield {"conversation": ids[1]["id"], "contact": ids[1]["contact"]["id"]}


@pytest.mark.parametrize("opener", OPENERS, ids=[o.name for o in OPENERS])
def test_focus_goes_in_and_comes_back_to_its_button(
    open_page: Any, made: dict[str, int], opener: Opener
) -> None:
    page = open_page(hash=opener.hash.format(**made)).page
    button = page.locator(opener.button).first
    expect(button).to_be_visible(timeout=30_000)
    button.focus()
    page.keyboard.press("Shift+Tab")  # a key pressed: the page now draws focus as keyboard focus
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    assert page.evaluate(FOCUS_VISIBLE) == ""
    page.keyboard.press("Enter")
    opened = page.locator(opener.opened).first
    expect(opened).to_be_visible()
    # The focus went into what opened, and is drawn there.
    page.wait_for_function(
        "(s) => !!document.activeElement.closest(s)", arg=opener.opened, timeout=15_000
    )
    assert page.evaluate(FOCUS_VISIBLE) == ""
    page.keyboard.press("Escape")
    expect(page.locator(opener.opened)).to_have_count(0)
    expect(button).to_be_focused()
    assert page.evaluate(FOCUS_VISIBLE) == ""


TRANSITION = """(selector) => {
  const root = document.querySelector('desk-chat')?.shadowRoot || document;
  const style = getComputedStyle(root.querySelector(selector));
  return [style.transitionDuration, style.animationDuration];
}"""


def test_reduced_motion_turns_transitions_off(open_page: Any, browser: Any) -> None:
    page = open_page(who=AGENT, hash="#/inbox/open").page
    expect(page.locator(".conv-row").first).to_be_visible()
    durations = {}
    for motion in ("no-preference", "reduce"):
        page.emulate_media(reduced_motion=motion)
        durations[motion] = page.evaluate(TRANSITION, ".conv-row")
    # Desk's own CSS has no transitions; with "reduce" every one anyone adds is cut to ~0.
    assert durations["no-preference"] == ["0s", "0s"]
    assert durations["reduce"] == ["1e-05s", "1e-05s"], durations  # base.css's 0.01ms
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
