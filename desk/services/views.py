"""Saved views: a named set of the inbox list's filters. A private view is its owner's alone
(to anyone else it does not exist: 404); a shared one every agent sees, and only its owner or
an admin changes or deletes. Each agent orders the views they see for themselves.

Changes are told live as `views.changed` `{"ids": [...]}` (the client reloads the list): to the
owner alone for a private view, to everyone for a shared one (or one that just stopped being
shared).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import msgspec

from desk.errors import Conflict, Forbidden, Invalid, NotFound
from desk.models.agents import Agent
from desk.models.conversations import ListQuery
from desk.models.views import Owner, View, ViewChanges, ViewCreate, ViewRow
from desk.services.desk import Desk
from desk.store import views as store
from desk.store.paging import page_offset
from desk.validation import MAX_ID, clean_name, clean_tag

MAX_NAME = 80
MAX_SEARCH = 200
MAX_OWNED = 100  # views one agent may own
_AGENT_ID = re.compile(r"[0-9]{1,19}")
_FILTER_KEYS = tuple(ListQuery.__struct_fields__)


def view_exists(desk: Desk, view_id: int) -> bool:
    """Whether the id names a view at all (who may see it is checked by the service)."""
    if not 0 < view_id <= MAX_ID:
        return False
    with desk.db.read() as conn:
        return store.get_view(conn, view_id) is not None


def to_view(row: ViewRow) -> View:
    return View(
        id=row.id,
        name=row.name,
        filters=msgspec.json.decode(row.filters, type=ListQuery),
        shared=row.shared,
        owner=Owner(id=row.owner_id, name=row.owner_name),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def visible_view(
    conn: sqlite3.Connection, me: Agent, view_id: int, field: str | None = None
) -> ViewRow:
    """The view, if this agent may see it; else 404 (another's private view does not exist)."""
    row = store.get_view(conn, view_id) if 0 < view_id <= MAX_ID else None
    if row is None or not (row.shared or row.owner_id == me.id):
        raise NotFound(f"View {view_id} not found.", field)
    return row


def visible_views(conn: sqlite3.Connection, me: Agent) -> list[View]:
    return [to_view(row) for row in store.visible_views(conn, me.id)]


def check_filters(raw: dict[str, Any]) -> ListQuery:
    """A view's filters: the list's parameters by name, typed as JSON (`channel_id` a number,
    `failed` a boolean), each value one the list accepts. Stored cleaned (a tag lower-case,
    the search trimmed, an agent id as text like the list's `assignee`)."""
    unknown = sorted(set(raw) - set(_FILTER_KEYS))
    if unknown:
        raise Invalid(
            f"Unknown filter {unknown[0]!r}; a view filters by {', '.join(_FILTER_KEYS)}.",
            f"filters.{unknown[0]}",
            "unknown_filter",
        )
    values = dict(raw)
    if isinstance(values.get("assignee"), int) and not isinstance(values["assignee"], bool):
        values["assignee"] = str(values["assignee"])
    try:
        query = msgspec.convert(values, ListQuery)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = "filters"
        if "at `$." in message:
            field += "." + message.split("at `$.", 1)[1].split("`", 1)[0]
            message = message.split(" - at `$.", 1)[0]
        raise Invalid(f"{field}: {message}.", field, "invalid_filter") from None
    return _cleaned(query)


def _cleaned(query: ListQuery) -> ListQuery:
    tag = query.tag
    if tag is not None:
        try:
            tag = clean_tag(tag, "filters.tag")
        except Invalid as exc:
            raise Invalid(exc.message, "filters.tag", "invalid_filter") from None
    search = query.search.strip() if query.search is not None else None
    if search is not None and len(search) > MAX_SEARCH:
        raise Invalid(
            f"filters.search must be at most {MAX_SEARCH} characters.",
            "filters.search",
            "invalid_filter",
        )
    assignee = query.assignee
    if assignee is not None and assignee not in ("me", "unassigned"):
        if not _AGENT_ID.fullmatch(assignee) or not 0 < int(assignee) <= MAX_ID:
            raise Invalid(
                "filters.assignee must be me, unassigned or an agent id.",
                "filters.assignee",
                "invalid_filter",
            )
        assignee = str(int(assignee))
    return msgspec.structs.replace(
        query,
        tag=tag,
        search=search or None,
        assignee=assignee,
        sort=None if query.sort == "last_activity_desc" else query.sort,
    )


def _clean_name(name: str) -> str:
    try:
        return clean_name(name, "name", MAX_NAME)
    except Invalid as exc:
        raise Invalid(exc.message, "name", "invalid_view_name") from None


def _check_name_free(conn: sqlite3.Connection, me: Agent, name: str, except_id: int = 0) -> None:
    key = name.casefold()
    for view in store.visible_views(conn, me.id):
        if view.id != except_id and view.name.casefold() == key:
            raise Conflict(f"You already have a view named {view.name!r}.", "view_name_taken")


def _encode(query: ListQuery) -> str:
    return msgspec.json.encode(query).decode()


def list_views(desk: Desk, me: Agent, page: int, per_page: int) -> tuple[list[View], int]:
    offset = page_offset(page, per_page)
    with desk.db.read() as conn:
        rows = store.visible_views(conn, me.id, per_page, offset)
        return [to_view(row) for row in rows], store.count_visible(conn, me.id)


def get_view(desk: Desk, me: Agent, view_id: int) -> View:
    with desk.db.read() as conn:
        return to_view(visible_view(conn, me, view_id))


def create_view(desk: Desk, me: Agent, data: ViewCreate) -> View:
    name = _clean_name(data.name)
    filters = check_filters(data.filters)
    with desk.db.write() as conn:
        if store.count_owned(conn, me.id) >= MAX_OWNED:
            raise Conflict(f"An agent may keep at most {MAX_OWNED} views.", "too_many_views")
        _check_name_free(conn, me, name)
        view_id = store.insert_view(
            conn,
            name=name,
            filters=_encode(filters),
            shared=data.shared,
            owner_id=me.id,
            owner_name=me.name,
            now=desk.now_iso(),
        )
        view = to_view(_must_get(conn, view_id))
    _tell(desk, me, view.id, shared=view.shared)
    return view


def _editable(conn: sqlite3.Connection, me: Agent, view_id: int) -> ViewRow:
    row = visible_view(conn, me, view_id)
    if row.owner_id != me.id and me.role != "admin":
        raise Forbidden(
            "Only the view's owner or an admin can change a shared view.", "view_not_yours"
        )
    return row


def update_view(desk: Desk, me: Agent, view_id: int, changes: ViewChanges) -> View:
    name = None if changes.name is msgspec.UNSET else _clean_name(changes.name)
    filters = None if changes.filters is msgspec.UNSET else check_filters(changes.filters)
    with desk.db.write() as conn:
        row = _editable(conn, me, view_id)
        shared = row.shared if changes.shared is msgspec.UNSET else changes.shared
        if name is not None and name != row.name:
            _check_name_free(conn, me, name, except_id=view_id)
        store.update_view(
            conn,
            view_id,
            name if name is not None else row.name,
            _encode(filters) if filters is not None else row.filters,
            shared,
            desk.now_iso(),
        )
        if row.shared and not shared:
            store.forget_order_of_others(conn, view_id, row.owner_id)
        view = to_view(_must_get(conn, view_id))
    _tell(desk, me, view_id, shared=row.shared or shared, owner_id=row.owner_id)
    return view


def delete_view(desk: Desk, me: Agent, view_id: int) -> None:
    with desk.db.write() as conn:
        row = _editable(conn, me, view_id)
        store.delete_view(conn, view_id)
    _tell(desk, me, view_id, shared=row.shared, owner_id=row.owner_id)


def reorder(desk: Desk, me: Agent, ids: list[int]) -> list[View]:
    """This agent's order: `ids` first, in that order, then the views not named, as they
    were. Every id must be a view the agent sees; none twice."""
    if len(set(ids)) != len(ids):
        raise Invalid("ids must not name a view twice.", "ids", "duplicate_view")
    with desk.db.write() as conn:
        for view_id in ids:
            visible_view(conn, me, view_id, "ids")
        store.set_order(conn, me.id, ids)
        views = visible_views(conn, me)
    desk.events.publish("views.changed", {"ids": ids}, agent_id=me.id)
    return views


def _must_get(conn: sqlite3.Connection, view_id: int) -> ViewRow:
    row = store.get_view(conn, view_id)
    if row is None:
        raise NotFound(f"View {view_id} not found.")
    return row


def _tell(
    desk: Desk, me: Agent, view_id: int, *, shared: bool, owner_id: int | None = None
) -> None:
    """After the commit: the owner's streams for a private view, every agent's for a shared
    one."""
    audience = None if shared else (owner_id if owner_id is not None else me.id)
    desk.events.publish("views.changed", {"ids": [view_id]}, private=True, agent_id=audience)
