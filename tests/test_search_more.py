"""Search that helps: a conversation's number finds it first, rows found by a message carry
that message's line, and a search with no result offers a corrected one ("Did you mean")."""

from __future__ import annotations

import pytest

from desk.services.search import edit_distance, nearest_word, snippet_line
from desk.store import inbox as inbox_store
from tests.inbox_helpers import Client, ids, listing, make_channel, start


@pytest.fixture(params=["few matches", "many matches"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "many matches":
        monkeypatch.setattr(inbox_store, "SELECTIVE_SEARCH", 0)


@pytest.fixture
def inbox(admin: Client) -> dict[str, int]:
    phone = make_channel(admin, "phone")
    found = {}
    for n in range(1, 6):
        found[f"c{n}"] = start(
            admin,
            phone["id"],
            subject=f"Question {n}",
            contact={"name": f"Customer {n}", "email": f"c{n}@example.com"},
            message=f"Hello, this is message {n}.",
        )["id"]
    found["invoice"] = start(
        admin,
        phone["id"],
        subject="Billing",
        contact={"name": "Ivy Invoice", "email": "ivy@example.com"},
        message="Good morning.\nWhere is the invoice for March? I paid it last week.\nThanks",
    )["id"]
    # Conversation 3 also mentions the number 2: "2" finds it by text and conversation 2 by number.
    admin.post(
        f"/api/conversations/{found['c3']}/messages",
        json={"body": "See ticket 2 as well", "type": "note"},
    ).raise_for_status()
    return found


@pytest.mark.parametrize("text", ["2", "#2", " #2 "])
def test_a_conversation_number_lists_that_conversation_first(
    admin: Client, inbox: dict[str, int], plan: None, text: str
) -> None:
    page = listing(admin, search=text)
    assert [c["id"] for c in page["items"]] == [inbox["c2"], inbox["c3"]]
    assert page["total"] == 2
    # Paged one by one: each once, in the same order.
    pages = [listing(admin, search=text, per_page=1, page=n)["items"] for n in (1, 2, 3)]
    assert [[c["id"] for c in p] for p in pages] == [[inbox["c2"]], [inbox["c3"]], []]


def test_the_number_still_obeys_the_other_filters(admin: Client, inbox: dict[str, int]) -> None:
    admin.post(
        f"/api/conversations/{inbox['c4']}/status", json={"status": "resolved"}
    ).raise_for_status()
    assert ids(admin, search="4") == []  # resolved: not in the default list
    assert ids(admin, search="#4", status="all") == [inbox["c4"]]
    assert ids(admin, search="#4", status="all", priority="urgent") == []
    assert ids(admin, search="#999") == []


def test_a_number_that_is_also_text_is_listed_once(admin: Client, inbox: dict[str, int]) -> None:
    # Conversation 1's own text holds "1" ("message 1."): pinned, not listed twice.
    page = listing(admin, search="1")
    assert [c["id"] for c in page["items"]] == [inbox["c1"]]
    assert page["total"] == 1


def test_rows_found_by_a_message_carry_its_line(admin: Client, inbox: dict[str, int]) -> None:
    page = listing(admin, search="invoice march")
    (row,) = page["items"]
    assert row["snippet"] == "Where is the invoice for March? I paid it last week."
    # Found by the contact's name only: no message line.
    assert listing(admin, search="ivy")["items"][0]["snippet"] is None
    # Without a search: no snippets at all.
    assert all(c["snippet"] is None for c in listing(admin)["items"])


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("invoce", "invoice"),
        ("INVOCIE", "invoice"),
        ("invoce march", "invoice march"),
        ("the invoce", "the invoice"),
        ("mrach", "march"),
    ],
)
def test_a_search_with_no_result_offers_did_you_mean(
    admin: Client, inbox: dict[str, int], typed: str, meant: str
) -> None:
    page = listing(admin, search=typed)
    assert (page["total"], page["did_you_mean"]) == (0, meant)
    assert listing(admin, search=meant)["total"] == 1


@pytest.mark.parametrize("typed", ["zzzzqx", "invoice", "invoice zebra", "xy", ""])
def test_no_suggestion_when_nothing_near_or_something_found(
    admin: Client, inbox: dict[str, int], typed: str
) -> None:
    assert listing(admin, search=typed)["did_you_mean"] is None


def test_edit_distance_and_nearest_word() -> None:
    assert edit_distance("invoce", "invoice", 2) == 1
    assert edit_distance("mrach", "march", 2) == 1  # a swap is one edit
    assert edit_distance("abc", "xyzabc", 2) == 3  # over the limit: limit + 1
    assert nearest_word("invoce", [("invoice", 3), ("invoke", 1), ("involve", 9)]) == "invoice"
    assert nearest_word("cat", [("car", 1), ("cut", 5)]) == "cut"  # tie: the most used
    assert nearest_word("cat", [("cart", 1), ("dog", 9)]) == "cart"
    assert nearest_word("cat", [("carts", 1)]) is None  # two edits for a short word: too far
    assert snippet_line("…one\ntwo \x02hit\x03 here\nthree…") == "two hit here"
