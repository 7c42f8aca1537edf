"""The last word's prefix spelt out as the indexed words it starts (`"refu"*` read as
`("refund" OR "refunded" OR "refunds")`): the same list, total and snippets as the prefix, under
every query plan, on readers and on the writer."""

from __future__ import annotations

from typing import Any

import pytest

from desk.models.conversations import Filters
from desk.services import search as search_service
from desk.services.search import fts_query, search_queries, snippet_line
from desk.store import inbox as inbox_store
from desk.store import search as search_store
from tests.inbox_helpers import Client, desk_of, listing, make_channel, start
from tests.test_search import use_plan

FILLER = " ".join(f"word{n}" for n in range(40))
MESSAGES = {
    "refund": "I want a refund for my order",
    "refunds": "Two refunds were promised, order 7",
    "refunded": "It was Refunded twice",
    # Two words of the prefix near the start, the other search word with one of them later:
    # ORing the words would score the first stretch as high as the second (see below).
    "scoring": f"refund refunded {FILLER} order refund",
    "many": " ".join(f"zed{n}" for n in range(search_service.MAX_SPELT_OUT + 4)),
    "accents": "Café au lait at the CAFETERIA",
    "plural": "the cafés are open",
    "phrase": "I e-mailed them; the e-mails bounced",
    "resolved": "refundable, but resolved",
}
TEXTS = [
    "refu",
    "REFUN",
    "order refu",
    "refunded",
    "zed",  # more words than MAX_SPELT_OUT: stays a prefix
    "zed1",
    "qqqx",  # starts no word: matches nothing
    "cafe",
    "CAFÉ",  # not ASCII: stays a prefix
    "cafés",
    "e-mai",
    "e-mails",
    '"refu',
    "refu.",
    "ref",
]


@pytest.fixture(
    params=["few matches", "many matches", "probed", "probe window too small", "snippets probed"]
)
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query plan of the list (as in test_search.py), and snippets made by a probe per
    row instead of one pass over the rows' range."""
    if request.param == "snippets probed":
        monkeypatch.setattr(search_store, "SNIPPET_PASS_SPAN", -1)
        return
    use_plan(request.param, monkeypatch)


@pytest.fixture
def inbox(admin: Client) -> dict[str, int]:
    phone = make_channel(admin, "phone")
    made = {name: start(admin, phone["id"], message=text)["id"] for name, text in MESSAGES.items()}
    response = admin.post(
        f"/api/conversations/{made['resolved']}/status", json={"status": "resolved"}
    )
    assert response.status_code == 200, response.text
    return made


def _page(admin: Client, text: str, **params: Any) -> tuple[list[tuple[int, Any]], int, bool]:
    page = listing(admin, search=text, **params)
    items = [(item["id"], item["snippet"]) for item in page["items"]]
    return items, page["total"], page["total_capped"]


def _reference_snippets(admin: Client, text: str, ids: list[int]) -> dict[int, str | None]:
    """The snippets as search_index itself makes them for the prefix query."""
    queries = search_queries(text)  # the prefix, as typed
    assert queries is not None
    marks = ", ".join("?" * len(ids))
    with desk_of(admin).db.read() as conn:
        rows = conn.execute(
            "SELECT rowid, snippet(search_index, 2, char(2), char(3), '…', 24)"
            f" FROM search_index WHERE search_index MATCH ? AND rowid IN ({marks})",
            (queries.bodies, *ids),
        ).fetchall()
    found = {int(row[0]): snippet_line(str(row[1])) or None for row in rows}
    return {i: found.get(i) for i in ids}


