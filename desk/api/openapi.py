"""The OpenAPI document as served: Litestar's, with unions that overlap made valid.

Litestar renders `int | float` (a contact's custom attribute: `str | int | float | bool`) as
`oneOf: [integer, number]`, but every integer is also a number, so under `oneOf` no integer
is valid at all. Such unions are served as `anyOf`, which means what the types say.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin


def _any_of_where_overlapping(node: Any) -> Any:
    if isinstance(node, list):
        return [_any_of_where_overlapping(item) for item in node]
    if not isinstance(node, dict):
        return node
    fixed = {key: _any_of_where_overlapping(value) for key, value in node.items()}
    branches = fixed.get("oneOf")
    if isinstance(branches, list):
        types = {b.get("type") for b in branches if isinstance(b, dict)}
        if {"integer", "number"} <= types:
            fixed["anyOf"] = fixed.pop("oneOf")
    return fixed


class DeskJsonRenderPlugin(JsonRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, _any_of_where_overlapping(openapi_schema))
