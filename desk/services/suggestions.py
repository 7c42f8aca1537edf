"""Reply suggestions that work offline, and better with a model on the LAN.

`history`: the conversation's latest customer words become an FTS5 query (distinct words,
stop words dropped, each quoted, ORed for recall) over every past customer question
(`question_index`, ranked by BM25). The replies agents sent to the best matches are grouped
(the same answer given to different customers counts once, with their scores summed) and the
best group's reply is proposed, its greeting re-addressed from the old customer to this one.
`confidence` is the cosine overlap of distinct words between the two questions (0..1); under
MIN_CONFIDENCE nothing is similar enough and a courteous `template` is proposed instead.

`llm`: when the workspace's AI provider is `openai_compatible`, the model gets the
conversation (no notes, no activity; the newest messages within a size budget, then in
order) and the best past answers as examples. Any failure falls back to history/template,
with a `notice` saying why.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import time

import msgspec

from desk.errors import NotFound
from desk.models.suggestions import Answer, Hit, Line, Reference, Subject, Suggestion
from desk.services import llm, workspace
from desk.services.desk import Desk
from desk.store import suggestions as store

MIN_CONFIDENCE = 0.2
MAX_TERMS = 16  # words taken from the question
QUERY_TERMS = 6  # of which the rarest in the index are searched for (cost ~ their postings)
NARROW_ENOUGH = 3  # questions sharing the two rarest words needed to skip the wide query
VOCABULARY_SECONDS = 300.0  # how long term frequencies are cached
CANDIDATES = 40  # past questions ranked
RANKED = 4000  # at most about this many matching questions are scored (a sample over time)
STRATA = 3  # ranges of message ids that sample is drawn from
ANSWERS = 12  # of which the answers are looked up
EXAMPLES = 3  # past answers shown to a model
PROMPT_BUDGET = 8000  # characters of conversation sent to a model

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can cannot could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves hi hello hey dear thanks thank please regards cheers team
    support ok okay also get got still yet im ive id dont cant isnt wont its""".split()  # noqa: SIM905 (a word list reads better as text)
)


class Candidate(msgspec.Struct, kw_only=True):
    hit: Hit
    answer: Answer
    score: float  # the group's summed BM25 score


def terms(text: str) -> list[str]:
    """Distinct content words of a text, in order."""
    seen: dict[str, None] = {}
    for word in re.findall(r"\w+", text.lower()):
        word = word.replace("_", "")
        if len(word) > 1 and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


class Vocabulary:
    """Document frequencies of the indexed terms, cached per Desk for a few minutes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded_at = -VOCABULARY_SECONDS
        self.frequencies: dict[str, int] = {}

    def get(self, conn: sqlite3.Connection) -> dict[str, int]:
        with self.lock:
            if time.monotonic() - self.loaded_at >= VOCABULARY_SECONDS:
                self.frequencies = store.term_frequencies(conn)
                self.loaded_at = time.monotonic()
            return self.frequencies


def _vocabulary(desk: Desk) -> Vocabulary:
    return desk.shared("suggestions.vocabulary", Vocabulary)


def _frequency(word: str, frequencies: dict[str, int]) -> int:
    """How many past questions contain the word. The index holds porter stems, which start
    like their word ("working" -> "work"): a word counts as its longest indexed prefix."""
    for end in range(len(word), 2, -1):
        if word[:end] in frequencies:
            return frequencies[word[:end]]
    return 0


def rarest(words: list[str], frequencies: dict[str, int], keep: int = QUERY_TERMS) -> list[str]:
    """The words worth searching for: the `keep` known words that the fewest past questions
    contain (ranking cost grows with the questions matched), plus any word the index does
    not know (it matches nothing, so it costs nothing)."""
    known = sorted(
        (w for w in words if _frequency(w, frequencies)), key=lambda w: _frequency(w, frequencies)
    )
    return [w for w in words if not _frequency(w, frequencies)] + known[:keep]


def match_query(words: list[str]) -> str:
    """An FTS5 query ORing every word, each quoted so no word is read as an operator."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def overlap(first: list[str], second: list[str]) -> float:
    """Cosine similarity of two sets of (roughly stemmed) words."""
    a, b = {_stem(w) for w in first}, {_stem(w) for w in second}
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else ""


