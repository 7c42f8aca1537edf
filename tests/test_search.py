"""Full-text search in the inbox list: words ANDed, prefix on the last one, never an error."""

from __future__ import annotations

from typing import Any

import pytest

from desk.services.search import fts_query
from desk.store import inbox as inbox_store
from desk.store import totals as totals_store
from tests.inbox_helpers import Client, hook, ids, listing, make_channel, start


@pytest.fixture(params=["few matches", "many matches", "probed", "probe window too small"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test under every query plan: matches looked up one by one, checked while walking
    an index (what a frequent word at 100,000 conversations gets), or probed one by one in a
    window of the list's first rows (a word in a large share of a big inbox), also when the
    window holds too few matches and the page is read again."""
    use_plan(request.param, monkeypatch)


def use_plan(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Steer the list's search onto one of `plan`'s query plans."""
    if name != "few matches":
        monkeypatch.setattr(inbox_store, "SELECTIVE_SEARCH", 0)
    if name.startswith("probe"):
        monkeypatch.setattr(inbox_store, "PROBE_COST", 0)
    if name == "probe window too small":
        monkeypatch.setattr(inbox_store, "PROBE_WINDOW", 1)


@pytest.fixture
def inbox(admin: Client) -> dict[str, int]:
    phone = make_channel(admin, "phone")
    api = make_channel(admin, "api")
    refund = start(
        admin,
        phone["id"],
        subject="Refund for order 1042",
        contact={"name": "Grace Hopper", "email": "grace@navy.example", "phone": "+1 555 0100"},
        message="The parcel arrived damaged",
    )["id"]
    invoice = start(
        admin,
        phone["id"],
        subject="Invoice question",
        contact={"name": "Linus Tórvalds", "email": "linus@kernel.example"},
        message="Can I get an invoice with my company's VAT number?",
    )["id"]
    admin.post(
        f"/api/conversations/{invoice}/messages",
        json={"body": "Forwarded to accounting (internal)", "type": "note"},
    )
    admin.post(f"/api/conversations/{invoice}/tags", json={"tag": "zebra"})  # an activity line
    hooked = hook(admin, api, 'He said "hello" 😀 — order #77', email="mo@shop.example", name="Mo")
    return {"refund": refund, "invoice": invoice, "hook": hooked["conversation_id"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("refund", ["refund"]),  # subject
        ("damaged", ["refund"]),  # an incoming body
        ("accounting", ["invoice"]),  # a note
        ("grace", ["refund"]),  # contact name
        ("navy.example", ["refund"]),  # contact email
        ("0100", ["refund"]),  # contact phone
        ("torvalds", ["invoice"]),  # accents fold
        ("ORDER", ["refund", "hook"]),
        ("order 1042", ["refund"]),  # words are ANDed
        ("order damaged", ["refund"]),
        ("order invoice", []),
        ("ref", ["refund"]),  # the last word is a prefix
        ("acc", ["invoice"]),
        ("invoice quest", ["invoice"]),
        ("inv question", []),  # only the last word is a prefix
        ("re", []),  # and only from three characters on
        ("zebra", []),  # activity lines are not searched
        ('"hello"', ["hook"]),
        ("#77", ["hook"]),
        ("hello 😀", ["hook"]),
        ("company's", ["invoice"]),
    ],
)
def test_search_finds_subjects_people_and_bodies(
    admin: Client, inbox: dict[str, int], query: str, expected: list[str], plan: None
) -> None:
    found = ids(admin, search=query, status="all")
    assert sorted(found) == sorted(inbox[name] for name in expected)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"unbalanced',
        "AND",
        "OR OR",
        "NOT refund",
        "NEAR(refund order)",
        "subject:refund",
        "refund*",
        "*",
        "^refund",
        "(",
        "a' OR 1=1 --",
        "-refund",
        "+",
        "\\",
        "%",
        "_",
        "😀",
        "\u0000",
        "ﷺ",
        "x" * 2000,
        "refund " * 300,
        " ".join(["a"] * 1000),
        "!@#$%^&*()[]{};:,.<>/?|`~",
    ],
)
def test_no_input_makes_search_fail(admin: Client, inbox: dict[str, int], query: str) -> None:
    response = admin.get("/api/conversations", params={"search": query})
    assert response.status_code == 200, response.text


def test_punctuation_only_or_empty_search_is_no_filter(
    admin: Client, inbox: dict[str, int]
) -> None:
    everything = sorted(ids(admin))
    for query in ["", "   ", "!!!", "😀", '"" ()']:
        assert sorted(ids(admin, search=query)) == everything


