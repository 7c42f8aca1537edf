"""One chunk of demo data: contacts, conversations with their message scripts, and the
denormalised conversation columns derived from those messages (migrations/m002_inbox.py):

- last_message_*: the latest incoming, outgoing or note message (preview = its first 140
  characters); activity lines are not "said" by anyone, so they only move `updated_at`;
- first_incoming_at; first_reply_at = the first agent `outgoing` after it;
- resolved_at for resolved conversations (the time of the resolving activity);
- waiting_since = the latest incoming message when no agent replied after it, else NULL;
- unread_count = incoming messages after the last agent reply, for open conversations that
  arrived through a channel (phone calls are logged by agents, so never unread), else 0;
- last_activity_at = the last message's time; updated_at = the latest message of any type;
- priority_rank low=0, normal=1, high=2, urgent=3;
- snoozed_until a moment in the future for snoozed conversations.

Times follow timing.py: customers write in office hours of the workspace timezone, agents
answer in its business hours. A script that would run past `now` stops there (the
conversation is still open), so recent activity is spread out as it happens, never squeezed
into one instant. No message or note text repeats within a conversation.

Built for speed: plain tuples in column order, a few random draws per message."""

from __future__ import annotations

import json
import random
import time
from bisect import bisect_left
from dataclasses import dataclass

from desk.services.demo import text
from desk.services.demo.questions import TOPICS, Topic
from desk.services.demo.timing import Calendar, customer_delay, reply_delay
from desk.services.triage import snoozed_words
from desk.store.contacts import contact_email_key
from desk.store.demo import DemoRows, NextIds
from desk.store.search import people_text

DAY = 86400
HISTORY_DAYS = 90
PREVIEW_CHARS = 140
RECURRING_SHARE = 0.30
PLANT_CHANCE = 0.028  # per incoming message: about 1% of all messages carry SEARCH_WORD
NOTE_CHANCE = 0.12
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_WEIGHTS = (15, 60, 18, 7)
CHANNEL_WEIGHTS = {"email": 40, "web_chat": 30, "api": 15, "phone": 15}
# Messages per conversation, 3..15, a little heavier in the middle (mean about 10).
LENGTHS = tuple(range(3, 16))
LENGTH_WEIGHTS = (2, 3, 4, 6, 8, 9, 10, 10, 10, 9, 8, 7, 6)
SNOOZE_HOURS = (8, 9, 9, 9, 10, 13, 14)  # local hours agents snooze conversations until
# Status by age: (max age in days, weights for open, pending, snoozed, resolved).
STATUS_BY_AGE = ((2, (45, 20, 10, 25)), (14, (20, 15, 8, 57)), (HISTORY_DAYS + 1, (5, 5, 3, 87)))
STATUSES = ("open", "pending", "snoozed", "resolved")

Sender = tuple[str, int | None, str]  # (sender_type, sender_id, sender_name)
# (type, body, sender, delay): the delay after the previous step is in active seconds of the
# sender's side (timing.Side), so it lands in that side's hours.
Step = tuple[str, str, Sender, int]


def iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


@dataclass(frozen=True)
class Team:
    agents: list[tuple[int, str]]  # (id, name)
    channels: dict[str, int]  # type -> id


@dataclass
class Contact:
    id: int
    name: str
    first: str
    people: str  # name, email and phone joined by spaces (the search document's `people`)
    created: float


