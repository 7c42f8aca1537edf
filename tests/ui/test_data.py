"""Settings → Data in the browser: a contacts CSV checked (dry run: counts and per-line errors,
nothing written), then imported; the exports downloaded (conversations for a range of days,
contacts, the whole workspace). A Desk of its own: the import adds contacts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.servers import start_desk

from .a11y import Audit
from .conftest import AGENT, Seeded, _seed, api_client, shot

ADMIN_ONLY = "That page is for admins only."
ROWS = 20_000  # enough lines that the server reports its progress while it reads
CSV_TEXT = (
    "Name,Email,Phone,Company,Plan\n"
    "Linus Data,linus.data@example.com,+1 555 0101,Kernel Co,pro\n"
    "No Email Here,not-an-email,,,\n"
    "Too,many,cells,in,this,line\n"
    + "".join(f"Bulk {i},bulk{i}@import.example,,,\n" for i in range(ROWS))
)  # fmt: skip
RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(() => {
  const status = document.querySelector('.data-status');
  if (status && status.textContent) window.__statuses.push(status.textContent);
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


@pytest.fixture(scope="module")
def data_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    desk = start_desk(Path(tmp_path_factory.mktemp("ui-data")))
    try:
        yield _seed(desk)
    finally:
        desk.stop()


def find_contacts(seeded: Seeded, search: str) -> list[dict[str, Any]]:
    from .conftest import ADMIN

    with api_client(seeded.desk, ADMIN) as client:
        found = client.get("/api/contacts", params={"search": search, "per_page": 100}).json()
    return list(found["items"])


def test_import_contacts_dry_run_then_import(open_page: Any, data_desk: Seeded) -> None:
    page = open_page(hash="#/settings/data", url=data_desk.url).page
    form = page.get_by_role("form", name="Import contacts")
    form.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": CSV_TEXT.encode()}
    )
    page.evaluate(RECORD_STATUS)
    form.get_by_role("button", name="Check file (dry run)").click()
    report = form.locator(".data-report")
    expect(report.get_by_role("heading")).to_have_text(
        "Dry run: what the import would do", timeout=60_000
    )
    counts = report.locator(".data-counts")
    expect(counts).to_contain_text(f"New contacts{ROWS + 1:,}")
    expect(counts).to_contain_text("Contacts to update0")
    expect(counts).to_contain_text("Invalid lines (skipped)2")
    skipped = report.get_by_role("table", name="Skipped lines")
    expect(skipped.locator("tbody tr")).to_have_count(2)
    expect(skipped.locator("tbody tr").nth(0)).to_contain_text("3")
    expect(skipped.locator("tbody tr").nth(0)).to_contain_text("email must be an email address")
    expect(skipped.locator("tbody tr").nth(1)).to_contain_text("Expected 5 cells, found 6.")
    expect(report).to_contain_text("Nothing has been written yet")
    statuses = page.evaluate("window.__statuses")
    assert any(s.startswith("Uploading") for s in statuses), statuses
    assert any(s.startswith("Checking line") for s in statuses), statuses  # the server's progress
    shot(page, "data-dry-run")
    audit = Audit()
    audit.check(page, "settings data, dry-run report")
    audit.assert_clean()
    assert find_contacts(data_desk, "linus.data@example.com") == []  # the dry run wrote nothing

    form.get_by_role("button", name="Import", exact=True).click()
    expect(report.get_by_role("heading")).to_have_text("Imported", timeout=60_000)
    expect(page.get_by_text(f"Imported: {ROWS + 1:,} new, 0 updated")).to_be_visible()
    expect(form.get_by_role("button", name="Import", exact=True)).to_be_hidden()
    shot(page, "data-imported")
    linus = find_contacts(data_desk, "linus.data@example.com")
    assert [(c["name"], c["company"], c["custom_attributes"]) for c in linus] == [
        ("Linus Data", "Kernel Co", {"plan": "pro"})
    ]


def test_a_file_that_is_not_csv_shows_why(open_page: Any, data_desk: Seeded) -> None:
    opened = open_page(hash="#/settings/data", url=data_desk.url)
    opened.problems.allowed.append("400 (Bad Request)")  # the refused file, on purpose
    page = opened.page
    form = page.get_by_role("form", name="Import contacts")
    form.get_by_role("button", name="Check file (dry run)").click()
    expect(form.get_by_role("alert").filter(has_text="Choose a CSV file first.")).to_be_visible()
    form.get_by_label("CSV file").set_input_files(
        {"name": "plan.csv", "mimeType": "text/csv", "buffer": b"plan,seats\npro,3\n"}
    )
    form.get_by_role("button", name="Check file (dry run)").click()
    expect(form.get_by_role("alert").filter(has_text="name, email or phone column")).to_be_visible()
    expect(form.get_by_role("button", name="Import", exact=True)).to_be_hidden()


def test_exports_download(open_page: Any, data_desk: Seeded) -> None:
    page = open_page(hash="#/settings/data", url=data_desk.url).page
    section = page.get_by_role("region", name="Export")
    with page.expect_download() as contacts:
        section.get_by_role("link", name="Download contacts").click()
    rows = list(csv.reader(io.StringIO(Path(contacts.value.path()).read_text())))
    assert contacts.value.suggested_filename == "contacts.csv"
    assert rows[0][:3] == ["id", "name", "email"] and len(rows) > 1

    section.get_by_label("From").fill("2026-12-02")
    section.get_by_label("To").fill("2026-12-01")
    expect(section.get_by_role("alert")).to_have_text("“From” must not be after “To”.")
    section.get_by_label("From").fill("2000-01-01")
    link = section.get_by_role("link", name="Download conversations")
    expect(link).to_have_attribute(
        "href", "/api/export/conversations.csv?from=2000-01-01&to=2026-12-01"
    )
    section.get_by_label("To").fill("")
    with page.expect_download() as conversations:
        link.click()
    assert conversations.value.suggested_filename == "conversations-2000-01-01.csv"
    lines = Path(conversations.value.path()).read_text().splitlines()
    assert lines[0].startswith("id,created_at,status") and len(lines) > 1  # the seeded ones

    with page.expect_download() as workspace:
        section.get_by_role("link", name="Download workspace").click()
    data = json.loads(Path(workspace.value.path()).read_text())
    assert data["format"] == "desk-workspace-export" and data["conversations"]
    shot(page, "data-export")


def test_agents_do_not_get_the_data_page(open_page: Any, data_desk: Seeded) -> None:
    page = open_page(who=AGENT, hash="#/settings/data", url=data_desk.url).page
    expect(page.get_by_role("alert")).to_contain_text(ADMIN_ONLY)
    expect(page.get_by_role("link", name="Data", exact=True)).to_have_count(0)


def test_the_data_page_speaks_german(open_page: Any, data_desk: Seeded) -> None:
    page = open_page(hash="#/settings/data", url=data_desk.url, locale="de-DE").page
    form = page.get_by_role("form", name="Kontakte importieren")
    form.get_by_label("CSV-Datei").set_input_files(
        {"name": "leute.csv", "mimeType": "text/csv", "buffer": CSV_TEXT[:200].encode()}
    )
    form.get_by_role("button", name="Datei prüfen (Probelauf)").click()
    expect(form.get_by_role("heading", name="Probelauf: was der Import täte")).to_be_visible()
    expect(page.get_by_role("region", name="Export")).to_contain_text("Konversationen (CSV)")
    shot(page, "data-dry-run-de")
