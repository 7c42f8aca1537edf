"""AI reply suggestions: quality on held-out paraphrases, and latency at scale.

Quality (`top-1 hit rate`): a fresh workspace gets demo-like history, every recurring
question of demo/questions.py asked by several customers in all but one of its wordings and
answered with the team's usual reply, among unrelated conversations. Then each topic's
held-out wording is asked by a new customer, and we count how often the top suggestion is
the team's answer to that question, re-addressed to the new customer. Target: >= 0.8.

Latency: GET /api/ai-suggest on the benchmark server's demo database (target p95 < 100 ms).

`python bench/suggest_eval.py` runs the quality part alone and lists the misses.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Context, Row
from desk.config import PasswordCost, Settings
from desk.models.conversations import ContactInput, NewConversation
from desk.services import agents, conversations, messages, suggestions, workspace
from desk.services.demo.questions import TOPICS, Topic
from desk.services.demo.text import FIRST_NAMES, LAST_NAMES, PROBLEMS
from desk.services.desk import Desk
from desk.store import channels as channels_store

HIT_TARGET = ">= 0.8"
LATENCY_TARGET = "p95 < 100 ms"
ASKED_PER_WORDING = 3
DISTRACTORS = 300


class History:
    def __init__(self, data_dir: Path) -> None:
        settings = Settings(data_dir=data_dir, password_cost=PasswordCost(1, 8, 1))
        self.desk = Desk(settings)
        workspace.ensure_workspace(self.desk, "Eval")
        agent, _ = agents.ensure_admin(
            self.desk, email="eval@x.example", name="Eva Agent", password="eval-password"
        )
        self.agent = agent
        with self.desk.db.write() as conn:
            self.channel = channels_store.insert_channel(
                conn, name="Mail", type="phone", active=True, config={}, token="eval",
                signing_secret="s", now=self.desk.now_iso(),
            )  # fmt: skip
        self.rng = random.Random(7)
        self.people = 0

    def person(self) -> tuple[str, str]:
        self.people += 1
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        return name, f"person{self.people}@eval.example"

    def ask(self, question: str, answer: str | None = None) -> tuple[int, str]:
        name, email = self.person()
        conversation = conversations.create_conversation(
            self.desk,
            self.agent,
            NewConversation(
                channel_id=self.channel,
                contact=ContactInput(name=name, email=email),
                message=question,
            ),
        ).id
        if answer is not None:
            first = name.split()[0]
            messages.post_message(self.desk, self.agent, conversation, answer.format(first=first))
        return conversation, name.split()[0]


def evaluate(data_dir: Path) -> tuple[float, list[str]]:
    """(top-1 hit rate, the misses) on held-out wordings."""
    history = History(data_dir)
    for topic in TOPICS:
        for wording in topic.questions[:-1]:
            for _ in range(ASKED_PER_WORDING):
                history.ask(wording, topic.answer)
    for _ in range(DISTRACTORS):
        history.ask(history.rng.choice(PROBLEMS), "Hi {first}, thanks, we're looking into it.")
    misses = [miss for topic in TOPICS if (miss := _miss(history, topic))]
    history.desk.close()
    return 1 - len(misses) / len(TOPICS), misses


def _miss(history: History, topic: Topic) -> str | None:
    conversation, first = history.ask(topic.questions[-1])
    found = suggestions.suggest_reply(history.desk, conversation)
    if found.suggestion == topic.answer.format(first=first):
        return None
    return f"{topic.questions[-1]!r} -> {found.source}: {found.suggestion[:80]!r}"


_rate: list[float] = []  # the evaluation does not depend on the size: run it once


def run(ctx: Context) -> list[Row]:
    if not _rate:
        with tempfile.TemporaryDirectory() as tmp:
            _rate.append(evaluate(Path(tmp))[0])
    rate = _rate[0]
    ids = random.Random(ctx.size).sample(range(1, ctx.size + 1), ctx.warmup + ctx.requests)
    latency = ctx.measure(
        "ai-suggest (history)",
        lambda i: ctx.client.get("/api/ai-suggest", params={"conversation_id": ids[i]}),
        LATENCY_TARGET,
    )
    return [
        Row("ai-suggest top-1 hit rate, held-out paraphrases", value=rate, target=HIT_TARGET),
        latency,
    ]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        hit_rate, missed = evaluate(Path(tmp))
    print(f"top-1 hit rate on held-out paraphrases: {hit_rate:.2f} ({len(TOPICS)} topics)")
    for line in missed:
        print("  miss:", line)