@pytest.mark.parametrize("params", [{}, {"status": "all"}, {"status": "all", "per_page": 2}])
def test_a_spelt_out_prefix_lists_what_the_prefix_lists(
    admin: Client,
    inbox: dict[str, int],
    plan: None,
    params: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spelt = {text: _page(admin, text, **params) for text in TEXTS}
    monkeypatch.setattr(search_service, "MAX_SPELT_OUT", 0)  # every prefix stays a prefix
    for text in TEXTS:
        assert spelt[text] == _page(admin, text, **params), text
        items = spelt[text][0]
        ids = [i for i, _ in items]
        assert dict(items) == _reference_snippets(admin, text, ids), text


def test_what_each_search_finds(admin: Client, inbox: dict[str, int]) -> None:
    def found(text: str) -> set[int]:
        return {i for i, _ in _page(admin, text, status="all")[0]}

    refunds = {inbox[name] for name in ("refund", "refunds", "refunded", "scoring", "resolved")}
    assert found("refu") == found("REFUN") == refunds
    assert found("order refu") == {inbox["refund"], inbox["refunds"], inbox["scoring"]}
    assert found("zed") == found("zed1") == {inbox["many"]}
    assert found("qqqx") == set()
    assert found("cafe") == found("CAFÉ") == {inbox["accents"], inbox["plural"]}
    assert found("e-mai") == {inbox["phrase"]}


def test_the_snippet_is_the_prefix_s_own(admin: Client, inbox: dict[str, int]) -> None:
    """The words ORed are phrases of their own, and snippet() scores a stretch by the distinct
    phrases in it: for `order refu` it would pick the opening `refund refunded` stretch. The
    snippet is the prefix's: the stretch with `order`."""
    (item,) = [item for item in _page(admin, "order refu")[0] if item[0] == inbox["scoring"]]
    assert item[1] is not None and item[1].endswith("order refund")
    with desk_of(admin).db.read() as conn:
        ored = f"bodies : ({fts_query('order refu', conn)})"
        raw = search_store.body_snippets(conn, ored, [inbox["scoring"]])
    assert snippet_line(raw[inbox["scoring"]]).startswith("refund refunded")


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("refu", '("refund" OR "refundable" OR "refunded" OR "refunds")'),
        ("REFUN", '("refund" OR "refundable" OR "refunded" OR "refunds")'),
        ("refunde", '"refunded"'),
        ("order refu", '"order" AND ("refund" OR "refundable" OR "refunded" OR "refunds")'),
        ('"refu', '("""refund" OR """refundable" OR """refunded" OR """refunds")'),
        ("e-mai", '("e-mailed" OR "e-mails")'),
        ("zed", '"zed"*'),  # too many words
        ("qqqx", '"qqqx"*'),  # none
        ("CAFÉ", '"CAFÉ"*'),  # not ASCII
        ("caf", '("cafe" OR "cafes" OR "cafeteria")'),
        ("re", '"re"'),  # not a prefix at all
        (None, None),
    ],
)
def test_fts_query_spells_out_the_last_word(
    admin: Client, inbox: dict[str, int], text: str | None, query: str | None
) -> None:
    with desk_of(admin).db.read() as conn:
        assert fts_query(text, conn) == query
    with desk_of(admin).db.write() as conn:  # the writer has the vocabulary too
        assert fts_query(text, conn) == query


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("refunde", 'bodies : ("refunded")'),  # one word: a probe per row
        ("order refunde", 'bodies : ("order" OR "refunded")'),
        ("refu", 'bodies : ("refu"*)'),  # more: the prefix, for its own snippet
        ("qqqx", 'bodies : ("qqqx"*)'),
    ],
)
def test_snippets_spell_out_a_prefix_of_one_word(
    admin: Client, inbox: dict[str, int], text: str, query: str
) -> None:
    with desk_of(admin).db.read() as conn:
        queries = search_queries(text, conn)
    assert queries is not None and queries.bodies == query


@pytest.mark.parametrize("text", ["refu", "order refu", "cafe", "zed"])
def test_the_writer_lists_the_same(admin: Client, inbox: dict[str, int], text: str) -> None:
    """A list read on the writer (no cached totals), spelt out in its own transaction."""
    desk = desk_of(admin)
    pages = []
    for transaction in (desk.db.read, desk.db.write):
        with transaction() as conn:
            filters = Filters(statuses=None, match=fts_query(text, conn))
            items, total, capped = inbox_store.list_conversations(conn, filters, limit=25, offset=0)
        pages.append(([c.id for c in items], total, capped))
    assert pages[0] == pages[1]
    assert pages[0][1] > 0


def test_the_scratch_index_tokenizes_as_the_search_index(admin: Client) -> None:
    with desk_of(admin).db.read() as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'search_index'"
        ).fetchone()
    assert f"tokenize = '{search_store.TOKENIZE}'" in sql
