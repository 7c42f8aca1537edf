"""The UI's shared pieces, run in the page: the route table reads every hash the app builds
(and falls back to the inbox on any other); the store's state changes only through set(),
which tells its listeners."""

from __future__ import annotations

from typing import Any

import pytest

PARSE = "async (hash) => (await import('/js/routes.js')).parseRoute(hash)"


@pytest.mark.parametrize(
    ("hash", "route"),
    [
        ("", {"screen": "inbox", "view": "open", "conversation": None, "query": ""}),
        ("#/inbox/mine", {"screen": "inbox", "view": "mine", "conversation": None, "query": ""}),
        (
            "#/inbox/tag%3Abill/c/42",
            {"screen": "inbox", "view": "tag:bill", "conversation": 42, "query": ""},
        ),
        ("#/contacts", {"screen": "contacts", "contact": None}),
        ("#/contacts/7", {"screen": "contacts", "contact": 7}),
        ("#/contacts/new", {"screen": "contacts", "contact": "new"}),
        ("#/analytics/7", {"screen": "analytics", "days": 7}),
        ("#/analytics", {"screen": "analytics", "days": 30}),
        ("#/settings/agents", {"screen": "settings", "page": "agents"}),
        ("#/settings", {"screen": "settings", "page": "workspace"}),
        # Anything else is the open inbox, never an error.
        ("#/nowhere/5", {"screen": "inbox", "view": "open", "conversation": None, "query": ""}),
        ("#/constructor", {"screen": "inbox", "view": "open", "conversation": None, "query": ""}),
        (
            "#/inbox/100%/c/x",
            {"screen": "inbox", "view": "100%", "conversation": None, "query": ""},
        ),
        # The list's search and filters ride in the query (the inbox reads them).
        (
            "#/inbox/open/c/3?q=a%20b&priority=hi",
            {"screen": "inbox", "view": "open", "conversation": 3, "query": "q=a%20b&priority=hi"},
        ),
    ],
)
def test_parse_route(open_page: Any, hash: str, route: dict[str, Any]) -> None:
    page = open_page(who=None).page
    assert page.evaluate(PARSE, hash) == route


STORE = """async () => {
  'use strict'; // as every module is
  const { store } = await import('/js/lib/store.js');
  const heard = [];
  const off = store.on('counts', (counts) => heard.push(counts.open));
  store.set('counts', { open: 3 });
  off();
  store.set('counts', { open: 4 });
  const refused = [];
  try { store.counts = { open: 5 }; } catch (err) { refused.push(err.name); }
  try { store.set('nonsense', 1); } catch (err) { refused.push(err.message); }
  return { heard, now: store.counts.open, refused };
}"""


def test_store_set_tells_listeners_and_is_the_only_writer(open_page: Any) -> None:
    page = open_page(who=None).page
    assert page.evaluate(STORE) == {
        "heard": [3],
        "now": 4,
        "refused": ["TypeError", 'The store has no "nonsense".'],
    }
