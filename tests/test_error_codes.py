"""Every error the server can answer carries a stable `code`, and every code has a message in
each of the agent UI's catalogues (`error.code.<code>`), which the UI shows in the agent's
language instead of the API's English `error`."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from desk import errors
from desk.api import errors as api_errors

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "desk" / "ui" / "i18n"
LANGUAGES = ("en", "de", "fr", "es")
# The error classes and where each takes `code` positionally (after message, field, ...).
CODE_AT = {
    "DeskError": 1,
    "Unauthorized": 1,
    "Forbidden": 1,
    "Conflict": 1,
    "TooLarge": 1,
    "Invalid": 2,
    "NotFound": 2,
    "TooManyAttempts": 2,
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def codes_in(tree: ast.AST, where: str) -> set[str]:
    """The codes a module names: `code=` or the code argument of an error's constructor, a
    class's `code = "..."`, and a literal `{"code": "..."}` (a body written by hand)."""
    found: set[str] = set()

    def constant(node: ast.expr | None, what: str) -> None:
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return
        assert isinstance(node, ast.Constant) and isinstance(node.value, str), (
            f"{where}:{getattr(node, 'lineno', '?')}: {what} is not a literal string"
        )
        found.add(node.value)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in CODE_AT:
            index = CODE_AT[_name(node.func)]
            if len(node.args) > index:
                constant(node.args[index], "the code")
            for keyword in node.keywords:
                if keyword.arg == "code":
                    constant(keyword.value, "the code")
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                targets = item.targets if isinstance(item, ast.Assign) else []
                if isinstance(item, ast.AnnAssign):
                    targets = [item.target]
                if any(_name(t) == "code" for t in targets):
                    constant(item.value, f"{node.name}.code")  # type: ignore[union-attr]
        elif isinstance(node, ast.Dict):
            keys = {
                k.value: v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant)
            }
            if "error" in keys and "code" in keys:  # an error body written out
                constant(keys["code"], '"code"')
    return found


def server_codes() -> set[str]:
    codes: set[str] = set()
    for path in sorted((ROOT / "desk").rglob("*.py")):
        codes |= codes_in(ast.parse(path.read_text(), str(path)), str(path))
    codes |= set(api_errors.HTTP_CODES.values())
    codes |= {api_errors.HTTP_OTHER, api_errors.INVALID_JSON, api_errors.INTERNAL}
    return codes


def test_the_walk_finds_codes_in_each_form() -> None:
    source = """
class Boom(DeskError):
    code = "boom"
raise Invalid("x", "f", "one")
raise NotFound(f"y {z}", code="two")
raise Conflict("z", "three")
raise Invalid("no code", "field")
body = {"error": "w", "code": "four"}
"""
    assert codes_in(ast.parse(source), "test") == {"boom", "one", "two", "three", "four"}
    with pytest.raises(AssertionError, match="not a literal"):
        codes_in(ast.parse('raise Conflict("x", name)'), "test")
    found = server_codes()
    assert {"disk_full", "wrong_login", "conversation_not_found", "invalid_json"} <= found
    assert len(found) >= 40


def test_every_error_class_has_a_code() -> None:
    classes = [errors.DeskError, api_errors.TooLarge]
    classes += [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, Exception)
    ]
    for cls in classes:
        assert isinstance(cls.code, str) and cls.code, cls


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_the_server_can_answer_has_a_message(language: str) -> None:
    messages = json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))
    missing = sorted(code for code in server_codes() if f"error.code.{code}" not in messages)
    assert missing == [], f"{language}.json has no error.code.<code> for these"


def test_no_catalogue_keeps_a_code_the_server_no_longer_answers() -> None:
    messages = json.loads((CATALOGUES / "en.json").read_text(encoding="utf-8"))
    listed = {key.removeprefix("error.code.") for key in messages if key.startswith("error.code.")}
    assert sorted(listed - server_codes()) == []
