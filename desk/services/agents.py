"""The team: who may sign in, and with which role. There is always at least one admin."""

from __future__ import annotations

from desk.errors import Conflict, NotFound
from desk.models.agents import Agent, Role
from desk.services import workspace
from desk.services.desk import Desk
from desk.store import agents as agents_store
from desk.store import sessions as sessions_store
from desk.store.paging import page_offset
from desk.validation import check_password, clean_email, clean_name


def agent_exists(desk: Desk, agent_id: int) -> bool:
    with desk.db.read() as conn:
        return agents_store.agent_exists(conn, agent_id)


def get_agent(desk: Desk, agent_id: int) -> Agent:
    with desk.db.read() as conn:
        agent = agents_store.get_agent(conn, agent_id)
    if agent is None:
        raise NotFound(f"Agent {agent_id} not found.", code="agent_not_found")
    return agent


def list_agents(desk: Desk, page: int, per_page: int) -> tuple[list[Agent], int]:
    with desk.db.read() as conn:
        total = agents_store.count_agents(conn)
        items = agents_store.list_agents(conn, per_page, page_offset(page, per_page))
    return items, total


def create_agent(desk: Desk, *, name: str, email: str, password: str, role: Role) -> Agent:
    name = clean_name(name)
    email = clean_email(email)
    check_password(password)
    password_hash = desk.passwords.hash(password)  # slow: outside the write lock
    with desk.db.write() as conn:
        if agents_store.email_taken(conn, email):
            raise Conflict("An agent with this email already exists.", "email_taken")
        agent_id = agents_store.insert_agent(
            conn,
            name=name,
            email=email,
            role=role,
            password_hash=password_hash,
            now=desk.now_iso(),
        )
        agent = agents_store.get_agent(conn, agent_id)
    assert agent is not None
    return agent


def set_password(desk: Desk, email: str, password: str) -> Agent | None:
    """Reset a password by email (the CLI's way back in); ends that agent's sessions."""
    check_password(password)
    password_hash = desk.passwords.hash(password)
    with desk.db.write() as conn:
        credentials = agents_store.find_credentials(conn, email)
        if credentials is None:
            return None
        agents_store.set_password_hash(conn, credentials.agent_id, password_hash)
        sessions_store.delete_sessions_of_agent(conn, credentials.agent_id)
        agent = agents_store.get_agent(conn, credentials.agent_id)
    desk.events.end_streams(agent_id=credentials.agent_id)
    return agent


def set_role(desk: Desk, agent_id: int, role: Role) -> Agent:
    with desk.db.write() as conn:
        agent = agents_store.get_agent(conn, agent_id)
        if agent is None:
            raise NotFound(f"Agent {agent_id} not found.", code="agent_not_found")
        if agent.role == "admin" and role != "admin" and agents_store.count_admins(conn) == 1:
            raise Conflict(
                "This is the last admin; make another agent an admin first.", "last_admin"
            )
        agents_store.set_role(conn, agent_id, role)
        updated = agents_store.get_agent(conn, agent_id)
    assert updated is not None
    return updated


def delete_agent(desk: Desk, actor: Agent, agent_id: int) -> None:
    """Delete an agent: their sessions end (cascade); their conversations become unassigned."""
    if agent_id == actor.id:
        raise Conflict("You cannot delete yourself.", "cannot_delete_self")
    with desk.db.write() as conn:
        agent = agents_store.get_agent(conn, agent_id)
        if agent is None:
            raise NotFound(f"Agent {agent_id} not found.", code="agent_not_found")
        if agent.role == "admin" and agents_store.count_admins(conn) == 1:
            raise Conflict("This is the last admin and cannot be deleted.", "last_admin")
        agents_store.delete_agent(conn, agent_id)
    desk.events.end_streams(agent_id=agent_id)  # their sessions ended with them


def ensure_admin(desk: Desk, *, email: str, name: str, password: str) -> tuple[Agent, bool]:
    """The way back in: make this email an admin with this password, creating it if needed.

    Returns the agent and whether it was created. Existing sessions of that agent end.
    """
    email = clean_email(email)
    name = clean_name(name)
    check_password(password)
    workspace.ensure_workspace(desk)
    existing = set_password(desk, email, password)
    if existing is not None:
        return set_role(desk, existing.id, "admin"), False
    return create_agent(desk, name=name, email=email, password=password, role="admin"), True
