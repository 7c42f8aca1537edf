"""Automations: the admin API with its validation, and the engine driven synchronously
(`run_pending`, `check_waiting`) on inbox events, with the clock moved by hand."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.models.channels import ChannelCreate
from desk.models.messages import Message, Sender
from desk.services import (
    agents,
    automation_engine,
    contacts,
    conversations,
    delivery_worker,
    incoming,
    triage,
)
from desk.services import messages as messages_service
from desk.services.channels import manage as channels
from desk.services.desk import Desk
from tests.conftest import FakeClock, new_client
from tests.servers import start_desk

ADA, SAM = 1, 2


class Webhook:
    """A real HTTP server on 127.0.0.1 receiving the api channel's outgoing webhooks."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hook.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


class Inbox:
    """The inbox as customers and agents use it, with the automations engine attached."""

    def __init__(self, app: Litestar, clock: FakeClock, webhook_url: str) -> None:
        self.desk: Desk = app.state.desk
        self.clock = clock
        automation_engine.engine(self.desk)
        self.channel = channels.create_channel(
            self.desk,
            ChannelCreate(name="Shop API", type="api", config={"webhook_url": webhook_url}),
        ).id

    def customer_writes(self, name: str, email: str, body: str, thread: str = "t1") -> int:
        with self.desk.db.write() as conn:
            contact = contacts.resolve_contact(
                conn, self.desk.now_iso(), name=name, email=email, phone=None
            )
        conversation, _ = incoming.receive_incoming(
            self.desk, channel_id=self.channel, contact_id=contact, body=body, thread_key=thread
        )
        automation_engine.run_pending(self.desk)
        return conversation

    def agent(self, agent_id: int) -> Sender:
        agent = agents.get_agent(self.desk, agent_id)
        return Sender(type="agent", id=agent.id, name=agent.name)

    def messages(self, conversation_id: int) -> list[Message]:
        items, _ = messages_service.list_messages(self.desk, conversation_id, 1, 100)
        return items

    def bodies(self, conversation_id: int, kind: str) -> list[str]:
        return [m.body for m in self.messages(conversation_id) if m.type == kind]


@pytest.fixture
def inbox(
    app: Litestar, admin: TestClient[Litestar], agent: TestClient[Litestar], clock: FakeClock,
    webhook: Webhook,
) -> Inbox:  # fmt: skip
    return Inbox(app, clock, webhook.url)