def readdress(text: str, old_name: str, new_name: str) -> str:
    """Swap the old customer's full and first name for this contact's ("there" if unnamed)."""
    new_first = first_name(new_name) or "there"
    old_first = first_name(old_name)
    if old_name.strip() and old_name.strip() != old_first:
        text = re.sub(rf"\b{re.escape(old_name.strip())}\b", new_name.strip() or new_first, text)
    if old_first:
        text = re.sub(rf"\b{re.escape(old_first)}\b", new_first, text)
    return text


def question_of(lines: list[Line]) -> str:
    """What the customer is asking now: their messages since the last reply (up to three),
    else their latest message. `lines` are newest first."""
    recent: list[str] = []
    for line in lines:
        if line.type == "outgoing":
            break
        recent.append(line.body)
    if not recent:
        recent = [line.body for line in lines if line.type == "incoming"][:1]
    return "\n".join(reversed(recent[:3]))


def _candidates(
    conn: sqlite3.Connection, subject: Subject, words: list[str], frequencies: dict[str, int]
) -> list[Candidate]:
    hits = _hits(conn, subject, rarest(words, frequencies), frequencies)
    groups: dict[str, Candidate] = {}
    looked_up = 0
    for hit in hits:
        if looked_up >= ANSWERS:
            break
        answer = store.answer_to(conn, hit.conversation_id, hit.message_id)
        looked_up += 1
        if answer is None:
            continue
        key = readdress(answer.body, answer.contact_name, "").strip().casefold()
        if key in groups:
            groups[key].score += hit.score
        else:
            groups[key] = Candidate(hit=hit, answer=answer, score=hit.score)
    return sorted(groups.values(), key=lambda c: -c.score)


def _hits(
    conn: sqlite3.Connection, subject: Subject, words: list[str], frequencies: dict[str, int]
) -> list[Hit]:
    """First the questions sharing the two rarest known words (a small set, ranked by all the
    words), else every question sharing any word. BM25 costs per question matched, so the
    narrow query keeps the common case fast."""
    known = [w for w in words if _frequency(w, frequencies)]
    last = store.last_message_id(conn)
    if len(known) >= 2:
        pair = sorted(known, key=lambda w: _frequency(w, frequencies))[:2]
        narrow = f"({match_query(pair[:1])} AND {match_query(pair[1:])}) AND ({match_query(words)})"
        hits = _ranked(conn, narrow, subject, _frequency(pair[0], frequencies), last)
        if len(hits) >= NARROW_ENOUGH:
            return hits
    matched = sum(_frequency(w, frequencies) for w in known)
    return _ranked(conn, match_query(words), subject, matched, last)


def _ranked(
    conn: sqlite3.Connection, match: str, subject: Subject, matches: int, last: int
) -> list[Hit]:
    """The best CANDIDATES of the questions matching, or of a sample of them spread over
    time when about `matches` (an upper bound) is more than RANKED."""
    hits = [
        hit
        for ids in samples(last, matches)
        for hit in store.similar_questions(conn, match, subject.id, CANDIDATES, ids)
    ]
    return sorted(hits, key=lambda h: (-h.score, h.message_id))[:CANDIDATES]


