"""docs/api.md against the server: the document and the served OpenAPI document cannot drift.

The conventions this relies on are stated at the top of docs/api.md:
1. every endpoint has a heading whose whole text is `` `METHOD /path` `` (path parameters in
   braces, names free);
2. an endpoint's section names, in backticks, every status code the server declares for it;
3. under "## Objects", each `### Name` heading is followed by a JSON example whose keys are
   exactly the fields of the OpenAPI schema `Name`;
4. a link within the document leads to one of its headings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_ENDPOINT = re.compile(rf"^`?({'|'.join(METHODS)}) (/\S*?)`?$")
_STATUS = re.compile(r"`(\d{3})(?!\d)")
_PARAM = re.compile(r"\{[^}]*\}")

Endpoint = tuple[str, str]  # (method, path with every parameter written `{}`)


@dataclass
class Section:
    level: int
    title: str
    text: str  # from the heading to the next heading of the same or a higher level


def normalise(path: str) -> str:
    """`/api/agents/{agent_id:int}` and `/api/agents/{id}` are the same endpoint."""
    return _PARAM.sub("{}", path)


def sections(markdown: str) -> list[Section]:
    """Every heading of a Markdown text (outside fenced code) with the text it heads."""
    lines = markdown.splitlines()
    found: list[tuple[int, int, str]] = []  # (line index, level, title)
    fenced = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append((index, len(match.group(1)), match.group(2)))
    result = []
    for position, (index, level, title) in enumerate(found):
        end = next((i for i, lv, _ in found[position + 1 :] if lv <= level), len(lines))
        result.append(Section(level, title, "\n".join(lines[index + 1 : end])))
    return result


def documented_endpoints(markdown: str) -> dict[Endpoint, Section]:
    documented: dict[Endpoint, Section] = {}
    duplicates = []
    for section in sections(markdown):
        match = _ENDPOINT.match(section.title)
        if match:
            key = (match.group(1), normalise(match.group(2)))
            if key in documented:
                duplicates.append(section.title)
            documented[key] = section
    assert not duplicates, f"docs/api.md documents these endpoints twice: {duplicates}"
    return documented


def openapi_endpoints(document: dict[str, Any]) -> dict[Endpoint, tuple[str, set[str]]]:
    """(method, path) -> (the path as OpenAPI writes it, the status codes it declares)."""
    endpoints = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method.upper() in METHODS:
                codes = set(operation.get("responses", {}))
                endpoints[(method.upper(), normalise(path))] = (path, codes)
    return endpoints


def served_endpoints(app: Litestar) -> set[Endpoint]:
    """What the app answers, in the schema or not (the OpenAPI document itself, say)."""
    return {
        (method, normalise(route.path))
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method in route.methods
        if method in METHODS
    }


def _openapi(client: TestClient[Litestar]) -> dict[str, Any]:
    response = client.get("/api/schema/openapi.json")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_every_endpoint_in_openapi_has_a_section_in_the_docs(
    client: TestClient[Litestar],
) -> None:
    documented = documented_endpoints(API_DOC.read_text())
    missing = [
        f"### `{method} {path}`"
        for (method, _), (path, _) in sorted(openapi_endpoints(_openapi(client)).items())
        if (method, normalise(path)) not in documented
    ]
    assert not missing, (
        "The server serves endpoints that docs/api.md does not document. Add a section for"
        " each, under its resource's `## ...` heading (what it takes, what it answers, each"
        " status code in backticks):\n" + "\n".join(missing)
    )


def test_every_endpoint_in_the_docs_is_served(app: Litestar) -> None:
    served = served_endpoints(app)
    stale = [
        section.title
        for key, section in documented_endpoints(API_DOC.read_text()).items()
        if key not in served
    ]
    assert not stale, (
        "docs/api.md documents endpoints the server does not serve (a typo in the path, a"
        " removed route, or a section written before its route): " + ", ".join(stale)
    )


def test_each_endpoint_section_names_every_status_it_can_answer(
    client: TestClient[Litestar],
) -> None:
    documented = documented_endpoints(API_DOC.read_text())
    gaps = []
    for key, (_, codes) in sorted(openapi_endpoints(_openapi(client)).items()):
        section = documented.get(key)
        if section is None:
            continue  # reported by the test above
        named = set(_STATUS.findall(section.text))
        unnamed = sorted(codes - named)
        if unnamed:
            gaps.append(f"{section.title}: " + ", ".join(f"`{code}`" for code in unnamed))
    assert not gaps, (
        "These docs/api.md sections do not mention status codes the server declares for them"
        " (write each code in backticks, with when it happens):\n" + "\n".join(gaps)
    )


def _json_example(section: Section) -> dict[str, Any]:
    block = re.search(r"```json\n(.*?)\n```", section.text, re.DOTALL)
    assert block, f"docs/api.md: the object {section.title} needs a ```json example"
    example = json.loads(block.group(1))
    assert isinstance(example, dict), f"docs/api.md: {section.title}'s example is not an object"
    return example


def test_each_object_example_has_exactly_the_fields_the_server_returns(
    client: TestClient[Litestar],
) -> None:
    schemas = _openapi(client)["components"]["schemas"]
    all_sections = sections(API_DOC.read_text())
    start = next(i for i, s in enumerate(all_sections) if s.level == 2 and s.title == "Objects")
    objects = []
    for section in all_sections[start + 1 :]:
        if section.level <= 2:
            break
        if section.level == 3:
            objects.append(section)
    assert objects, "docs/api.md: no `### Name` object under `## Objects`"
    problems = []
    for section in objects:
        schema = schemas.get(section.title)
        if schema is None:
            problems.append(f"{section.title}: no schema of that name in the OpenAPI document")
            continue
        fields, shown = set(schema.get("properties", {})), set(_json_example(section))
        if fields != shown:
            problems.append(
                f"{section.title}: add {sorted(fields - shown)}, remove {sorted(shown - fields)}"
            )
    assert not problems, (
        "The object examples in docs/api.md differ from what the server returns:\n"
        + "\n".join(problems)
    )


def anchor(title: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def test_every_link_within_the_docs_leads_to_a_heading() -> None:
    text = API_DOC.read_text()
    anchors = {anchor(section.title) for section in sections(text)}
    prose = re.sub(r"``.*?``|`[^`\n]*`", "", text)  # a link shown as code is no link
    broken = sorted(set(re.findall(r"\]\(#([^)]+)\)", prose)) - anchors)
    assert not broken, f"docs/api.md links to headings it does not have: {broken}"


def test_the_docs_parser_reads_the_conventions() -> None:
    """The helpers above find what they should, so the checks above can fail."""
    text = (
        "# API\n## Things\n### `GET /api/things/{id}`\nAnswers `200`; `404` if unknown.\n"
        "```\n### `POST /api/fenced`\n```\n#### Note\nOr `409`.\n"
        "### `DELETE /api/things/{thing_id}`\n`200`\n## Other\n"
    )
    documented = documented_endpoints(text)
    assert set(documented) == {("GET", "/api/things/{}"), ("DELETE", "/api/things/{}")}
    assert set(_STATUS.findall(documented[("GET", "/api/things/{}")].text)) == {
        "200",
        "404",
        "409",
    }
    assert normalise("/api/agents/{agent_id:int}/role") == "/api/agents/{}/role"
    assert anchor("`POST /api/messages/{id}/retry`") == "post-apimessagesidretry"
    assert anchor("Choices made where the contract was silent") == (
        "choices-made-where-the-contract-was-silent"
    )
