"""/api/contacts: the contact directory (everyone reads and edits; admins delete)."""

from __future__ import annotations

import tempfile
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from desk.api.access import access
from desk.api.common import Deleted, Page, PageNumber, PerPage
from desk.api.errors import TooLarge, error_responses
from desk.models.agents import Agent
from desk.models.contacts import Contact, ContactChanges, ContactCreate, ContactSort
from desk.services import contact_import, contacts, merges
from desk.services.desk import Desk
from desk.validation import MAX_ID

Search = Annotated[
    str | None,
    QueryParameter(
        description="Finds contacts with a word of name, email, phone or company"
        " starting with each word given"
    ),
]


IMPORT_LIMIT = 50 * 1024 * 1024


class MergeInto(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    into: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]  # the surviving contact


class ContactController(Controller):
    path = "/api/contacts"
    tags = ["contacts"]
    opt = access(exists={"contact_id": contacts.contact_exists})

    @get(sync_to_thread=True, responses=error_responses(400, 401))
    def list_contacts(
        self,
        desk: NamedDependency[Desk],
        search: FromQuery[Search] = None,
        sort: FromQuery[ContactSort] = "name",
        page: FromQuery[PageNumber] = 1,
        per_page: FromQuery[PerPage] = 25,
    ) -> Page[Contact]:
        items, total = contacts.list_contacts(
            desk, search=search, sort=sort, page=page, per_page=per_page
        )
        return Page(items=items, page=page, per_page=per_page, total=total)

    @get("/{contact_id:int}", sync_to_thread=True, responses=error_responses(401, 404))
    def get_contact(self, desk: NamedDependency[Desk], contact_id: FromPath[int]) -> Contact:
        return contacts.get_contact(desk, contact_id)

    @post(sync_to_thread=True, responses=error_responses(400, 401, 403, 409, 413))
    def create_contact(self, desk: NamedDependency[Desk], data: JSONBody[ContactCreate]) -> Contact:
        return contacts.create_contact(desk, data)

    @patch(
        "/{contact_id:int}",
        sync_to_thread=True,
        responses=error_responses(400, 401, 403, 404, 409, 413),
    )
    def update_contact(
        self,
        desk: NamedDependency[Desk],
        contact_id: FromPath[int],
        data: JSONBody[ContactChanges],
    ) -> Contact:
        return contacts.update_contact(desk, contact_id, data)

    @delete(
        "/{contact_id:int}",
        opt=access(admin=True),
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(401, 403, 404),
    )
    def delete_contact(self, desk: NamedDependency[Desk], contact_id: FromPath[int]) -> Deleted:
        contacts.delete_contact(desk, contact_id)
        return Deleted(deleted=True, id=contact_id)

    @post(
        "/import",
        status_code=200,
        request_max_body_size=IMPORT_LIMIT,
        opt=access(admin=True, csv_limit=IMPORT_LIMIT),
        responses=error_responses(400, 401, 403, 413),
    )
    async def import_contacts(
        self,
        request: Request[Any, Any, Any],
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        dry_run: FromQuery[bool] = True,
    ) -> contact_import.ImportReport:
        """A `text/csv` body (at most 50 MiB): name,email,phone,company and any other column as
        a custom attribute. `dry_run` (the default) reports without writing. The body goes to
        a temporary file as it arrives (never whole in memory); the agent's event stream gets
        `import.progress` as the rows are read."""
        with tempfile.TemporaryFile(dir=desk.settings.data_dir) as spool:
            too_large = TooLarge(f"The file is too large (limit {IMPORT_LIMIT >> 20} MiB).")
            size = 0
            try:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > IMPORT_LIMIT:  # a body without a Content-Length
                        raise too_large
                    await anyio.to_thread.run_sync(spool.write, chunk)
            except HTTPException as exc:  # Litestar's own count of a chunked body
                if exc.status_code == 413:
                    raise too_large from None
                raise
            progress = contact_import.progress_events(desk, me.id, dry_run)
            return await anyio.to_thread.run_sync(
                contact_import.import_contacts, desk, spool, dry_run, progress
            )

    @post(
        "/{contact_id:int}/merge",
        opt=access(admin=True),
        sync_to_thread=True,
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 413),
    )
    def merge_contact(
        self, desk: NamedDependency[Desk], contact_id: FromPath[int], data: JSONBody[MergeInto]
    ) -> Contact:
        """Merge this contact into `into`; answers the survivor."""
        return merges.merge_contact(desk, contact_id, data.into)
