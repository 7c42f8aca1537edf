"""Collision hints in the browser: two agents in two browser contexts see each other on the
conversation's row and in its thread ("… is viewing", "… is typing…"), and a reply written
after a teammate's warns first, with "Send anyway" and "Discard my reply".

The shared `seeded` Desk is used with data of this test's own: a new agent made through the
API, and a new conversation."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.sync_api import expect

from .a11y import Audit
from .conftest import ADMIN, Seeded, api_client, shot

SLOW = 30_000  # presence travels over the event stream; the machine is shared


def thread(conversation_id: int) -> str:
    return f"#/inbox/open/c/{conversation_id}"


def test_two_agents_see_each_other_and_crossing_replies_warn_first(
    open_page: Any, seeded: Seeded
) -> None:
    tag = uuid.uuid4().hex[:8]
    priya = {
        "name": "Priya Patel",
        "email": f"priya.{tag}@example.com",
        "password": "presence pass 1",
    }
    with api_client(seeded.desk, ADMIN) as admin:
        admin.post("/api/agents", json={**priya, "role": "agent"}).raise_for_status()
        conversation = admin.post(
            "/api/conversations",
            json={
                "channel_id": seeded.channel_id,
                "contact": {"name": "Linus Presence", "email": f"linus.{tag}@example.com"},
                "subject": f"Parcel {tag} missing",
                "message": "My parcel never arrived. Can you help?",
            },
        ).json()
    cid = conversation["id"]

    # Ada opens the conversation.
    ada_opened = open_page(hash=thread(cid))
    ada_opened.problems.allowed.append("409 (Conflict)")  # the reply guard, refused on purpose
    ada = ada_opened.page
    ada_reply = ada.get_by_role("textbox", name="Reply")
    expect(ada_reply).to_be_visible()

    # Priya, in her own browser, sees Ada's face on the row in the list.
    priya_opened = open_page(who=priya, hash="#/inbox/open")
    priya_opened.problems.allowed.append("409 (Conflict)")
    priya_page = priya_opened.page
    row = priya_page.locator(f'.conv-row[data-id="{cid}"]')
    ada_face = row.get_by_role("img", name="Ada Admin is viewing this conversation")
    expect(ada_face).to_be_visible(timeout=SLOW)
    expect(ada_face).to_have_text("AA")
    shot(priya_page, "presence-row-viewing")

    # Ada starts a reply: Priya's row says so.
    ada_reply.click()
    ada_reply.type("Let me check with the courier")
    expect(row.get_by_role("img", name="Ada Admin is typing a reply")).to_be_visible(timeout=SLOW)

    # Priya opens it: each sees the other in the thread's live region.
    row.click()
    priya_line = priya_page.locator(".presence-line")
    expect(priya_line).to_have_attribute("role", "status")
    expect(priya_line).to_have_attribute("aria-live", "polite")
    expect(priya_line.locator(".presence-text")).to_have_text("Ada is viewing", timeout=SLOW)
    ada_line = ada.locator(".presence-line")
    expect(ada_line.locator(".presence-text")).to_have_text("Priya is viewing", timeout=SLOW)
    ada_reply.type(" and get back to you.")
    expect(priya_line.locator(".presence-text")).to_have_text("Ada is typing…", timeout=SLOW)
    shot(priya_page, "presence-thread-typing-priya")

    # Priya replies (she types, Ada sees it), and it goes: nothing crossed hers.
    priya_reply = priya_page.get_by_role("textbox", name="Reply")
    priya_reply.click()
    priya_reply.type("We have sent a replacement today.")
    expect(ada_line.locator(".presence-text")).to_have_text("Priya is typing…", timeout=SLOW)
    shot(ada, "presence-thread-typing")
    audit = Audit()
    audit.check(ada, "thread with a teammate typing")
    priya_page.get_by_role("button", name="Send", exact=True).click()
    expect(priya_page.locator(".msg.outgoing").last).to_contain_text("We have sent a replacement")
    expect(priya_reply).to_have_value("")

    # Ada sends hers: Priya replied after Ada opened it, so Ada is asked first.
    expect(ada.locator(".msg.outgoing").last).to_contain_text("We have sent a replacement")
    ada.get_by_role("button", name="Send", exact=True).click()
    warning = ada.get_by_role("dialog", name="Priya Patel replied meanwhile")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("We have sent a replacement today.")
    expect(warning).to_contain_text("Your reply has not been sent.")
    shot(ada, "presence-collision-dialog")
    audit.check(ada, "reply collision warning", "dialog[open]")
    with api_client(seeded.desk, ADMIN) as admin:
        bodies = [
            m["body"]
            for m in admin.get(f"/api/conversations/{cid}/messages").json()["items"]
            if m["type"] == "outgoing"
        ]
    assert bodies == ["We have sent a replacement today."]  # Ada's did not go

    # "Send anyway" sends it.
    warning.get_by_role("button", name="Send anyway").click()
    expect(warning).to_be_hidden()
    ada_text = "Let me check with the courier and get back to you."
    expect(ada.locator(".msg.outgoing").last).to_contain_text(ada_text)
    expect(ada_reply).to_have_value("")

    # Again, and this time Ada discards hers.
    ada_reply.click()
    ada_reply.type("Did the replacement arrive?")
    priya_reply.click()
    priya_reply.type("Tracking number: 123.")
    priya_page.get_by_role("button", name="Send", exact=True).click()
    # Ada's reply came after Priya opened it (and after her first reply): she is asked too.
    hers = priya_page.get_by_role("dialog", name="Ada Admin replied meanwhile")
    expect(hers).to_contain_text(ada_text)
    hers.get_by_role("button", name="Send anyway").click()
    expect(priya_reply).to_have_value("")
    expect(ada.locator(".msg.outgoing").last).to_contain_text("Tracking number: 123.")
    ada.get_by_role("button", name="Send", exact=True).click()
    warning = ada.get_by_role("dialog", name="Priya Patel replied meanwhile")
    expect(warning).to_contain_text("Tracking number: 123.")
    warning.get_by_role("button", name="Discard my reply").click()
    expect(warning).to_be_hidden()
    expect(ada_reply).to_have_value("")
    expect(ada.locator("#announcer")).to_have_text("Your reply was discarded.")
    with api_client(seeded.desk, ADMIN) as admin:
        items = admin.get(f"/api/conversations/{cid}/messages").json()["items"]
        draft = admin.get(f"/api/conversations/{cid}/draft").json()
    outgoing = [m["body"] for m in items if m["type"] == "outgoing"]
    assert outgoing == [
        "We have sent a replacement today.",
        "Let me check with the courier and get back to you.",
        "Tracking number: 123.",
    ]
    assert draft["reply"] == ""  # discarded for good, not kept as a draft

    # Priya moves on: Ada's thread no longer names her, and her face leaves Ada's row.
    priya_page.goto("/#/inbox/open")
    expect(ada_line).to_be_hidden(timeout=SLOW)
    expect(ada.locator(f'.conv-row[data-id="{cid}"] .viewer')).to_have_count(0)
    audit.assert_clean()