def create(admin: TestClient[Litestar], **body: Any) -> dict[str, Any]:
    response = admin.post("/api/automations", json={"name": "Rule", **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def automation(admin: TestClient[Litestar], automation_id: int) -> dict[str, Any]:
    items = admin.get("/api/automations?per_page=100").json()["items"]
    return next(a for a in items if a["id"] == automation_id)


def test_automations_admin_api(
    app: Litestar, admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    rule = {
        "name": "Billing triage",
        "event": "message_received",
        "conditions": [{"field": "message_body", "operator": "contains", "value": "refund"}],
        "actions": [{"type": "add_tag", "value": "Billing"}, {"type": "assign_agent", "value": 2}],
    }
    created = create(admin, **rule)
    assert created == {
        "id": 1, "name": "Billing triage", "event": "message_received", "active": True,
        "conditions": rule["conditions"],
        "actions": [{"type": "add_tag", "value": "billing"}, {"type": "assign_agent", "value": 2}],
        "after_minutes": None, "run_count": 0, "last_run_at": None,
        "created_at": "2026-11-29T12:00:00Z",
    }  # fmt: skip
    listed = admin.get("/api/automations").json()
    assert listed == {"items": [created], "page": 1, "per_page": 25, "total": 1}
    toggled = admin.post("/api/automations/1/toggle")
    assert toggled.status_code == 200 and toggled.json()["active"] is False
    assert admin.post("/api/automations/1/toggle", json={}).json()["active"] is True
    assert agent.get("/api/automations").status_code == 403
    assert agent.post("/api/automations", json=rule).status_code == 403
    assert agent.delete("/api/automations/1").status_code == 403
    anonymous = new_client(app)  # not entered: only the primary client runs the lifespan
    assert anonymous.get("/api/automations").status_code == 401
    assert admin.delete("/api/automations/1").json() == {"deleted": True, "id": 1}
    assert admin.post("/api/automations/1/toggle").status_code == 404
    assert admin.delete("/api/automations/1").status_code == 404


ACTION = [{"type": "add_tag", "value": "x"}]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"event": "email_opened", "actions": ACTION}, "event", "Unknown event"),
        (
            {"event": "message_received", "actions": ACTION,
             "conditions": [{"field": "colour", "operator": "equals", "value": "red"}]},
            "conditions[0].field", "Unknown field",
        ),
        (
            {"event": "message_received", "actions": ACTION,
             "conditions": [{"field": "subject", "operator": "matches", "value": "x"}]},
            "conditions[0].operator", "Unknown operator",
        ),
        (
            {"event": "message_received", "actions": ACTION,
             "conditions": [{"field": "subject", "operator": "in", "value": "x"}]},
            "conditions[0].value", "list",
        ),
        (
            {"event": "message_received", "actions": [*ACTION, {"type": "launch", "value": 1}]},
            "actions[1].type", "Unknown action",
        ),
        (
            {"event": "message_received", "actions": [{"type": "assign_agent", "value": 99}]},
            "actions[0].value", "agent 99 does not exist",
        ),
        (
            {"event": "message_received",
             "actions": [{"type": "assign_agent", "value": 99999999999999999999}]},
            "actions[0].value", "needs an agent id",
        ),
        ({"event": "message_received", "actions": [{"type": "send_reply"}]},
         "actions[0].value", "send_reply needs a body"),
        ({"event": "message_received", "actions": [{"type": "send_reply", "value": "  "}]},
         "actions[0].value", "send_reply needs a body"),
        ({"event": "message_received",
          "actions": [{"type": "send_reply", "value": "Hi {{contact.nickname}}"}]},
         "actions[0].value", "unknown placeholder"),
        ({"event": "message_received", "actions": [{"type": "set_status", "value": "closed"}]},
         "actions[0].value", "set_status"),
        ({"event": "conversation_waiting", "actions": ACTION}, "after_minutes", "needs"),
        ({"event": "conversation_waiting", "actions": ACTION, "after_minutes": 10081},
         "after_minutes", "between 1 and 10080"),
        ({"event": "message_received", "actions": ACTION, "after_minutes": 5},
         "after_minutes", "only with"),
        ({"event": "message_received", "actions": []}, "actions", "at least one"),
    ],
)  # fmt: skip
def test_automations_validation_names_the_bad_part(
    admin: TestClient[Litestar], body: dict[str, Any], field: str, words: str
) -> None:
    response = admin.post("/api/automations", json={"name": "Rule", **body})
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert words in response.json()["error"]
    assert admin.get("/api/automations").json()["total"] == 0


def test_message_received_runs_every_action_through_the_channel(
    inbox: Inbox, admin: TestClient[Litestar], webhook: Webhook
) -> None:
    rule = create(
        admin,
        name="Billing triage",
        event="message_received",
        conditions=[
            {"field": "message_body", "operator": "contains", "value": "REFUND"},
            {"field": "channel_type", "operator": "in", "value": ["api", "email"]},
            {"field": "contact_email", "operator": "starts_with", "value": "GRACE@"},
        ],
        actions=[
            {"type": "assign_agent", "value": SAM},
            {"type": "add_tag", "value": "billing"},
            {"type": "set_priority", "value": "high"},
            {"type": "add_note", "value": "Check {{contact.first_name}}'s order"},
            {"type": "send_reply",
             "value": "Hi {{contact.first_name}}, #{{conversation.id}} is with {{agent.name}}."},
        ],
    )  # fmt: skip
    assigned = create(
        admin, event="conversation_assigned", actions=[{"type": "add_tag", "value": "loop"}]
    )
    conversation = inbox.customer_writes("Grace Hopper", "grace@x.example", "I want a refund")
    found = conversations.get_conversation(inbox.desk, conversation)
    assert (found.assignee and found.assignee.id, found.tags, found.priority) == (
        SAM, ["billing"], "high"
    )  # fmt: skip
    assert inbox.bodies(conversation, "note") == ["Check Grace's order"]
    [reply] = [m for m in inbox.messages(conversation) if m.type == "outgoing"]
    assert reply.body == f"Hi Grace, #{conversation} is with Sam Agent."
    assert (reply.sender.type, reply.sender.name) == ("automation", "Billing triage")
    assert "Automation Billing triage ran" in inbox.bodies(conversation, "activity")
    assert automation(admin, rule["id"])["run_count"] == 1
    assert automation(admin, rule["id"])["last_run_at"] == "2026-11-29T12:00:00Z"
    # The automation's own assignment triggers nothing.
    assert automation(admin, assigned["id"])["run_count"] == 0
    # Delivered through the api channel's webhook.
    assert delivery_worker.run_due(inbox.desk) == 1
    assert [b["message"]["body"] for b in webhook.bodies] == [reply.body]
    # Conditions that do not hold: nothing runs.
    inbox.customer_writes("Grace Hopper", "grace@x.example", "Thanks a lot!")
    inbox.customer_writes("Alan Turing", "alan@x.example", "A refund please", thread="t2")
    assert automation(admin, rule["id"])["run_count"] == 1
    # A person's assignment does trigger conversation_assigned.
    triage.assign(inbox.desk, inbox.agent(ADA), conversation, ADA)
    automation_engine.run_pending(inbox.desk)
    assert automation(admin, assigned["id"])["run_count"] == 1


