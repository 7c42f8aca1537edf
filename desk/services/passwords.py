"""argon2id hashing, with a dummy hash so an unknown email costs as much as a wrong password."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from desk.config import PasswordCost


class Passwords:
    def __init__(self, cost: PasswordCost) -> None:
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_cost,
            parallelism=cost.parallelism,
            type=Type.ID,
        )
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when the password matches; with no hash, spend the same time and say no."""
        if self._dummy is None:  # made on first use, whichever branch, so both cost the same
            self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        if password_hash is None:
            password_hash = self._dummy
            password = password + "\0never"
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
