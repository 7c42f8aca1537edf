"""The ceiling for bench/overhead.py: a bare Litestar app doing the same work as Desk's two
cheapest routes, served the way `desk serve` serves (uvicorn, same options), on the same file.

- `GET /api/health`: the same small msgspec struct, no middleware, no guard, no session.
- `GET /api/conversations`: the default inbox page read from the same `desk.db` (one query:
  the 25 unresolved conversations with their channel, contact and assignee, newest activity
  first; the page of ids in a sub-select so SQLite stops after 25), in a worker thread
  (`sync_to_thread=True`, as Desk's list), encoded by msgspec. No tags, no total.

Run: `python bench/bare_app.py DATA_DIR`; prints `Open http://127.0.0.1:PORT/` and serves until
SIGTERM. Whatever Desk spends beyond these figures is Desk's own overhead.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
import threading
from pathlib import Path

import msgspec
import uvicorn
from litestar import Litestar, get

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk.config import HEADER_TIMEOUT_SECONDS, MAX_CONNECTIONS
from desk.connections import bounded_protocol

_PAGE = """
SELECT c.id, c.subject, c.status, c.snoozed_until, c.priority, c.channel_id, ch.type, ch.name,
       c.contact_id, p.name, p.email, c.assignee_id, a.name, c.unread_count,
       c.last_message_id, c.last_message_type, c.last_message_preview, c.last_message_at,
       c.created_at, c.updated_at, c.last_activity_at
FROM (
  SELECT c.id FROM conversations c INDEXED BY conversations_status_activity
  WHERE c.status IN ('open', 'pending', 'snoozed')
  ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 25
) page CROSS JOIN conversations c ON c.id = page.id
JOIN channels ch ON ch.id = c.channel_id
JOIN contacts p ON p.id = c.contact_id
LEFT JOIN agents a ON a.id = c.assignee_id
ORDER BY c.last_activity_at DESC, c.id DESC
"""


class Health(msgspec.Struct):
    status: str
    version: str


class Row(msgspec.Struct):
    id: int
    subject: str
    status: str
    snoozed_until: str | None
    priority: str
    channel_id: int
    channel_type: str
    channel_name: str
    contact: dict[str, object]
    assignee: dict[str, object] | None
    unread_count: int
    last_message: dict[str, object] | None
    created_at: str
    updated_at: str
    last_activity_at: str


class Page(msgspec.Struct):
    items: list[Row]
    page: int
    per_page: int
    total: int


def read_page(conn: sqlite3.Connection) -> Page:
    items = []
    for r in conn.execute(_PAGE):
        items.append(
            Row(
                id=r[0], subject=r[1], status=r[2], snoozed_until=r[3], priority=r[4],
                channel_id=r[5], channel_type=r[6], channel_name=r[7],
                contact={"id": r[8], "name": r[9], "email": r[10]},
                assignee=None if r[11] is None else {"id": r[11], "name": r[12]},
                unread_count=r[13],
                last_message=None if r[14] is None else
                {"id": r[14], "type": r[15], "preview": r[16], "created_at": r[17]},
                created_at=r[18], updated_at=r[19], last_activity_at=r[20],
            )
        )  # fmt: skip
    return Page(items=items, page=1, per_page=25, total=len(items))


def make_app(db_path: Path) -> Litestar:
    local = threading.local()

    def connection() -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA query_only = ON")
            local.conn = conn
        return conn

    @get("/api/health", sync_to_thread=False)
    def health() -> Health:
        return Health(status="ok", version="bare")

    @get("/api/conversations", sync_to_thread=True)
    def conversations() -> Page:
        return read_page(connection())

    return Litestar(route_handlers=[health, conversations], logging_config=None)


def main() -> None:
    db_path = Path(sys.argv[1]) / "desk.db"
    # As desk.server._listening_socket: IPPROTO_TCP, so asyncio sets TCP_NODELAY.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    # The same options as desk.server.bind (the same loop, h11 with the header deadline).
    config = uvicorn.Config(
        make_app(db_path),
        log_level="warning",
        access_log=False,
        http=bounded_protocol(HEADER_TIMEOUT_SECONDS, MAX_CONNECTIONS),
    )
    print(f"Open http://127.0.0.1:{sock.getsockname()[1]}/", flush=True)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
