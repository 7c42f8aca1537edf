"""The widget's live stream (/widget/{token}/events) against a real `desk serve`: replies
within a second, the visitor's other tabs, status changes, never notes; the stream ends when
the channel is switched off, the contact erased or the server stopped; agents see presence."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import ADMIN, AGENT
from tests.servers import RunningDesk, start_desk
from tests.test_live import DELIVERY_DEADLINE, Stream, signed_in

SHOP = "http://shop.example"
NEVER_OPEN = {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class Widget:
    """One visitor's browser: their token and calls, as widget.js makes them."""

    def __init__(self, server: RunningDesk, public_token: str, **identity: Any) -> None:
        self.client = server.client()
        self.client.headers["Origin"] = SHOP
        self.base = f"/widget/{public_token}"
        response = self.client.post(f"{self.base}/visitors", json=identity)
        assert response.status_code == 201, response.text
        self.client.headers["Authorization"] = f"Bearer {response.json()['visitor_token']}"

    def say(self, body: str) -> dict[str, Any]:
        response = self.client.post(f"{self.base}/messages", json={"body": body})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def stream(self) -> Stream:
        return Stream(self.client, path=f"{self.base}/events")

    def raw_stream(self, server: RunningDesk) -> socket.socket:
        """The stream on a socket of its own, to hang up on as a closed tab does (an httpx
        response closed from another thread may keep its connection open)."""
        where = urlsplit(server.url)
        sock = socket.create_connection((where.hostname, where.port))
        request = (
            f"GET {self.base}/events HTTP/1.1\r\nHost: {where.netloc}\r\n"
            f"Authorization: {self.client.headers['Authorization']}\r\n\r\n"
        )
        sock.sendall(request.encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 200 ")
        return sock


@pytest.fixture
def team(server: RunningDesk) -> tuple[httpx.Client, httpx.Client, dict[str, Any]]:
    """(Ada the admin, Sam an agent, the web-chat channel)."""
    ada = server.client()
    setup = {"workspace_name": "Acme", **ADMIN}
    assert ada.post("/api/setup", json=setup).status_code == 201
    assert ada.post("/api/agents", json={**AGENT, "role": "agent"}).status_code == 201
    channel = ada.post(
        "/api/channels",
        json={"name": "Website", "type": "web_chat", "config": {"allowed_origins": [SHOP]}},
    )
    assert channel.status_code == 201, channel.text
    return ada, signed_in(server, AGENT["email"], AGENT["password"]), channel.json()


def only_conversation(client: httpx.Client) -> dict[str, Any]:
    items = client.get("/api/conversations", params={"status": "all"}).json()["items"]
    assert len(items) == 1
    return dict(items[0])


def test_a_reply_reaches_the_visitor_within_a_second_and_notes_never_do(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]]
) -> None:
    ada, sam, channel = team
    grace = Widget(server, channel["config"]["public_token"], name="Grace")
    grace.say("Where is my parcel?")
    stream = grace.stream()
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    conversation = only_conversation(sam)
    sam.post(
        f"/api/conversations/{conversation['id']}/messages", json={"body": "Psst", "type": "note"}
    ).raise_for_status()
    sam.post(f"/api/conversations/{conversation['id']}/tags", json={"tag": "parcel"})
    started = time.monotonic()
    reply = sam.post(
        f"/api/conversations/{conversation['id']}/messages", json={"body": "It left today."}
    ).json()
    event = stream.next()  # the first event: no note, no activity line came before it
    assert time.monotonic() - started < DELIVERY_DEADLINE + 1  # the post's own time included
    assert event.event == "message.created"
    assert event.data == {
        "id": reply["id"],
        "type": "outgoing",
        "body": "It left today.",
        "sender": {"type": "agent", "name": "Sam"},
        "attachments": [],
        "created_at": reply["created_at"],
    }
    ada.post(f"/api/conversations/{conversation['id']}/status", json={"status": "resolved"})
    assert stream.next_of("conversation.updated").data == {"status": "resolved"}
    stream.close()


