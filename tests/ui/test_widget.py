"""The chat widget in Debian's Chromium, embedded by a page on ANOTHER loopback origin (its own
port), chatting live with an agent in Desk's inbox; hostile CSS, XSS both ways, reloads,
dropped streams, a site that is not allowed, Desk being down, keyboard, axe, languages."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.servers import RunningDesk, start_desk

from .a11y import AXE, BAD, RULES, SETTLED
from .conftest import ADMIN, AGENT, HINT, Problems, shot
from .host_pages import HostSite, serve_site

WIDGET_JS = Path(__file__).resolve().parents[2] / "desk" / "ui" / "widget.js"
XSS_IN = "<img src=x onerror=alert('visitor')> hi"
XSS_OUT = "<script>alert('agent')</script><b>bold?</b> see https://example.com/a?b=1&c=2."


@dataclass
class ChatSite:
    desk: RunningDesk
    site: HostSite
    other: HostSite  # a website on an origin the channel does not allow
    channel: dict[str, Any]
    data_dir: Path

    def restart(self) -> None:
        """Stop Desk (every stream drops) and start it again on the same port and data."""
        port = self.desk.url.rsplit(":", 1)[1]
        self.desk.stop()
        self.desk = start_desk(self.data_dir, "--port", port)


@pytest.fixture(scope="module")
def chat_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatSite]:
    data_dir = tmp_path_factory.mktemp("widget")
    desk = start_desk(data_dir)
    chat: ChatSite | None = None
    try:
        with desk.client() as admin, serve_site("") as site, serve_site("") as other:
            setup = {"workspace_name": "Northwind Bikes", **ADMIN}
            admin.post("/api/setup", json=setup).raise_for_status()
            admin.post("/api/agents", json={**AGENT, "role": "agent"}).raise_for_status()
            channel = admin.post(
                "/api/channels",
                json={
                    "name": "Website",
                    "type": "web_chat",
                    "config": {"allowed_origins": [site.url], "color": "#1f6f5c"},
                },
            ).json()
            site.snippet = other.snippet = channel["config"]["embed_snippet"]
            assert site.url.split(":")[-1] != desk.url.split(":")[-1]  # another origin
            chat = ChatSite(desk, site, other, channel, data_dir)
            yield chat
    finally:
        (chat.desk if chat else desk).stop()


@dataclass
class Visitor:
    page: Any
    problems: Problems

    @property
    def launcher(self) -> Any:
        return self.page.locator("desk-chat .launcher")

    @property
    def panel(self) -> Any:
        return self.page.get_by_role("dialog")

    @property
    def box(self) -> Any:
        return self.page.locator("desk-chat textarea")

    def bubbles(self, who: str = "") -> Any:
        return self.page.locator(f"desk-chat .msgs .m{who} .bubble")


@pytest.fixture
def visit(browser: Any, chat_site: ChatSite) -> Iterator[Any]:
    """visit(path="/shop", width=1280, height=800, scheme="light", site=None) -> Visitor."""
    contexts: list[Any] = []
    seen: list[Problems] = []

    def opener(
        path: str = "/shop",
        width: int = 1280,
        height: int = 800,
        scheme: str = "light",
        site: HostSite | None = None,
        context: Any = None,
    ) -> Visitor:
        if context is None:
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            contexts.append(context)
        page = context.new_page()
        problems = Problems()
        problems.allowed.append("favicon.ico")
        problems.watch(page)
        seen.append(problems)
        page.goto((site or chat_site.site).url + path)
        return Visitor(page, problems)

    yield opener
    for context in contexts:
        context.close()
    for problems in seen:
        assert problems.unexpected() == [], "\n".join(problems.unexpected())


@pytest.fixture
def agent_page(browser: Any, chat_site: ChatSite) -> Iterator[Any]:
    """Sam, signed in to Desk's inbox in a browser context of his own."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=chat_site.desk.url
    )
    response = context.request.post(
        "/api/auth/login", data={"email": AGENT["email"], "password": AGENT["password"]}
    )
    assert response.ok
    context.add_init_script(HINT)
    page = context.new_page()
    problems = Problems()
    problems.watch(page)
    page.goto("/#/inbox/open")
    yield page
    context.close()
    assert problems.unexpected() == []


