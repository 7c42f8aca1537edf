"""GET /api/ai-suggest: answers from the team's history, a template when nothing is similar,
and a model on a (real, local) OpenAI-compatible server with every way it can fail."""

from __future__ import annotations

import dataclasses
import itertools
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.config import Settings
from desk.models.conversations import ContactInput, NewConversation
from desk.services import agents, conversations, incoming, messages, suggestions
from desk.services.desk import Desk
from desk.store import channels as channels_store
from tests.conftest import FakeClock, new_client

PASSWORD_ANSWER = (
    "Hi Grace, you can reset your password on the sign-in page: click Forgot password. "
    "Grace Hopper, if the email does not arrive, reply here."
)
REFUND_ANSWER = "Hi {first}, refunds reach your card within 5 to 10 business days."


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A model that is slower than half a second counts as too slow here."""
    return dataclasses.replace(settings, ai_timeout_seconds=0.5)


class Inbox:
    def __init__(self, app: Litestar) -> None:
        self.desk: Desk = app.state.desk
        self.me = agents.get_agent(self.desk, 1)
        with self.desk.db.write() as conn:
            self.channel = channels_store.insert_channel(
                conn, name="Phone", type="phone", active=True, config={}, token="t",
                signing_secret="s", now=self.desk.now_iso(),
            )  # fmt: skip

    def ask(self, name: str | None, email: str, question: str, subject: str = "") -> int:
        conversation = conversations.create_conversation(
            self.desk,
            self.me,
            NewConversation(
                channel_id=self.channel,
                contact=ContactInput(name=name, email=email),
                subject=subject,
                message=question,
            ),
        )
        return conversation.id

    def reply(self, conversation_id: int, body: str, kind: str = "outgoing") -> int:
        message = messages.post_message(self.desk, self.me, conversation_id, body, kind)  # type: ignore[arg-type]
        self.sent_at = message.created_at
        return message.id


@pytest.fixture
def inbox(app: Litestar, admin: TestClient[Litestar], clock: FakeClock) -> Inbox:
    """Past conversations: a password question, an invoice question, two refund questions."""
    inbox = Inbox(app)
    grace = inbox.ask(
        "Grace Hopper", "grace@x.example", "How do I reset my password? I can't log in."
    )
    inbox.reply(grace, "Checked: her account is active.", "note")
    inbox.grace_answer = inbox.reply(grace, PASSWORD_ANSWER)  # type: ignore[attr-defined]
    inbox.grace = grace  # type: ignore[attr-defined]
    inbox.grace_answered_at = inbox.sent_at  # type: ignore[attr-defined]
    clock.advance(minutes=90)  # later answers are sent at other times
    alan = inbox.ask(
        "Alan Turing", "alan@x.example", "Could you send me a copy of my last invoice?"
    )
    inbox.reply(alan, "Hi Alan, every invoice is under Settings > Billing > Invoices.")
    for name, email in (("Linus T", "linus@x.example"), ("Barbara Liskov", "bl@x.example")):
        asked = inbox.ask(name, email, "When will my refund arrive on my card?")
        inbox.reply(asked, REFUND_ANSWER.format(first=name.split()[0]))
    return inbox


def grace_reference(inbox: Inbox) -> dict[str, Any]:
    return {
        "conversation_id": inbox.grace,  # type: ignore[attr-defined]
        "message_id": inbox.grace_answer,  # type: ignore[attr-defined]
        "contact_name": "Grace Hopper",
        "created_at": inbox.grace_answered_at,  # type: ignore[attr-defined]
    }


def suggest(client: TestClient[Litestar], conversation_id: int) -> dict[str, Any]:
    response = client.get(f"/api/ai-suggest?conversation_id={conversation_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_suggest_history_readdresses_the_best_answer(
    inbox: Inbox, admin: TestClient[Litestar]
) -> None:
    new = inbox.ask(
        "Margaret Hamilton", "mh@x.example", "I forgot my password, where can I reset it?"
    )
    data = suggest(admin, new)
    assert data["source"] == "history"
    assert data["suggestion"] == (
        "Hi Margaret, you can reset your password on the sign-in page: click Forgot password. "
        "Margaret Hamilton, if the email does not arrive, reply here."
    )
    # Each reference names the reply's customer and time, so the UI can say "From your
    # reply to Grace Hopper on ..." without fetching that conversation.
    assert data["references"] == [grace_reference(inbox)]
    assert 0.2 <= data["confidence"] <= 1
    assert "notice" not in data


def test_suggest_answers_the_latest_question(inbox: Inbox, admin: TestClient[Litestar]) -> None:
    new = inbox.ask(
        "Edsger Dijkstra", "ed@x.example", "I forgot my password, where can I reset it?"
    )
    inbox.reply(new, "Hi Edsger, done: check your inbox.")
    inbox.desk.settings.clock.advance(minutes=5)  # type: ignore[attr-defined]
    incoming.receive_incoming(
        inbox.desk, channel_id=inbox.channel, contact_id=_contact_of(inbox, new),
        body="Thanks! Also, when will the refund for my returned order arrive?",
    )  # fmt: skip
    data = suggest(admin, new)
    assert data["source"] == "history"
    assert data["suggestion"] == REFUND_ANSWER.format(first="Edsger")


def _contact_of(inbox: Inbox, conversation_id: int) -> int:
    return conversations.get_conversation(inbox.desk, conversation_id).contact.id


def test_suggest_template_when_nothing_is_similar(
    inbox: Inbox, admin: TestClient[Litestar]
) -> None:
    new = inbox.ask(
        "Katherine Johnson", "kj@x.example", "Is there parking near your office building?",
        subject="Parking at the office",
    )  # fmt: skip
    data = suggest(admin, new)
    assert data["source"] == "template"
    assert data["suggestion"].startswith("Hi Katherine, ")
    assert '"Parking at the office"' in data["suggestion"]
    assert data["references"] == [] and data["confidence"] == 0


def test_suggest_unnamed_contact_is_greeted_politely(
    inbox: Inbox, admin: TestClient[Litestar]
) -> None:
    new = inbox.ask(None, "someone@x.example", "Please reset my password, I forgot it")
    data = suggest(admin, new)
    assert data["source"] == "history"
    assert data["suggestion"].startswith("Hi there, you can reset your password")
    assert "Grace" not in data["suggestion"]


@pytest.mark.parametrize(
    "query",
    ["", "?conversation_id=", "?conversation_id=abc", "?conversation_id=0",
     "?conversation_id=1.5", "?conversation_id=99999999999999999999"],
)  # fmt: skip
def test_suggest_bad_conversation_id(admin: TestClient[Litestar], query: str) -> None:
    response = admin.get(f"/api/ai-suggest{query}")
    assert response.status_code == 400
    assert "error" in response.json()


def test_suggest_unknown_conversation(admin: TestClient[Litestar], app: Litestar) -> None:
    assert admin.get("/api/ai-suggest?conversation_id=999").status_code == 404
    with new_client(app) as anonymous:
        assert anonymous.get("/api/ai-suggest?conversation_id=1").status_code == 401


class FakeModel:
    """A real HTTP server on 127.0.0.1 speaking /v1/chat/completions, in one of four moods."""

    def __init__(self, mood: str) -> None:
        self.mood = mood
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                model.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if model.mood == "slow":
                    model.release.wait(5)  # the server is slow; the test never sleeps
                if model.mood == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                payload = b"<html>not json" if model.mood == "garbage" else json.dumps(
                    {"choices": [{"index": 0, "message": {"role": "assistant",
                     "content": "  Dear Margaret, a model wrote this.  "}}]}
                ).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def model(request: pytest.FixtureRequest) -> Iterator[FakeModel]:
    server = FakeModel(request.param)
    yield server
    server.close()


def use_model(admin: TestClient[Litestar], url: str) -> None:
    response = admin.post(
        "/api/settings/workspace",
        json={"ai": {"provider": "openai_compatible", "base_url": url + "/v1",
                     "model": "llama3", "api_key": "sekret"}},
    )  # fmt: skip
    assert response.status_code == 200, response.text


def _margaret(inbox: Inbox) -> int:
    new = inbox.ask(
        "Margaret Hamilton", "mh@x.example", "I forgot my password, where can I reset it?"
    )
    inbox.reply(new, "VIP customer, be extra kind.", "note")
    inbox.reply(new, "Hi Margaret, let me check.")
    inbox.desk.settings.clock.advance(minutes=1)  # type: ignore[attr-defined]
    incoming.receive_incoming(
        inbox.desk, channel_id=inbox.channel, contact_id=_contact_of(inbox, new),
        body="Still waiting: how do I reset the password?",
    )  # fmt: skip
    return new


@pytest.mark.parametrize("model", ["good"], indirect=True)
def test_suggest_llm_gets_conversation_and_examples(
    inbox: Inbox, admin: TestClient[Litestar], model: FakeModel
) -> None:
    use_model(admin, model.url)
    new = _margaret(inbox)
    data = suggest(admin, new)
    assert data["source"] == "llm"
    assert data["suggestion"] == "Dear Margaret, a model wrote this."
    assert grace_reference(inbox) in data["references"]
    assert all(r["contact_name"] and r["created_at"] for r in data["references"])
    [sent] = model.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == "Bearer sekret"
    body = sent["body"]
    assert body["model"] == "llama3"
    system, *chat = body["messages"]
    assert system["role"] == "system"
    assert "reset your password on the sign-in page" in system["content"]  # the example
    assert [(m["role"], m["content"]) for m in chat] == [
        ("user", "I forgot my password, where can I reset it?"),
        ("assistant", "Hi Margaret, let me check."),
        ("user", "Still waiting: how do I reset the password?"),
    ]
    assert "VIP" not in json.dumps(body) and "Checked: her account" not in json.dumps(body)


@pytest.mark.parametrize(
    ("model", "says"),
    [("slow", "within 0.5 s"), ("garbage", "not understood"), ("error", "HTTP 500")],
    indirect=["model"],
)
def test_suggest_llm_failure_falls_back(
    inbox: Inbox, admin: TestClient[Litestar], model: FakeModel, says: str
) -> None:
    use_model(admin, model.url)
    data = suggest(admin, _margaret(inbox))
    assert data["source"] == "history"
    assert data["suggestion"].startswith("Hi Margaret, you can reset your password")
    assert says in data["notice"] and "past answers" in data["notice"]
    assert len(model.requests) == 1


def test_suggest_llm_down_falls_back_to_template(inbox: Inbox, admin: TestClient[Litestar]) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    use_model(admin, f"http://127.0.0.1:{port}")
    new = inbox.ask("Katherine Johnson", "kj@x.example", "Is there parking near the office?")
    data = suggest(admin, new)
    assert data["source"] == "template"
    assert "could not be reached" in data["notice"] and "template" in data["notice"]


def test_suggest_ranks_a_sample_of_a_very_common_words_matches() -> None:
    """BM25 is paid per question matched: up to RANKED matches all are ranked, beyond that
    STRATA id ranges spread from the oldest on that together hold about RANKED of them."""
    assert suggestions.samples(1000, suggestions.RANKED) == [(0, 2**63 - 1)]
    ranges = suggestions.samples(9_000_000, suggestions.RANKED * 10)
    assert len(ranges) == suggestions.STRATA
    assert ranges[0][0] == 0 and all(a[1] <= b[0] for a, b in itertools.pairwise(ranges))
    assert ranges[-1][1] <= 9_000_000
    covered = sum(end - start for start, end in ranges)
    assert abs(covered - 900_000) <= suggestions.STRATA
