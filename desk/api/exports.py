"""/api/export/*: contacts and conversations as CSV, the whole workspace as JSON: downloads
(admin), streamed a page at a time."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Stream

from desk.api.access import access
from desk.api.errors import error_responses
from desk.services import exports
from desk.services.desk import Desk

CSV = "text/csv; charset=utf-8"
JSON = "application/json"


def _download(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


class ExportController(Controller):
    path = "/api/export"
    tags = ["export"]
    opt = access(admin=True)

    @get("/contacts.csv", media_type=CSV, responses=error_responses(401, 403))
    async def export_contacts(self, desk: NamedDependency[Desk]) -> Stream:
        """Every contact, a line each, in id order."""
        return Stream(exports.contacts_csv(desk), media_type=CSV, headers=_download("contacts.csv"))

    @get("/conversations.csv", media_type=CSV, responses=error_responses(400, 401, 403))
    async def export_conversations(
        self,
        desk: NamedDependency[Desk],
        start: Annotated[str | None, QueryParameter(name="from")] = None,
        end: Annotated[str | None, QueryParameter(name="to")] = None,
    ) -> Stream:
        """Conversations created from `from` to `to` (inclusive days, workspace timezone)."""
        first, last = exports.date_range(desk, start, end)
        # Valid dates by now (digits, "-", "W"): safe in the header.
        name = f"conversations{f'-{start}' if start else ''}{f'-to-{end}' if end else ''}.csv"
        return Stream(
            exports.conversations_csv(desk, first, last),
            media_type=CSV,
            headers=_download(name),
        )

    @get("/workspace.json", media_type=JSON, responses=error_responses(401, 403))
    async def export_workspace(self, desk: NamedDependency[Desk]) -> Stream:
        """Everything but secrets (password hashes, sessions, tokens, channel secrets, the AI
        key): `workspace` settings, then agents, channels, contacts, conversations, messages,
        attachments (their details, not the files), automations, canned replies, web-chat
        visitors and merged conversations, each an array in id order."""
        return Stream(
            exports.workspace_json(desk), media_type=JSON, headers=_download("workspace.json")
        )