def axe_violations(page: Any) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations anywhere on the page."""
    page.evaluate(SETTLED)
    results = AXE.run(page, options=RULES).response
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in BAD
    ]


def send(visitor: Visitor, text: str) -> None:
    visitor.box.fill(text)
    visitor.box.press("Enter")


def test_a_visitor_and_an_agent_chat_live(visit: Any, agent_page: Any, chat_site: ChatSite) -> None:
    visitor = visit("/hostile")
    expect(visitor.launcher).to_be_visible()
    shot(visitor.page, "widget-hostile-closed")
    visitor.launcher.click()
    expect(visitor.panel).to_be_visible()
    expect(visitor.panel).to_contain_text("Northwind Bikes")
    expect(visitor.panel).to_contain_text("Hi! How can we help?")
    # The page's `* { color: red; font-size: 30px }` and `div { display: none }` do not reach in.
    greeting = visitor.page.locator("desk-chat .body .bubble").first
    assert greeting.evaluate("e => getComputedStyle(e).fontSize") == "14px"
    assert greeting.evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"

    visitor.page.get_by_label("Name").fill("Grace Hopper")
    visitor.box.fill("First line")
    visitor.box.press("Shift+Enter")
    visitor.box.type("second line " + XSS_IN)
    visitor.box.press("Enter")
    mine = visitor.bubbles(".me")
    expect(mine).to_have_count(1)
    expect(mine.first).to_have_text("First line\nsecond line " + XSS_IN)
    expect(visitor.box).to_have_value("")

    # Sam's inbox shows the new conversation live, the visitor's markup as text.
    row = agent_page.locator(".conv-row", has_text="Grace Hopper")
    expect(row).to_be_visible()
    row.click()
    expect(agent_page.locator(".msg", has_text="second line")).to_contain_text(XSS_IN)
    box = agent_page.get_by_label("Reply", exact=True)
    box.fill(XSS_OUT)
    box.press("Control+Enter")
    shot(agent_page, "widget-agent-inbox")

    reply = visitor.bubbles(":not(.me)").last
    expect(reply).to_have_text(XSS_OUT, timeout=5000)
    assert reply.locator("b, script, img").count() == 0  # text, never markup
    expect(reply.get_by_role("link")).to_have_attribute("href", "https://example.com/a?b=1&c=2")
    expect(visitor.page.locator("desk-chat .msgs .name").last).to_have_text("Sam")
    shot(visitor.page, "widget-hostile-open")

    visitor.page.reload()
    visitor.launcher.click()
    expect(visitor.bubbles()).to_have_count(2)  # the history, once each
    expect(visitor.page.get_by_label("Name")).to_be_hidden()  # known already


def test_the_page_is_left_as_it_was(visit: Any) -> None:
    plain = visit("/plain")
    before = plain.page.evaluate("Object.keys(window).sort()")
    with_widget = visit("/shop")
    expect(with_widget.launcher).to_be_visible()
    after = with_widget.page.evaluate("Object.keys(window).sort()")
    assert after == before  # no globals
    added = with_widget.page.evaluate(
        "[...document.body.children].slice(-2).map(e => e.tagName.toLowerCase())"
    )
    assert added == ["script", "desk-chat"]
    assert with_widget.page.evaluate("document.head.children.length") == plain.page.evaluate(
        "document.head.children.length"
    )
    for element in ("document.documentElement", "document.body"):
        assert with_widget.page.evaluate(f"{element}.getAttribute('style')") is None
    storage = with_widget.page.evaluate("Object.keys(localStorage)")
    assert all(key.startswith("desk.widget.") for key in storage)


def test_screenshots_closed_open_phone_dark_and_german_with_no_axe_violations(
    visit: Any, chat_site: ChatSite
) -> None:
    visitor = visit("/shop")
    expect(visitor.launcher).to_be_visible()
    assert axe_violations(visitor.page) == []
    shot(visitor.page, "widget-closed")
    visitor.launcher.click()
    expect(visitor.panel).to_be_visible()
    send(visitor, "Do you have the Trekking 5 in a 56 cm frame?")
    expect(visitor.bubbles(".me")).to_have_count(1)
    assert axe_violations(visitor.page) == []
    shot(visitor.page, "widget-open")

    phone = visit("/shop", width=360, height=720)
    phone.launcher.click()
    phone.panel.evaluate("e => Promise.all(e.getAnimations().map(a => a.finished))")
    box = phone.panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": 360, "height": 720}  # the whole screen
    assert axe_violations(phone.page) == []
    shot(phone.page, "widget-phone")

    dark = visit("/shop", scheme="dark")
    dark.launcher.click()
    expect(dark.panel).to_be_visible()
    assert dark.panel.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(28, 29, 33)"
    assert axe_violations(dark.page) == []
    shot(dark.page, "widget-dark")

    german = visit("/shop?lang=de", width=360, height=720)
    expect(german.launcher).to_have_attribute("aria-label", "Chat öffnen")
    german.launcher.click()
    expect(german.panel).to_contain_text("Hallo! Wie können wir helfen?")
    expect(german.box).to_have_attribute("placeholder", "Nachricht schreiben…")
    send(german, "Haben Sie am Samstag geöffnet?")
    expect(german.page.locator("desk-chat .msgs time")).to_have_text(re.compile(r"^\d{1,2}:\d\d$"))
    assert axe_violations(german.page) == []
    shot(german.page, "widget-de")


def test_keyboard_only_focus_stays_in_the_open_panel_and_escape_returns_it(visit: Any) -> None:
    visitor = visit("/shop")
    expect(visitor.launcher).to_be_visible()
    visitor.launcher.focus()
    visitor.page.keyboard.press("Enter")
    expect(visitor.panel).to_be_visible()
    expect(visitor.box).to_be_focused()
    focus = "document.querySelector('desk-chat').shadowRoot.activeElement"
    seen = []
    for _ in range(8):
        visitor.page.keyboard.press("Tab")
        seen.append(visitor.page.evaluate(f"{focus}.getAttribute('aria-label') || {focus}.type"))
    assert "Open chat" not in seen  # the launcher is outside the panel: never reached
    assert seen.count("Close chat") >= 2  # the cycle came round
    visitor.page.keyboard.press("Shift+Tab")
    visitor.page.keyboard.press("Escape")
    expect(visitor.panel).to_be_hidden()
    expect(visitor.launcher).to_be_focused()


def test_a_reply_while_closed_shows_a_badge_and_is_announced(
    visit: Any, chat_site: ChatSite
) -> None:
    visitor = visit("/shop")
    visitor.launcher.click()
    send(visitor, "Can I book a repair for Friday?")
    expect(visitor.bubbles(".me")).to_have_count(1)
    visitor.page.keyboard.press("Escape")
    with chat_site.desk.client() as sam:
        sam.post("/api/auth/login", json={"email": AGENT["email"], "password": AGENT["password"]})
        conversation = sam.get("/api/conversations", params={"search": "repair"}).json()["items"][0]
        sam.post(
            f"/api/conversations/{conversation['id']}/messages", json={"body": "Friday works!"}
        ).raise_for_status()
    expect(visitor.page.locator("desk-chat .badge")).to_have_text("1")
    expect(visitor.launcher).to_have_attribute("aria-label", "Open chat, 1 unread message")
    expect(visitor.page.locator("desk-chat [aria-live]")).to_have_text(
        "New reply from Sam: Friday works!"
    )
    visitor.launcher.click()
    expect(visitor.page.locator("desk-chat .badge")).to_be_hidden()


def test_a_dropped_stream_catches_up_without_losing_or_repeating(
    visit: Any, chat_site: ChatSite
) -> None:
    visitor = visit("/shop")
    visitor.problems.allowed += ["ERR_INTERNET_DISCONNECTED", "ERR_CONNECTION_REFUSED"]
    visitor.launcher.click()
    send(visitor, "Is my bike ready?")
    expect(visitor.bubbles(".me")).to_have_count(1)
    failed: list[Any] = []
    visitor.page.on("requestfailed", lambda r: r.url.endswith("/events") and failed.append(r))
    visitor.page.context.set_offline(True)  # from now on no new connection gets through
    chat_site.restart()  # the open stream drops
    alert = visitor.page.locator("desk-chat").get_by_role("alert")
    expect(alert).to_contain_text("cannot be reached", timeout=10000)
    assert failed  # reconnecting failed while offline
    with chat_site.desk.client() as sam:
        sam.post("/api/auth/login", json={"email": AGENT["email"], "password": AGENT["password"]})
        conversation = sam.get("/api/conversations", params={"search": "bike ready"}).json()
        cid = conversation["items"][0]["id"]
        for text in ("Almost!", "Ready now."):  # said while the visitor was away
            sam.post(f"/api/conversations/{cid}/messages", json={"body": text}).raise_for_status()
        visitor.page.context.set_offline(False)
        expect(visitor.bubbles(":not(.me)")).to_have_text(["Almost!", "Ready now."], timeout=30000)
        expect(alert).to_have_text("")
        sam.post(f"/api/conversations/{cid}/messages", json={"body": "Live again"})
    expect(visitor.bubbles(":not(.me)")).to_have_text(["Almost!", "Ready now.", "Live again"])


def test_a_site_that_is_not_allowed_gets_nothing(visit: Any, chat_site: ChatSite) -> None:
    other = visit("/shop", site=chat_site.other)
    other.problems.allowed += ["CORS policy", "net::ERR_FAILED"]
    expect(other.launcher).to_be_visible()
    other.launcher.click()
    expect(other.panel).to_contain_text("We cannot be reached right now")
    with chat_site.desk.client() as server:  # a real visitor token, got without a browser
        base = f"/widget/{chat_site.channel['config']['public_token']}"
        token = server.post(f"{base}/visitors", json={}).json()["visitor_token"]
        before = server.get(f"{base}/messages", headers={"Authorization": f"Bearer {token}"})
        stolen = other.page.evaluate(
            """async ([url, token]) => {
                 try {
                   const r = await fetch(url, {method: "POST", headers: {
                     "Authorization": "Bearer " + token, "Content-Type": "application/json"},
                     body: JSON.stringify({body: "from a foreign site"})});
                   return "read " + r.status;
                 } catch (e) { return "blocked"; }
               }""",
            [chat_site.desk.url + f"{base}/messages", token],
        )
        assert stolen == "blocked"
        after = server.get(f"{base}/messages", headers={"Authorization": f"Bearer {token}"})
        assert after.json() == before.json() == {"items": [], "status": None}


def test_when_desk_is_down_the_launcher_says_so_quietly(browser: Any, chat_site: ChatSite) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}"
    snippet = f'<script src="{down}/widget.js" data-desk-token="t0ken" async></script>'
    context.route(f"{down}/widget.js", lambda r: r.fulfill(path=str(WIDGET_JS)))  # from cache
    problems = Problems()
    with serve_site(snippet) as site:
        page = context.new_page()
        problems.watch(page)
        page.goto(site.url + "/shop")
        launcher = page.locator("desk-chat .launcher")
        expect(launcher).to_be_visible()
        launcher.click()
        expect(page.get_by_role("dialog")).to_contain_text(
            "We cannot be reached right now. Please try again later."
        )
        page.get_by_role("button", name="Try again").click()
        expect(page.get_by_role("button", name="Try again")).to_be_visible()
        shot(page, "widget-offline")
    context.close()
    # The browser reports each refused request; the widget itself logs nothing, and does not
    # retry by itself: one request at load, one on opening, one for "Try again".
    assert len(problems.items) <= 3, problems.items
    assert all("ERR_CONNECTION_REFUSED" in p for p in problems.items), problems.items


@pytest.fixture
def admin_page(browser: Any, chat_site: ChatSite) -> Iterator[Any]:
    """Ada, the admin, signed in to Desk in a browser context of her own."""
    viewport = {"width": 1440, "height": 900}
    context = browser.new_context(viewport=viewport, base_url=chat_site.desk.url)
    response = context.request.post(
        "/api/auth/login", data={"email": ADMIN["email"], "password": ADMIN["password"]}
    )
    assert response.ok
    context.add_init_script(HINT)
    page = context.new_page()
    problems = Problems()
    problems.allowed.append("400 (Bad Request)")  # a refused save, on purpose
    problems.watch(page)
    yield page
    context.close()
    assert problems.unexpected() == []


def test_settings_show_the_snippet_and_a_live_preview_and_save_per_language_greetings(
    admin_page: Any, chat_site: ChatSite, visit: Any
) -> None:
    page = admin_page
    page.goto("/#/settings/channels")
    card = page.get_by_role("article", name="Website")
    expect(card.locator(".copy-value").first).to_have_text(
        chat_site.channel["config"]["embed_snippet"]
    )
    expect(card).to_contain_text(chat_site.channel["config"]["identity_secret"])
    card.get_by_role("button", name="Edit settings").click()
    preview = page.frame_locator("iframe.widget-preview")
    expect(preview.locator("desk-chat").get_by_role("dialog")).to_contain_text(
        "Hi! How can we help?"
    )
    expect(card.get_by_label("Allowed websites")).to_have_value(chat_site.site.url)
    assert axe_violations(page) == []

    card.get_by_label("Greeting", exact=True).fill("Welcome to Northwind! Ask us anything.")
    card.get_by_role("button", name="Add a language").click()
    card.get_by_label("Greeting in this language").fill("Willkommen bei Northwind!")
    card.get_by_label("Colour as hex").fill("#8a3b12")
    card.get_by_label("Preview language").select_option("de")
    dialog = preview.locator("desk-chat").get_by_role("dialog")
    expect(dialog).to_contain_text("Willkommen bei Northwind!")
    expect(preview.locator("desk-chat textarea")).to_have_attribute(
        "placeholder", "Nachricht schreiben…"
    )  # the widget's own German around the admin's greeting
    expect(preview.locator("desk-chat .head")).to_have_css("background-color", "rgb(138, 59, 18)")
    preview.locator("desk-chat textarea").fill("A visitor's question")
    preview.locator("desk-chat textarea").press("Enter")
    expect(preview.locator("desk-chat .msgs .me")).to_have_count(1)  # shown, sent nowhere
    shot(page, "widget-settings")

    card.get_by_role("button", name="Save chat settings").click()
    expect(page.locator(".toast").last).to_contain_text("Website saved")
    with chat_site.desk.client() as server:
        base = f"/widget/{chat_site.channel['config']['public_token']}"
        config = server.get(f"{base}/config", params={"lang": "de"}).json()
        assert config["greeting"] == "Willkommen bei Northwind!" and config["color"] == "#8a3b12"
        assert server.get(f"{base}/config").json()["greeting"] == (
            "Welcome to Northwind! Ask us anything."
        )
    german = visit("/shop?lang=de")
    german.launcher.click()
    expect(german.panel).to_contain_text("Willkommen bei Northwind!")

    card = page.get_by_role("article", name="Website")
    card.get_by_role("button", name="Edit settings").click()
    card.get_by_label("Allowed websites").fill("not an origin")
    card.get_by_role("button", name="Save chat settings").click()
    expect(card.get_by_role("alert").filter(has_text="origins like")).to_be_visible()


def test_the_inbox_shows_whether_the_visitor_is_on_the_website(visit: Any, agent_page: Any) -> None:
    visitor = visit("/shop")
    visitor.launcher.click()
    send(visitor, "Do you rent tandems?")
    expect(visitor.bubbles(".me")).to_have_count(1)
    row = agent_page.locator(".conv-row", has_text="Do you rent tandems?")
    expect(row.locator(".chip.online")).to_be_visible()
    row.click()
    head = agent_page.locator(".thread-head")
    expect(head).to_contain_text("On the website now")
    shot(agent_page, "widget-agent-presence")
    visitor.page.close()  # the tab goes: after a short grace the inbox says when
    expect(head).to_contain_text("Last seen just now", timeout=20000)
    expect(row.locator(".chip.online")).to_have_count(0)


def test_reduced_motion_stops_the_launcher_and_panel_moving(visit: Any) -> None:
    visitor = visit("/shop")
    expect(visitor.launcher).to_be_visible()
    motion = """() => {
      const root = document.querySelector('desk-chat').shadowRoot;
      const panel = root.querySelector('.panel');
      return [getComputedStyle(root.querySelector('.launcher')).transitionDuration,
              panel ? getComputedStyle(panel).animationName : null];
    }"""
    visitor.launcher.focus()
    visitor.page.keyboard.press("Enter")
    expect(visitor.panel).to_be_visible()
    moving = visitor.page.evaluate(motion)
    visitor.page.emulate_media(reduced_motion="reduce")
    still = visitor.page.evaluate(motion)
    assert moving == ["0.15s", "rise"]
    assert still == ["0s", "none"]
