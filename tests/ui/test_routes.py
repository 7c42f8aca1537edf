"""The route table reads every hash the app builds, and falls back to the inbox on any other."""

from __future__ import annotations

from typing import Any

import pytest

PARSE = "async (hash) => (await import('/js/routes.js')).parseRoute(hash)"


@pytest.mark.parametrize(
    ("hash", "route"),
    [
        ("", {"screen": "inbox", "view": "open", "conversation": None}),
        ("#/inbox/mine", {"screen": "inbox", "view": "mine", "conversation": None}),
        ("#/inbox/tag%3Abilling/c/42", {"screen": "inbox", "view": "tag:billing", "conversation": 42}),
        ("#/contacts", {"screen": "contacts", "contact": None}),
        ("#/contacts/7", {"screen": "contacts", "contact": 7}),
        ("#/contacts/new", {"screen": "contacts", "contact": "new"}),
        ("#/analytics/7", {"screen": "analytics", "days": 7}),
        ("#/analytics", {"screen": "analytics", "days": 30}),
        ("#/settings/agents", {"screen": "settings", "page": "agents"}),
        ("#/settings", {"screen": "settings", "page": "workspace"}),
        # Anything else is the open inbox, never an error.
        ("#/nowhere/5", {"screen": "inbox", "view": "open", "conversation": None}),
        ("#/constructor", {"screen": "inbox", "view": "open", "conversation": None}),
        ("#/inbox/100%/c/x", {"screen": "inbox", "view": "100%", "conversation": None}),
    ],
)
def test_parse_route(open_page: Any, hash: str, route: dict[str, Any]) -> None:
    page = open_page(who=None).page
    assert page.evaluate(PARSE, hash) == route