def samples(last_message_id: int, matches: int) -> list[tuple[int, int]]:
    """Message id ranges to rank: everything when about `matches` questions match is at most
    RANKED, else STRATA evenly spread ranges that together hold about RANKED matches (questions
    are spread over the ids). BM25 is paid per question matched: a common word alone
    ("worked") would otherwise score tens of thousands of questions for the same few answers."""
    if matches <= RANKED:
        return [(0, 2**63 - 1)]
    stride = last_message_id // STRATA + 1
    width = max(1, stride * RANKED // matches)
    return [(start, start + width) for start in range(0, last_message_id + 1, stride)]


def template(subject: Subject, question: str) -> str:
    first = first_name(subject.contact_name) or "there"
    topic = subject.subject.strip() or " ".join(question.split()[:8])
    about = f' about "{topic}"' if topic else ""
    return (
        f"Hi {first}, thank you for getting in touch{about}. I'm looking into it now and "
        "will get back to you shortly."
    )


def _offline(subject: Subject, question: str, best: list[Candidate]) -> Suggestion:
    if best:
        top = best[0]
        confidence = round(overlap(terms(question), terms(top.hit.body)), 2)
        if confidence >= MIN_CONFIDENCE:
            return Suggestion(
                suggestion=readdress(
                    top.answer.body, top.answer.contact_name, subject.contact_name
                ),
                source="history",
                confidence=confidence,
                references=[_reference(top)],
            )
    return Suggestion(
        suggestion=template(subject, question), source="template", confidence=0.0, references=[]
    )


def _reference(candidate: Candidate) -> Reference:
    return Reference(
        conversation_id=candidate.hit.conversation_id,
        message_id=candidate.answer.message_id,
        contact_name=candidate.answer.contact_name,
        created_at=candidate.answer.created_at,
    )


def suggest_reply(desk: Desk, conversation_id: int) -> Suggestion:
    with desk.db.read() as conn:
        subject = store.get_subject(conn, conversation_id)
        if subject is None:
            raise NotFound(
                f"Conversation {conversation_id} not found.", code="conversation_not_found"
            )
        lines = store.transcript(conn, conversation_id, 100)
        question = question_of(lines) or subject.subject
        words = terms(question)
        frequencies = _vocabulary(desk).get(conn)
        best = _candidates(conn, subject, words, frequencies) if words else []
    offline = _offline(subject, question, best)
    ws = workspace.get_workspace(desk)
    if ws.ai.provider != "openai_compatible" or not ws.ai.base_url or not ws.ai.model:
        return offline
    prompt = build_prompt(ws.name, subject, lines, best[:EXAMPLES])
    try:
        text = llm.chat(
            ws.ai.base_url,
            ws.ai.model,
            prompt,
            api_key=ws.ai_api_key,
            timeout=desk.settings.ai_timeout_seconds,
        )
    except llm.LlmError as exc:
        instead = "past answers" if offline.source == "history" else "a template"
        return msgspec.structs.replace(
            offline, notice=f"{exc.message} This suggestion comes from {instead} instead."
        )
    references = [_reference(c) for c in best[:EXAMPLES]]
    return Suggestion(
        suggestion=text, source="llm", confidence=offline.confidence, references=references
    )


def build_prompt(
    workspace_name: str, subject: Subject, lines: list[Line], examples: list[Candidate]
) -> list[llm.ChatMessage]:
    """System instructions with the team's past answers, then the conversation in order."""
    first = first_name(subject.contact_name) or "the customer"
    system = (
        f"You are a support agent at {workspace_name}. Write the next reply to the customer "
        f"in this conversation: courteous, concise and addressed to {first}. Answer with the "
        "text of the reply only."
    )
    if examples:
        system += "\n\nHow the team answered similar questions before:"
        for example in examples:
            answer = readdress(example.answer.body, example.answer.contact_name, first)
            system += f"\n\nCustomer: {example.hit.body}\nAgent: {answer}"
    kept: list[Line] = []
    used = 0
    for line in lines:  # newest first, within the budget
        if kept and used + len(line.body) > PROMPT_BUDGET:
            break
        kept.append(line)
        used += len(line.body)
    chat = [llm.ChatMessage(role="system", content=system)]
    for line in reversed(kept):
        role = "user" if line.type == "incoming" else "assistant"
        chat.append(llm.ChatMessage(role=role, content=line.body[:PROMPT_BUDGET]))
    return chat