def test_a_failing_action_is_recorded_and_the_others_run(
    inbox: Inbox, admin: TestClient[Litestar]
) -> None:
    create(
        admin,
        name="Fragile",
        event="conversation_created",
        actions=[{"type": "assign_agent", "value": SAM}, {"type": "add_tag", "value": "new"}],
    )
    agents.delete_agent(inbox.desk, agents.get_agent(inbox.desk, ADA), SAM)
    conversation = inbox.customer_writes("Grace Hopper", "grace@x.example", "Hello")
    assert conversations.get_conversation(inbox.desk, conversation).tags == ["new"]
    [record] = [b for b in inbox.bodies(conversation, "activity") if "Fragile ran" in b]
    assert record.startswith("Automation Fragile ran; 1 of 2 actions failed: assign_agent:")
    assert "Agent 2 not found" in record


def test_status_changed_and_inactive_automations(inbox: Inbox, admin: TestClient[Litestar]) -> None:
    rule = create(
        admin,
        event="status_changed",
        conditions=[{"field": "status", "operator": "equals", "value": "RESOLVED"}],
        actions=[{"type": "add_note", "value": "Resolved: ask for a review"}],
    )
    conversation = inbox.customer_writes("Grace Hopper", "grace@x.example", "Hello")
    triage.set_priority(inbox.desk, inbox.agent(ADA), conversation, "low")
    triage.set_status(inbox.desk, inbox.agent(ADA), conversation, "pending")
    automation_engine.run_pending(inbox.desk)
    assert inbox.bodies(conversation, "note") == []
    triage.set_status(inbox.desk, inbox.agent(ADA), conversation, "resolved")
    automation_engine.run_pending(inbox.desk)
    assert inbox.bodies(conversation, "note") == ["Resolved: ask for a review"]
    admin.post(f"/api/automations/{rule['id']}/toggle")
    triage.set_status(inbox.desk, inbox.agent(ADA), conversation, "open")
    triage.set_status(inbox.desk, inbox.agent(ADA), conversation, "resolved")
    automation_engine.run_pending(inbox.desk)
    assert automation(admin, rule["id"])["run_count"] == 1


def test_round_robin_assigns_the_least_recently_assigned(
    inbox: Inbox, admin: TestClient[Litestar]
) -> None:
    create(
        admin, event="conversation_created", actions=[{"type": "assign_round_robin", "value": None}]
    )
    assignees = []
    for n in range(4):
        inbox.clock.advance(minutes=1)
        found = inbox.customer_writes(f"Customer {n}", f"c{n}@x.example", "Hi", thread=f"r{n}")
        assignee = conversations.get_conversation(inbox.desk, found).assignee
        assignees.append(assignee.id if assignee else None)
    assert assignees == [ADA, SAM, ADA, SAM]


def test_conversation_waiting_fires_once_per_wait(
    inbox: Inbox, admin: TestClient[Litestar]
) -> None:
    rule = create(
        admin,
        event="conversation_waiting",
        after_minutes=30,
        actions=[{"type": "set_priority", "value": "urgent"}],
    )
    conversation = inbox.customer_writes("Grace Hopper", "grace@x.example", "Hello?")
    inbox.clock.advance(minutes=29)
    assert automation_engine.check_waiting(inbox.desk) == 0
    inbox.clock.advance(minutes=1)
    assert automation_engine.check_waiting(inbox.desk) == 1
    assert conversations.get_conversation(inbox.desk, conversation).priority == "urgent"
    inbox.clock.advance(minutes=15)
    assert automation_engine.check_waiting(inbox.desk) == 0
    # An agent replies (the wait ends), the customer writes again: a new wait.
    messages_service.post_message(
        inbox.desk, agents.get_agent(inbox.desk, ADA), conversation, "On it"
    )
    inbox.clock.advance(minutes=10)
    inbox.customer_writes("Grace Hopper", "grace@x.example", "Any news?")
    inbox.clock.advance(minutes=29)
    assert automation_engine.check_waiting(inbox.desk) == 0
    inbox.clock.advance(minutes=1)
    assert automation_engine.check_waiting(inbox.desk) == 1
    # A resolved conversation does not wait.
    other = inbox.customer_writes("Alan Turing", "alan@x.example", "Hi", thread="t2")
    triage.set_status(inbox.desk, inbox.agent(ADA), other, "resolved")
    inbox.clock.advance(minutes=31)
    assert automation_engine.check_waiting(inbox.desk) == 0
    assert automation(admin, rule["id"])["run_count"] == 2


