"""README.md's command table (section "Command line") against the CLI's own `--help`.

Each row's first cell is the command as a user types it, in backticks: `desk SUBCOMMAND
[--flag VALUE] ...` (or `desk [--flag]` for the command without a subcommand). The table lists
every subcommand the CLI offers and no other; each row shows every option of its command
(`--data-dir`, which the README says every command takes, excepted) and no option the command
lacks. The CLI is run as a user runs it, so this holds wherever the parser code lives.
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## Command line"
EVERY_COMMAND_TAKES = ("--data-dir",)  # "Every command takes `--data-dir DIR`." below the table
TOP = ""  # the command without a subcommand: `desk`
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
_USAGE_OPTION = re.compile(r"(--[a-z][a-z0-9-]*)(?: ([A-Z][A-Z0-9_]*))?")
_SUBCOMMAND = re.compile(r"^ {4}([a-z][a-z0-9-]*)(?:\s|$)")


@dataclass
class Row:
    command: str  # the subcommand, or TOP
    text: str  # the first cell, without backticks
    options: set[str] = field(default_factory=set)


@dataclass
class Help:
    text: str
    options: dict[str, str]  # option -> how usage writes it (`--port PORT`)


def readme_rows(readme: str) -> list[Row]:
    """The rows of the first table after the "Command line" heading."""
    assert SECTION in readme, f"README.md has no section {SECTION!r}"
    lines = readme.split(SECTION, 1)[1].splitlines()
    table = []
    for line in lines[1:]:
        if line.startswith("|"):
            table.append(line)
        elif table or line.startswith("#"):
            break
    rows = []
    for line in table[2:]:  # past the header and the |---| line
        first_cell = line.strip("|").split("|")[0]
        text = " ".join(re.findall(r"`([^`]*)`", first_cell))
        words = text.split()
        assert words and words[0] == "desk", f"README command table: a row not `desk ...`: {line}"
        command = words[1] if len(words) > 1 and re.fullmatch(r"[a-z][a-z0-9-]*", words[1]) else TOP
        rows.append(Row(command, text, set(_OPTION.findall(text))))
    return rows


def run_help(*command: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "desk", *command, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def parse_help(text: str) -> Help:
    usage = text.split("\n\n", 1)[0]
    options = {m.group(1): m.group(0) for m in _USAGE_OPTION.finditer(usage)}
    for option in _OPTION.findall(text):  # options usage leaves out still show below it
        options.setdefault(option, option)
    options.pop("--help", None)
    return Help(text, options)


def subcommands(top_help: str) -> dict[str, str]:
    """Subcommand -> its one-line help, from `desk --help`'s commands list."""
    choices = re.search(r"\{([a-z0-9,-]+)\}", top_help.split("\n\n", 1)[0])
    if choices:  # no metavar: usage shows {serve,demo,...}
        return {name: "" for name in choices.group(1).split(",")}
    found: dict[str, str] = {}
    listing, last = False, ""
    for line in top_help.splitlines():
        if re.match(r"^\S.*:$", line):  # a section title: `commands:`, `options:`
            listing, last = line.strip().rstrip(":") in ("commands", "positional arguments"), ""
            continue
        match = _SUBCOMMAND.match(line) if listing else None
        if match:
            last = match.group(1)
            found[last] = line[match.end() :].strip()
        elif last and line.startswith(" " * 8):  # the help wrapped, or a long name pushed it
            found[last] = f"{found[last]} {line.strip()}".strip()
    return found


@cache  # one run of every --help per test session
def cli_help() -> tuple[Help, dict[str, str], dict[str, Help]]:
    top_text = run_help()
    commands = subcommands(top_text)
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(run_help, commands))
    return (
        parse_help(top_text),
        commands,
        {name: parse_help(text) for name, text in zip(commands, texts, strict=True)},
    )


def _suggested_row(command: str, helped: Help, one_line: str) -> str:
    options = " ".join(
        f"[{usage}]"
        for option, usage in helped.options.items()
        if option not in EVERY_COMMAND_TAKES
    )
    return f"| `desk {command}{' ' + options if options else ''}` | {one_line or '...'} |"