def test_the_visitors_other_tabs_see_what_they_wrote(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]]
) -> None:
    _, _, channel = team
    tab = Widget(server, channel["config"]["public_token"])
    tab.say("first")
    other_tab = Stream(tab.client, path=f"{tab.base}/events")
    said = tab.say("second, from the first tab")
    assert other_tab.next_of("message.created").data == said
    stranger = Widget(server, channel["config"]["public_token"]).stream()
    tab.say("third")
    with pytest.raises(Exception):  # noqa: B017 (queue.Empty: nothing for another visitor)
        stranger.next_of("message.created", timeout=0.5)
    other_tab.close()
    stranger.close()


def test_the_out_of_hours_auto_reply_reaches_the_widget(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]]
) -> None:
    ada, _, channel = team
    ada.post(
        "/api/settings/workspace",
        json={"business_hours": NEVER_OPEN, "auto_reply": {"enabled": True, "body": "Back at 9."}},
    ).raise_for_status()
    grace = Widget(server, channel["config"]["public_token"])
    stream = grace.stream()  # open before the first message: it follows the new conversation
    grace.say("anyone there?")
    got = stream.next_of("message.created", timeout=5)
    while got.data["type"] != "outgoing":
        got = stream.next_of("message.created", timeout=5)
    assert got.data["body"] == "Back at 9." and got.data["sender"] == {
        "type": "automation",
        "name": None,
    }
    assert only_conversation(ada)["unread_count"] == 1
    stream.close()


@pytest.mark.parametrize("how", ["switch the channel off", "erase the contact"])
def test_the_stream_ends_when_the_channel_goes_or_the_contact_is_erased(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]], how: str
) -> None:
    ada, _, channel = team
    grace = Widget(server, channel["config"]["public_token"], email="grace@example.com")
    grace.say("hello")
    stream = grace.stream()
    if how == "switch the channel off":
        ada.patch(f"/api/channels/{channel['id']}", json={"active": False}).raise_for_status()
    else:
        contact = only_conversation(ada)["contact"]
        ada.delete(f"/api/contacts/{contact['id']}").raise_for_status()
    assert stream.ended(timeout=5) and stream.ended_cleanly
    again = grace.stream()
    assert again.status == (404 if how == "switch the channel off" else 401)


def test_stopping_the_server_ends_visitor_streams(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]]
) -> None:
    _, _, channel = team
    grace = Widget(server, channel["config"]["public_token"])
    grace.say("hello")
    stream = grace.stream()
    server.stop(timeout=10)  # raises if the server hangs on the open stream
    assert stream.ended(timeout=10)


def test_agents_see_the_visitor_come_and_go(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]]
) -> None:
    _, sam, channel = team
    grace = Widget(server, channel["config"]["public_token"])
    said = grace.say("hello")
    conversation = only_conversation(sam)
    assert conversation["visitor"] == {"online": False, "last_seen_at": said["created_at"]}
    agents = Stream(sam)
    visitor = grace.raw_stream(server)
    came = agents.next_of("conversation.updated", timeout=5)
    assert came.data["id"] == conversation["id"] and came.data["visitor"]["online"] is True
    assert only_conversation(sam)["visitor"]["online"] is True
    visitor.close()
    went = agents.next_of("conversation.updated", timeout=15)  # after the reload grace period
    assert went.data["visitor"]["online"] is False
    assert went.data["visitor"]["last_seen_at"] >= came.data["visitor"]["last_seen_at"]
    assert only_conversation(sam)["visitor"]["online"] is False
    agents.close()


def test_a_restart_leaves_nobody_online(
    server: RunningDesk, team: tuple[httpx.Client, httpx.Client, dict[str, Any]], tmp_path: Path
) -> None:
    ada, _, channel = team
    grace = Widget(server, channel["config"]["public_token"])
    grace.say("hello")
    stream = grace.stream()
    assert ada.get("/api/conversations").json()["items"][0]["visitor"]["online"] is True
    server.process.kill()  # no clean shutdown: the row still says online
    server.process.wait()
    stream.close()
    again = start_desk(tmp_path / "data")
    try:
        ada = signed_in(again, ADMIN["email"], ADMIN["password"])
        assert ada.get("/api/conversations").json()["items"][0]["visitor"]["online"] is False
    finally:
        again.stop()
