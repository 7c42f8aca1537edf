"""The login throttle holds under concurrency (API.md): of any number of simultaneous wrong
passwords for one email, at most 5 are checked; the rest get 429."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from desk.app import create_app
from desk.config import Settings
from desk.errors import TooManyAttempts, Unauthorized
from desk.services import auth
from tests.conftest import ADMIN, new_client, run_setup

ATTEMPTS = 12


class GatedVerify:
    """Wraps `passwords.verify`: each call waits until every attempt is either inside verify
    or finished, so all attempts that pass the throttle are checking at the same moment (the
    widest race window, without timing)."""

    def __init__(self, verify: Any, total: int) -> None:
        self._verify = verify
        self._total = total
        self._inside = 0
        self._finished = 0
        self._ready = threading.Condition()
        self.checked = 0

    def __call__(self, password_hash: str | None, password: str) -> bool:
        with self._ready:
            self._inside += 1
            self.checked += 1
            self._ready.notify_all()
            if not self._ready.wait_for(lambda: self._inside + self._finished >= self._total, 30):
                raise AssertionError("the attempts never all arrived")
        return bool(self._verify(password_hash, password))

    def finished(self) -> None:
        with self._ready:
            self._finished += 1
            self._ready.notify_all()


def test_simultaneous_wrong_passwords_check_at_most_five(
    app: Litestar, admin: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = app.state.desk
    gate = GatedVerify(desk.passwords.verify, ATTEMPTS)
    monkeypatch.setattr(desk.passwords, "verify", gate)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        try:
            auth.login(desk, ADMIN["email"], f"wrong guess {n}", f"10.0.0.{n}")
            outcome = "signed in"
        except Unauthorized:
            outcome = "401"
        except TooManyAttempts:
            outcome = "429"
        with lock:
            outcomes.append(outcome)
        gate.finished()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["401"] * 5 + ["429"] * 7
    assert gate.checked == 5
    # The right password is refused too while the window lasts (nothing was checked for it).
    with pytest.raises(TooManyAttempts):
        auth.login(desk, ADMIN["email"], ADMIN["password"], "10.0.1.1")


def test_a_right_password_takes_its_attempt_back(
    app: Litestar, admin: TestClient[Litestar]
) -> None:
    desk = app.state.desk
    for _ in range(4):
        with pytest.raises(Unauthorized):
            auth.login(desk, ADMIN["email"], "wrong", "10.0.0.1")
    for _ in range(3):  # each success clears the email's count, its own reservation included
        auth.login(desk, ADMIN["email"], ADMIN["password"], "10.0.0.1")
    for _ in range(5):
        with pytest.raises(Unauthorized):
            auth.login(desk, ADMIN["email"], "wrong", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        auth.login(desk, ADMIN["email"], "wrong", "10.0.0.1")


def test_simultaneous_wrong_passwords_over_http_get_429_beyond_the_limit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same through the API; a limit of 2 keeps the attempts within the threads the
    server runs at once (the event loop's default pool: at least 5)."""
    app = create_app(dataclasses.replace(settings, login_max_per_email=2))
    total = 4
    with new_client(app) as client:
        run_setup(client)
        desk = app.state.desk
        gate = GatedVerify(desk.passwords.verify, total)
        monkeypatch.setattr(desk.passwords, "verify", gate)
        codes: list[int] = []

        def attempt() -> None:
            response = client.post(
                "/api/auth/login", json={"email": ADMIN["email"], "password": "wrong"}
            )
            codes.append(response.status_code)
            gate.finished()

        threads = [threading.Thread(target=attempt) for _ in range(total)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(codes) == [401, 401, 429, 429]
