"""Shapes shared by every resource: the list envelope, its query parameters, deletions."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

T = TypeVar("T")

PageNumber = Annotated[int, QueryParameter(ge=1, description="1-based page number")]
PerPage = Annotated[int, QueryParameter(ge=1, le=100, description="Items per page (1..100)")]


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int


class Deleted(msgspec.Struct):
    deleted: bool
    id: int


class Ok(msgspec.Struct):
    ok: bool
