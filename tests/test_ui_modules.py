"""The UI's ES modules: index.html preloads exactly the modules that exist, and every import
names a module that exists (no build step catches a stale path, so these tests do)."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "desk" / "ui"
PRELOAD = re.compile(r'<link rel="modulepreload" href="/([^"]+)">')
IMPORT = re.compile(r'^\s*(?:import|export)\b[^"\']*?from\s+"([^"]+)"', re.MULTILINE)


def modules() -> set[str]:
    return {path.relative_to(UI).as_posix() for path in (UI / "js").rglob("*.js")}


def test_index_preloads_every_module_and_nothing_else() -> None:
    preloaded = PRELOAD.findall((UI / "index.html").read_text())
    assert len(preloaded) == len(set(preloaded)), "a module is preloaded twice"
    assert set(preloaded) - modules() == set(), "preloads of modules that do not exist"
    # The entry point is loaded by its <script type="module">; every other module is preloaded.
    assert modules() - set(preloaded) - {"js/app.js"} == set(), "modules index.html misses"


def test_every_import_names_an_existing_module() -> None:
    missing = []
    for name in sorted(modules()):
        source = (UI / name).read_text()
        for target in IMPORT.findall(source):
            resolved = ((UI / name).parent / target).resolve()
            if not target.startswith(".") or not resolved.is_file():
                missing.append(f"{name}: {target}")
    assert missing == []


def test_the_checks_see_the_modules() -> None:
    # Guards the two tests above against a pattern that silently matches nothing.
    assert {"js/app.js", "js/lib/api.js", "js/screens/inbox/inbox.js"} <= modules()
    assert len(PRELOAD.findall((UI / "index.html").read_text())) >= 20
    assert IMPORT.findall('import { api } from "../lib/api.js";') == ["../lib/api.js"]


IMPORTED = re.compile(r"^\s*import\s*\{([^}]*)\}\s*from", re.MULTILINE)


def test_no_module_imports_a_name_twice() -> None:
    # Two merged branches each adding `import { t } …` is a SyntaxError only the browser sees.
    twice = []
    for name in sorted(modules()):
        names = [
            part.split(" as ")[-1].strip()
            for group in IMPORTED.findall((UI / name).read_text())
            for part in group.split(",")
            if part.strip()
        ]
        twice += [f"{name}: {n}" for n in sorted({n for n in names if names.count(n) > 1})]
    assert twice == []
