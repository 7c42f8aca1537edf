"""Channels most inbox tests start from (registered in conftest.py as a plugin)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.inbox_helpers import Client, make_channel


@pytest.fixture
def phone(admin: Client) -> dict[str, Any]:
    return make_channel(admin, "phone", "Front desk")


@pytest.fixture
def api(admin: Client) -> dict[str, Any]:
    return make_channel(admin, "api", "Shop backend")
