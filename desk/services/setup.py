"""First-run setup: while no agent exists, create the workspace and its first admin, once."""

from __future__ import annotations

import secrets

from desk.errors import Conflict, Forbidden
from desk.models.agents import NewSession
from desk.services import auth
from desk.services.desk import Desk
from desk.services.workspace import new_workspace
from desk.store import agents as agents_store
from desk.store import workspace as workspace_store
from desk.validation import check_password, clean_email, clean_name


def needs_setup(desk: Desk) -> bool:
    with desk.db.read() as conn:
        return agents_store.count_agents(conn) == 0


def prepare_setup_token(desk: Desk) -> str | None:
    """While no agent exists, a one-time token lets a non-loopback client run setup."""
    if needs_setup(desk):
        desk.setup_token = desk.settings.setup_token or secrets.token_urlsafe(16)
    else:
        desk.setup_token = None
    return desk.setup_token


def run_setup(
    desk: Desk,
    *,
    workspace_name: str,
    name: str,
    email: str,
    password: str,
    trusted: bool,
    setup_token: str | None,
) -> NewSession:
    """Create the workspace and its first admin, and sign them in. Once only."""
    if not needs_setup(desk):
        raise Conflict("Setup is already done; sign in instead.", "setup_done")
    token_ok = bool(
        setup_token and desk.setup_token and secrets.compare_digest(setup_token, desk.setup_token)
    )
    if not trusted and not token_ok:
        raise Forbidden(
            "Setup from another machine needs the setup token the server printed.",
            "setup_token_needed",
        )
    workspace_name = clean_name(workspace_name, "workspace_name")
    name = clean_name(name)
    email = clean_email(email)
    check_password(password)
    password_hash = desk.passwords.hash(password)
    now = desk.now_iso()
    with desk.db.write() as conn:
        if agents_store.count_agents(conn):
            raise Conflict("Setup is already done; sign in instead.", "setup_done")
        workspace_store.save_workspace(conn, new_workspace(workspace_name, now))
        agent_id = agents_store.insert_agent(
            conn, name=name, email=email, role="admin", password_hash=password_hash, now=now
        )
    desk.setup_token = None
    return auth.start_session(desk, agent_id)