def test_the_command_table_lists_exactly_the_cli_commands() -> None:
    rows = readme_rows(README.read_text())
    _, commands, helps = cli_help()
    in_table = {row.command for row in rows} - {TOP}
    missing = [_suggested_row(c, helps[c], commands[c]) for c in commands if c not in in_table]
    extra = sorted(in_table - set(commands))
    problems = []
    if missing:
        problems.append(
            "the CLI has commands the table lacks. Add a row for each (options with readable"
            " values, and what the command does), e.g.:\n" + "\n".join(missing)
        )
    if extra:
        problems.append(
            f"the table lists {extra}, which `desk --help` does not offer. Remove those rows,"
            " or fix the command's name."
        )
    assert not problems, "README.md, section 'Command line': " + "\n".join(problems)


def test_each_row_shows_every_option_of_its_command_and_no_other() -> None:
    readme = README.read_text()
    rows = readme_rows(readme)
    top, _, helps = cli_help()
    problems = []
    for command in sorted({row.command for row in rows}):
        helped = top if command == TOP else helps.get(command)
        if helped is None:
            continue  # a command the CLI lacks: the test above says so
        shown = set().union(*(row.options for row in rows if row.command == command))
        name = f"desk {command}".strip()
        for option in sorted(shown - set(helped.options)):
            problems.append(f"`{name}` row: remove {option}; `{name} --help` has no such option")
        for option, usage in helped.options.items():
            if option not in shown and option not in EVERY_COMMAND_TAKES:
                problems.append(f"`{name}` row: add [{usage}] (from `{name} --help`)")
    assert not problems, (
        "README.md, section 'Command line', differs from the CLI's --help:\n" + "\n".join(problems)
    )


def test_every_command_takes_the_options_the_readme_says_all_take() -> None:
    readme = README.read_text()
    top, _, helps = cli_help()
    for option in EVERY_COMMAND_TAKES:
        assert re.search(rf"Every command takes `{option}\b", readme), (
            f"README.md no longer says 'Every command takes `{option} ...`': show {option} in"
            " every row instead, and drop it from EVERY_COMMAND_TAKES in this test"
        )
        lacking = [name for name, helped in helps.items() if option not in helped.options]
        if option not in top.options:
            lacking.append("desk")
        assert not lacking, f"README.md says every command takes {option}; these do not: {lacking}"


def test_the_parsers_read_tables_and_help_as_written() -> None:
    """The helpers find what they should, so the checks above can fail."""
    readme = (
        "## Command line\n\n| command | what |\n|---|---|\n"
        "| `desk [--no-window]` | window |\n"
        "| `desk serve [--host 127.0.0.1] [--tls-cert PEM --tls-key PEM]` | serve |\n"
        "| `desk backup [PATH]` | copy |\n\nEvery command takes `--data-dir DIR`.\n"
    )
    rows = readme_rows(readme)
    assert [(r.command, r.options) for r in rows] == [
        (TOP, {"--no-window"}),
        ("serve", {"--host", "--tls-cert", "--tls-key"}),
        ("backup", set()),
    ]
    top_help = (
        "usage: desk [-h] [--version] COMMAND ...\n\noptions:\n  -h, --help  show\n\n"
        "commands:\n  COMMAND\n    serve              serve the inbox\n"
        "    create-admin       create an admin, or reset a\n"
        "                       password\n    install-desktop-entry\n"
        "                       add Desk to the menu\n"
    )
    assert subcommands(top_help) == {
        "serve": "serve the inbox",
        "create-admin": "create an admin, or reset a password",
        "install-desktop-entry": "add Desk to the menu",
    }
    helped = parse_help("usage: desk serve [-h] [--host HOST] --email EMAIL [--no-x]\n\nx\n")
    assert helped.options == {
        "--host": "--host HOST",
        "--email": "--email EMAIL",
        "--no-x": "--no-x",
    }