def test_search_combines_with_filters(admin: Client, inbox: dict[str, int], plan: None) -> None:
    admin.post(f"/api/conversations/{inbox['refund']}/status", json={"status": "resolved"})
    assert ids(admin, search="order") == [inbox["hook"]]
    assert ids(admin, search="order", status="resolved") == [inbox["refund"]]
    assert ids(admin, search="order", channel_type="api") == [inbox["hook"]]
    assert ids(admin, search="order", tag="zebra", status="all") == []
    assert ids(admin, search="invoice", tag="zebra") == [inbox["invoice"]]
    assert sorted(ids(admin, search="order", status="all")) == sorted(
        [inbox["refund"], inbox["hook"]]
    )
    assert listing(admin, search="order", status="all", sort="created_asc")["total"] == 2
    assert ids(admin, search="order", status="all", per_page=1, page=2) != ids(
        admin, search="order", status="all", per_page=1, page=1
    )


def test_new_messages_are_searchable_at_once(admin: Client, inbox: dict[str, int]) -> None:
    assert ids(admin, search="kangaroo") == []
    admin.post(f"/api/conversations/{inbox['invoice']}/messages", json={"body": "Kangaroo!"})
    assert ids(admin, search="kangaroo") == [inbox["invoice"]]


def test_renaming_a_contact_renames_them_in_search(admin: Client, inbox: dict[str, int]) -> None:
    contact_id = admin.get(f"/api/conversations/{inbox['refund']}").json()["contact"]["id"]
    response = admin.patch(f"/api/contacts/{contact_id}", json={"name": "Amazing Grace"})
    assert response.status_code == 200, response.text
    assert ids(admin, search="amazing") == [inbox["refund"]]


def test_a_deleted_contact_leaves_nothing_to_find(admin: Client, inbox: dict[str, int]) -> None:
    contact_id = admin.get(f"/api/conversations/{inbox['refund']}").json()["contact"]["id"]
    assert admin.delete(f"/api/contacts/{contact_id}").status_code == 200
    assert ids(admin, search="damaged", status="all") == []


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("refund", '"refund"*'),
        ("ab", '"ab"'),  # too short to be a prefix: a whole word
        ("order 1042 ORDER", '"1042" AND "ORDER"*'),  # each word once; the last stays last
        (" ".join(["a"] * 1000), '"a"'),
        ("order ab", '"order" AND "ab"'),
        ("o'bri", '"o\'bri"*'),
        ("bri'o", '"bri\'o"'),
        ("order  1042", '"order" AND "1042"*'),
        ('say "hello"', '"say" AND """hello"""*'),
        ("!!! okay", '"okay"*'),
        ("", None),
        ("?! 😀 _", None),
        (None, None),
    ],
)
def test_fts_query_quotes_every_word(text: str | None, query: Any) -> None:
    assert fts_query(text) == query


def test_a_search_total_stops_counting_at_the_cap(
    admin: Client, plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """API.md: a search's total stops at 10,000 (`total_capped`); here the cap is 3."""
    monkeypatch.setattr(totals_store, "SEARCH_TOTAL_CAP", 3)
    phone = make_channel(admin, "phone")
    made = [start(admin, phone["id"], message=f"marzipan order {n}")["id"] for n in range(5)]
    start(admin, phone["id"], message="something else")
    admin.post(f"/api/conversations/{made[0]}/tags", json={"tag": "sweet"})
    for params in ({}, {"status": "all"}, {"status": "open"}, {"sort": "created_asc"}):
        page = listing(admin, search="marzipan", **params)
        assert (page["total"], page["total_capped"]) == (3, True), params
        assert sorted(item["id"] for item in page["items"]) == sorted(made), params
        # Pages past the capped total still answer what there is.
        assert len(ids(admin, search="marzipan", per_page=2, page=3, **params)) == 1, params
    exact = listing(admin, search="marzipan", tag="sweet")
    assert (exact["total"], exact["total_capped"]) == (1, False)
    exact = listing(admin, search="marzipan", per_page=1, page=99)
    assert (exact["items"], exact["total"], exact["total_capped"]) == ([], 3, True)
    unfiltered = listing(admin)  # no search: counted exactly, whatever the cap
    assert (unfiltered["total"], unfiltered["total_capped"]) == (6, False)


def test_a_search_under_the_cap_is_counted_exactly(admin: Client, inbox: dict[str, int]) -> None:
    page = listing(admin, search="order", status="all")
    assert (page["total"], page["total_capped"]) == (2, False)