def test_business_hours_condition_and_auto_reply(inbox: Inbox, admin: TestClient[Litestar]) -> None:
    """Sunday 2026-11-29 12:00Z is outside Berlin's default hours (Mon-Fri 09-17);
    Monday 09:30Z is 10:30 in Berlin, inside them."""
    response = admin.post(
        "/api/settings/workspace",
        json={"timezone": "Europe/Berlin",
              "auto_reply": {"enabled": True, "body": "Hi {{contact.first_name}}, we are closed."}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    create(
        admin,
        event="message_received",
        conditions=[{"field": "business_hours", "operator": "equals", "value": False}],
        actions=[{"type": "add_tag", "value": "after hours"}],
    )
    sunday = inbox.customer_writes("Grace Hopper", "grace@x.example", "Hello")
    inbox.customer_writes("Grace Hopper", "grace@x.example", "Anyone there?")
    [reply] = [m for m in inbox.messages(sunday) if m.type == "outgoing"]
    assert (reply.body, reply.sender.type, reply.sender.name) == (
        "Hi Grace, we are closed.", "automation", "Auto-reply"
    )  # fmt: skip
    assert conversations.get_conversation(inbox.desk, sunday).tags == ["after hours"]
    inbox.clock.now = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    monday = inbox.customer_writes("Alan Turing", "alan@x.example", "Hello", thread="t2")
    assert inbox.bodies(monday, "outgoing") == []
    assert conversations.get_conversation(inbox.desk, monday).tags == []


def test_patch_changes_any_part_validated_as_on_create(
    admin: TestClient[Litestar], agent: TestClient[Litestar]
) -> None:
    rule = create(
        admin,
        event="message_received",
        conditions=[{"field": "message_body", "operator": "contains", "value": "refund"}],
        actions=[{"type": "add_tag", "value": "billing"}],
    )
    path = f"/api/automations/{rule['id']}"
    changed = admin.patch(path, json={"name": "  Refunds  ", "conditions": []})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["name"], body["conditions"], body["actions"]) == (
        "Refunds", [], [{"type": "add_tag", "value": "billing"}]
    )  # fmt: skip
    waiting = admin.patch(path, json={"event": "conversation_waiting", "after_minutes": 30})
    assert waiting.json()["after_minutes"] == 30
    assert waiting.json()["event"] == "conversation_waiting"
    back = admin.patch(path, json={"event": "status_changed"})  # after_minutes goes with it
    assert (back.json()["event"], back.json()["after_minutes"]) == ("status_changed", None)

    before = automation(admin, rule["id"])
    for bad, field in [
        ({"event": "teleported"}, "event"),
        ({"actions": []}, "actions"),
        ({"actions": [{"type": "assign_agent", "value": 999}]}, "actions[0].value"),
        ({"conditions": [{"field": "mood", "operator": "equals", "value": "x"}]}, None),
        ({"after_minutes": 5}, "after_minutes"),  # not a waiting rule
        ({"name": ""}, "name"),
        ({"colour": "red"}, None),
    ]:
        response = admin.patch(path, json=bad)
        assert response.status_code == 400, (bad, response.text)
        if field is not None:
            assert response.json().get("field", "").startswith(field.split("[")[0]), response.text
    assert automation(admin, rule["id"]) == before  # nothing changed
    assert admin.patch("/api/automations/9999", json={"name": "x"}).status_code == 404
    assert agent.patch(path, json={"name": "x"}).status_code == 403


def test_auto_reply_goes_once_per_closed_period(inbox: Inbox, admin: TestClient[Litestar]) -> None:
    """Three messages in one night get one auto-reply; the next night (after Monday's business
    hours, Mon-Fri 09-17 in Berlin) the same conversation gets one again, and none in hours."""
    response = admin.post(
        "/api/settings/workspace",
        json={"timezone": "Europe/Berlin", "auto_reply": {"enabled": True, "body": "Closed."}},
    )
    assert response.status_code == 200, response.text
    inbox.clock.now = datetime(2026, 11, 29, 22, 0, tzinfo=UTC)  # Sunday night
    conversation = inbox.customer_writes("Grace Hopper", "grace@x.example", "Hello")
    for text in ("Anyone there?", "Hello??"):
        inbox.clock.advance(hours=2)
        inbox.customer_writes("Grace Hopper", "grace@x.example", text)
    assert inbox.bodies(conversation, "outgoing") == ["Closed."]
    inbox.clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday 11:00 in Berlin
    inbox.customer_writes("Grace Hopper", "grace@x.example", "Good morning")
    assert inbox.bodies(conversation, "outgoing") == ["Closed."]
    inbox.clock.now = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # Monday 20:00: closed again
    inbox.customer_writes("Grace Hopper", "grace@x.example", "One more thing")
    inbox.clock.advance(hours=1)
    inbox.customer_writes("Grace Hopper", "grace@x.example", "And another")
    assert inbox.bodies(conversation, "outgoing") == ["Closed.", "Closed."]


def test_closed_since_finds_the_end_of_the_last_interval() -> None:
    from desk.models.workspace import AiSettings, AutoReply, Workspace, default_business_hours
    from desk.services.automation_rules import closed_since

    hours = {**default_business_hours(), "sat": [["20:00", "24:00"]]}
    ws = Workspace(
        name="W", timezone="Europe/Berlin", business_hours=hours,
        auto_reply=AutoReply(), ai=AiSettings(), ai_api_key=None, updated_at="",
    )  # fmt: skip
    monday_noon = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert closed_since(ws, monday_noon) is None
    assert closed_since(ws, datetime(2026, 11, 30, 20, 0, tzinfo=UTC)) == datetime(
        2026, 11, 30, 16, 0, tzinfo=UTC
    )  # 17:00 in Berlin
    assert closed_since(ws, datetime(2026, 11, 29, 12, 0, tzinfo=UTC)) == datetime(
        2026, 11, 28, 23, 0, tzinfo=UTC
    )  # Sunday: since Saturday's 24:00
    never = Workspace(name="W", timezone="UTC", business_hours={}, auto_reply=AutoReply(),
                      ai=AiSettings(), ai_api_key=None, updated_at="")  # fmt: skip
    assert closed_since(never, monday_noon) == datetime.min.replace(tzinfo=UTC)


@pytest.mark.slow
def test_engine_runs_in_a_real_server(tmp_path: Path) -> None:
    """`desk serve` starts the worker thread from its background job: a message arriving
    through the api channel's hook is tagged and answered without anyone driving it."""
    running = start_desk(tmp_path)
    try:
        with running.client() as c:
            setup = {"workspace_name": "Acme", "name": "Ada", "email": "ada@example.com",
                     "password": "long enough"}  # fmt: skip
            assert c.post("/api/setup", json=setup).status_code == 201
            channel = c.post("/api/channels", json={"name": "Shop", "type": "api", "config": {}})
            assert channel.status_code == 201, channel.text
            create(
                c,  # type: ignore[arg-type]
                event="message_received",
                conditions=[{"field": "message_body", "operator": "contains", "value": "refund"}],
                actions=[{"type": "add_tag", "value": "billing"},
                         {"type": "send_reply", "value": "Hi {{contact.first_name}}!"}],
            )  # fmt: skip
            hook = c.post(
                channel.json()["config"]["inbound_url"],
                json={"contact": {"name": "Grace Hopper", "email": "g@x.example"},
                      "body": "A refund, please"},
            )  # fmt: skip
            assert hook.status_code == 201, hook.text
            conversation = hook.json()["conversation_id"]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # poll the real server until the run is done
                items = c.get(f"/api/conversations/{conversation}/messages").json()["items"]
                if any(m["body"].startswith("Automation Rule ran") for m in items):
                    break
                time.sleep(0.05)
            assert c.get(f"/api/conversations/{conversation}").json()["tags"] == ["billing"]
            replies = [m for m in items if m["type"] == "outgoing"]
            assert [(m["body"], m["sender"]["type"]) for m in replies] == [
                ("Hi Grace!", "automation")
            ]
    finally:
        running.stop()