class ChunkBuilder:
    def __init__(
        self, rng: random.Random, team: Team, ids: NextIds, now: float, calendar: Calendar
    ) -> None:
        self.rng = rng
        self.team = team
        self.ids = ids
        self.now = now
        self.now_iso = iso(now)
        self.calendar = calendar
        self.rows = DemoRows()
        self.message_id = ids.message
        self.contacts: list[Contact] = []
        self.contact_rows: list[list[object]] = []  # completed by _contact_rows
        self.channel_types = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(CHANNEL_WEIGHTS.values())
        self.agent_senders: list[Sender] = [("agent", aid, name) for aid, name in team.agents]

    def build(self, conversations: int) -> DemoRows:
        self._make_contacts(int(conversations * 0.6) + 1)
        for offset in range(conversations):
            self._conversation(self.ids.conversation + offset)
        self._contact_rows()
        return self.rows

    # --- contacts -------------------------------------------------------------------------

    def _make_contacts(self, count: int) -> None:
        rng = self.rng
        for offset in range(count):
            contact_id = self.ids.contact + offset
            first = rng.choice(text.FIRST_NAMES)
            last = rng.choice(text.LAST_NAMES)
            company, domain = rng.choice(text.COMPANIES) if rng.random() < 0.7 else ("", "")
            domain = domain or rng.choice(text.PERSONAL_DOMAINS)
            local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            email = f"{local}{contact_id}@{domain}"
            phone = f"+1 555 01{rng.randint(10, 99)} {contact_id % 10000:04d}"
            phone = phone if rng.random() < 0.4 else ""
            name = f"{first} {last}"
            people = people_text(name, email, phone)
            attributes = {"plan": rng.choice(text.PLANS), "customer_since": rng.randint(2015, 2026)}
            self.contacts.append(Contact(contact_id, name, first, people, self.now))
            self.contact_rows.append(
                [contact_id, name, email, contact_email_key(email), phone or None, company or None,
                 json.dumps(attributes), None, None]
            )  # fmt: skip

    def _contact_rows(self) -> None:
        """A contact exists from its first conversation on (or some day in the window)."""
        for contact, row in zip(self.contacts, self.contact_rows, strict=True):
            created = contact.created
            if created >= self.now:
                created = self.calendar.customers.between(
                    self.rng, self.now - HISTORY_DAYS * DAY, self.now - 300
                )
            row[7] = row[8] = iso(created)
        self.rows.contacts = [tuple(row) for row in self.contact_rows]

    # --- conversations --------------------------------------------------------------------

    def _conversation(self, conversation_id: int) -> None:
        rng = self.rng
        contact = rng.choice(self.contacts)
        channel_type = rng.choices(self.channel_types, self.channel_weights)[0]
        start = self.calendar.customers.between(rng, self.now - HISTORY_DAYS * DAY, self.now - 300)
        contact.created = min(contact.created, start)
        status = self._status(self.now - start)
        priority = rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0]
        unassigned = rng.random() < (0.3 if status == "open" else 0.05)
        assignee = None if unassigned else rng.choice(self.agent_senders)
        topic = rng.choice(TOPICS) if rng.random() < RECURRING_SHARE else None
        subject, question = self._opening(topic, contact)
        tags = self._tags(topic)
        snoozed_until = self._snooze_until() if status == "snoozed" else None
        steps = self._script(contact, topic, question, status, assignee, tags, snoozed_until)
        times = self._times(start, steps)
        if times[-1] >= self.now - 5:  # not over yet: it stops now, and is open
            steps, times = self._so_far(steps, times)
            status, snoozed_until = "open", None
        self._emit(conversation_id, contact, channel_type, subject, status, priority, assignee,
                   tags, snoozed_until, steps, times)  # fmt: skip

    def _snooze_until(self) -> str:
        """A local morning or early afternoon, one to fourteen days ahead."""
        days = self.rng.randint(1, 14)
        return iso(self.calendar.local_morning(days, self.rng.choice(SNOOZE_HOURS)))

    def _status(self, age: float) -> str:
        for max_days, weights in STATUS_BY_AGE:
            if age < max_days * DAY:
                return self.rng.choices(STATUSES, weights)[0]
        return "resolved"

    def _opening(self, topic: Topic | None, contact: Contact) -> tuple[str, str]:
        rng = self.rng
        if topic is not None:
            body = rng.choice(topic.questions)
            subject = topic.subject if rng.random() < 0.7 else body[:60]
        else:
            subject = self._fill(rng.choice(text.GENERIC_SUBJECTS))
            problem = f"{rng.choice(text.FEATURES).capitalize()} {rng.choice(text.PROBLEMS)}."
            body = f"{problem} {rng.choice(text.DETAILS)} {rng.choice(text.ASKS)}"
        greeting = rng.choice(text.GREETINGS)
        closing = rng.choice(text.CLOSINGS)
        body = f"{greeting}\n\n{body}\n\n{closing}\n{contact.first}" if greeting else body
        return subject, self._plant(body)

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            product=rng.choice(text.PRODUCTS),
            feature=rng.choice(text.FEATURES),
            problem=rng.choice(text.PROBLEMS),
            n=rng.randint(1000, 99999),
            plan=rng.choice(text.PLANS),
            amount=rng.randint(5, 400),
        )

    def _plant(self, body: str) -> str:
        if self.rng.random() < PLANT_CHANCE:
            return f"{body} {self.rng.choice(text.SEARCH_SENTENCES)}"
        return body

    def _tags(self, topic: Topic | None) -> list[str]:
        count = self.rng.choices((0, 1, 2), (35, 45, 20))[0]
        tags = set(self.rng.sample(text.TAGS, count))
        if topic is not None:
            tags.add(topic.tag)
        return sorted(tags)

    def _script(
        self,
        contact: Contact,
        topic: Topic | None,
        question: str,
        status: str,
        assignee: Sender | None,
        tags: list[str],
        snoozed_until: str | None,
    ) -> list[Step]:
        rng = self.rng
        customer: Sender = ("contact", contact.id, contact.name)
        replier = assignee or rng.choice(self.agent_senders)
        used: set[str] = set()  # templates said so far: no text twice in a conversation
        steps: list[Step] = [("incoming", question, customer, 0)]
        if assignee and rng.random() < 0.6:
            actor = rng.choice(self.agent_senders)
            steps.append(("activity", f"{actor[2]} assigned this to {assignee[2]}", actor, 60))
        if tags and rng.random() < 0.4:
            steps.append(("activity", f"{replier[2]} added tag {tags[0]}", replier, 30))
        tail = self._tail(status, replier, contact, snoozed_until)
        waiting = status == "open" and rng.random() < 0.6
        target = rng.choices(LENGTHS, LENGTH_WEIGHTS)[0]
        slots = max(target - len(steps) - len(tail) - waiting, 3 - len(steps) - len(tail), 1)
        answer = (
            topic.answer.replace("{first}", contact.first) if topic else self._reply(contact, used)
        )
        steps.append(("outgoing", answer or "", replier, reply_delay(rng)))  # (never None yet)
        customer_turn = True
        for _ in range(slots - 1):
            note = self._pick(text.NOTES, used) if rng.random() < NOTE_CHANCE else None
            if note is not None:
                steps.append(("note", self._fill(note), replier, 600))
                continue
            said = self._follow_up(used) if customer_turn else self._reply(contact, used)
            if said is None:  # every wording used up: the conversation says no more
                break
            if customer_turn:
                steps.append(("incoming", said, customer, customer_delay(rng)))
            else:
                steps.append(("outgoing", said, replier, reply_delay(rng)))
            customer_turn = not customer_turn
        follow_up = self._follow_up(used) if waiting else None
        if follow_up is not None:
            steps.append(("incoming", follow_up, customer, customer_delay(rng)))
        steps.extend(tail)
        return steps

    def _pick(self, options: tuple[str, ...], used: set[str]) -> str | None:
        """One of `options` not used yet in this conversation (None once all are)."""
        choice = self.rng.choice(options)
        if choice in used:
            left = [option for option in options if option not in used]
            if not left:
                return None
            choice = self.rng.choice(left)
        used.add(choice)
        return choice

    def _tail(
        self, status: str, replier: Sender, contact: Contact, snoozed_until: str | None
    ) -> list[Step]:
        rng = self.rng
        name = replier[2]
        if status == "resolved":
            reply = rng.choice(text.CLOSING_REPLIES).format(first=contact.first)
            done = f"{name} resolved this"
            return [("outgoing", reply, replier, 3600), ("activity", done, replier, 60)]
        if status == "pending":
            reply = rng.choice(text.PENDING_REPLIES).format(first=contact.first)
            mark = f"{name} marked this pending"
            return [("outgoing", reply, replier, 1800), ("activity", mark, replier, 30)]
        if status == "snoozed" and snoozed_until:
            reply = rng.choice(text.SNOOZE_REPLIES).format(first=contact.first)
            until = snoozed_words(snoozed_until, self.calendar.timezone, self.now_iso)
            mark = f"{name} {until}"
            return [("outgoing", reply, replier, 1800), ("activity", mark, replier, 30)]
        return []

    def _reply(self, contact: Contact, used: set[str]) -> str | None:
        rng = self.rng
        action = self._pick(text.REPLY_ACTIONS, used)
        if action is None:
            return None
        action = action.format(feature=rng.choice(text.FEATURES))
        opener = rng.choice(text.REPLY_OPENERS)
        return f"Hi {contact.first}, {opener} {action} {rng.choice(text.REPLY_CLOSERS)}"

    def _follow_up(self, used: set[str]) -> str | None:
        rng = self.rng
        body = self._pick(text.FOLLOW_UPS, used)
        if body is None:
            return None
        if "{" in body:
            body = body.format(feature=rng.choice(text.FEATURES), problem=rng.choice(text.PROBLEMS))
        return self._plant(body)

    def _times(self, start: float, steps: list[Step]) -> list[float]:
        """Each step's time: its delay on the clock of whoever takes it (timing)."""
        customers, agents = self.calendar.customers, self.calendar.agents
        times = [start]
        at = start
        for step in steps[1:]:
            at = (customers if step[2][0] == "contact" else agents).after(at, step[3])
            times.append(at)
        return times

    def _so_far(self, steps: list[Step], times: list[float]) -> tuple[list[Step], list[float]]:
        """The steps taken before now. At least three: the first ones not taken yet are
        brought forward to random moments between the last one taken and now."""
        limit = self.now - 5
        keep = bisect_left(times, limit)
        if keep >= 3:
            return steps[:keep], times[:keep]
        times = times[:3]
        for index in range(keep, 3):
            earlier = times[index - 1]
            times[index] = max(
                earlier + (limit - earlier) * self.rng.uniform(0.1, 0.6), earlier + 1
            )
        return steps[:3], times

    def _emit(
        self,
        conversation_id: int,
        contact: Contact,
        channel_type: str,
        subject: str,
        status: str,
        priority: str,
        assignee: Sender | None,
        tags: list[str],
        snoozed_until: str | None,
        steps: list[Step],
        times: list[float],
    ) -> None:
        rows = self.rows
        first_id = self.message_id
        stamps = [iso(at) for at in times]
        first_reply_at = waiting_since = waiting_first = None
        unread = 0
        bodies = []
        last = 0  # index of the last incoming, outgoing or note message
        for index, (type_, body, sender, _) in enumerate(steps):
            at = stamps[index]
            if type_ == "outgoing":
                first_reply_at = first_reply_at or at
                waiting_since = waiting_first = None
                unread = 0
            elif type_ == "incoming":
                waiting_since = at
                waiting_first = waiting_first or at
                unread += 1
            if type_ != "activity":
                bodies.append(body)
                last = index
            rows.messages.append(
                (first_id + index, conversation_id, type_, body, sender[0], sender[1], sender[2],
                 "sent" if type_ == "outgoing" else None, at)
            )  # fmt: skip
        self.message_id += len(steps)
        if status != "open" or channel_type == "phone":
            unread = 0
        said, said_at = steps[last], stamps[last]
        rows.conversations.append(
            (conversation_id, self.team.channels[channel_type], contact.id, subject, status,
             snoozed_until, priority, PRIORITIES.index(priority),
             assignee[1] if assignee else None, unread, first_id + last, said[0],
             said[1][:PREVIEW_CHARS], said_at, stamps[0], first_reply_at,
             stamps[-1] if status == "resolved" else None, waiting_since, waiting_first,
             stamps[0], stamps[-1], said_at)
        )  # fmt: skip
        rows.tags.extend((conversation_id, tag) for tag in tags)
        rows.search.append((conversation_id, subject, contact.people, "\n".join(bodies)))
