// Settings → Data (admins): contacts from a CSV file — a dry run first (new, updated and
// skipped lines with why), then Import — and downloads of the exports (conversations for a
// range of days, contacts, the whole workspace as JSON). A large file shows its upload, then
// the server's reading of it (import.progress events on the live stream).
import { api } from "../../lib/api.js";
import { h, clear, field } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { store } from "../../lib/store.js";
import { toast } from "../../components/toast.js";
import { dayKey, formatNumber, t } from "../../lib/i18n.js";

export function dataPage(body) {
  body.append(importSection(), exportSection());
}

// -- import ----------------------------------------------------------------------------------

function importSection() {
  const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv" });
  const check = h("button.btn", { type: "submit" }, t("data.check"));
  const run = h("button.btn.primary", { type: "button", hidden: true }, t("data.import"));
  const bar = h("progress", { max: "100", value: "0", hidden: true, "aria-label": t("data.progress") });
  const status = h("p.meta.data-status", { role: "status" });
  const report = h("div.data-report", { "aria-live": "polite" });
  const errorBox = h("div.error-box", { role: "alert" });
  const form = h("form.settings-form", { novalidate: true, "aria-label": t("data.importTitle") },
    h("h2", t("data.importTitle")), h("p.muted", t("data.importLead")),
    field(t("data.file"), file, t("data.fileHint")),
    h("div.row", check, run), bar, status, errorBox, report);
  let busy = false;

  file.addEventListener("change", () => {
    run.hidden = true;
    clear(report);
    clear(status);
    errorBox.textContent = "";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    start(true);
  });
  run.addEventListener("click", () => start(false));

  async function start(dryRun) {
    const chosen = file.files && file.files[0];
    errorBox.textContent = "";
    if (!chosen) {
      errorBox.textContent = t("data.noFile");
      return file.focus();
    }
    if (busy) return;
    busy = true;
    check.disabled = run.disabled = file.disabled = true;
    clear(report);
    try {
      const result = await upload(chosen, dryRun, (share, text) => {
        bar.hidden = false;
        bar.value = Math.round(share * 100);
        status.textContent = text;
      });
      showReport(result, dryRun);
      run.hidden = !dryRun || !(result.created || result.updated);
      if (!dryRun) {
        toast(t("data.imported", { created: result.created, updated: result.updated }));
        file.value = "";
      }
    } catch (err) {
      errorBox.textContent = err.message;
      run.hidden = true;
    } finally {
      busy = false;
      bar.hidden = true;
      clear(status);
      check.disabled = run.disabled = file.disabled = false;
    }
  }

  function showReport(result, dryRun) {
    const rows = result.skipped.map((s) => h("tr", h("td.num", String(s.line)), h("td", s.error)));
    const more = result.skipped_total - result.skipped.length;
    clear(report,
      h("h3", dryRun ? t("data.dryRunTitle") : t("data.doneTitle")),
      h("dl.data-counts",
        h("div", h("dt", dryRun ? t("data.willCreate") : t("data.created")), h("dd", formatNumber(result.created))),
        h("div", h("dt", dryRun ? t("data.willUpdate") : t("data.updated")), h("dd", formatNumber(result.updated))),
        h("div", h("dt", t("data.skipped")), h("dd", formatNumber(result.skipped_total)))),
      dryRun ? h("p.muted", result.created || result.updated ? t("data.nothingWritten") : t("data.nothingToImport")) : null,
      rows.length ? h("table.data.data-skipped", { "aria-label": t("data.skippedLines") },
        h("thead", h("tr", h("th.num", t("data.line")), h("th", t("data.problem")))),
        h("tbody", rows)) : null,
      more > 0 ? h("p.meta", t("data.more", { count: more })) : null);
  }
  return form;
}

/** POST the file as text/csv; `progress(share, text)` follows the upload, then the server's
 * reading (its import.progress events). Resolves to the report, rejects with an Error. */
function upload(file, dryRun, progress) {
  return new Promise((resolve, reject) => {
    const stop = store.on("import.progress", (data) => {
      if (data.dry_run !== dryRun || !data.total) return;
      progress(data.done / data.total, t(dryRun ? "data.checking" : "data.importing", { done: data.done, total: data.total }));
    });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/contacts/import?dry_run=${dryRun}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        progress(event.loaded / event.total, t("data.uploading", { percent: Math.round((event.loaded / event.total) * 100) }));
      }
    });
    xhr.addEventListener("load", () => {
      stop();
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 200 && data) return resolve(data);
      if (xhr.status === 401) api.get("/api/auth/me").catch(() => {}); // to the sign-in screen
      reject(new Error((data && data.error) || t("data.failed", { status: xhr.status })));
    });
    xhr.addEventListener("error", () => {
      stop();
      reject(new Error(t("uploads.unreachable")));
    });
    progress(0, t("data.uploading", { percent: 0 }));
    xhr.send(file);
  });
}

// -- export ----------------------------------------------------------------------------------

function exportSection() {
  const today = dayKey(new Date());
  const from = h("input", { type: "date", name: "from", max: today });
  const to = h("input", { type: "date", name: "to", max: today });
  // The server names the file (conversations-2026-11-01-to-2026-11-30.csv).
  const conversations = h("a.btn.primary", { href: "/api/export/conversations.csv", download: "" },
    icon("download"), t("data.exportConversations"));
  const rangeError = h("div.error-text", { role: "alert" });
  function sync() {
    const params = new URLSearchParams();
    if (from.value) params.set("from", from.value);
    if (to.value) params.set("to", to.value);
    const backwards = from.value && to.value && from.value > to.value;
    rangeError.textContent = backwards ? t("data.rangeBackwards") : "";
    conversations.setAttribute("aria-disabled", backwards ? "true" : "false");
    conversations.classList.toggle("disabled", Boolean(backwards));
    const query = params.toString();
    conversations.href = `/api/export/conversations.csv${query ? `?${query}` : ""}`;
  }
  from.addEventListener("input", sync);
  to.addEventListener("input", sync);
  conversations.addEventListener("click", (event) => {
    if (conversations.getAttribute("aria-disabled") === "true") event.preventDefault();
  });
  sync();
  return h("section.settings-form.data-export", { "aria-label": t("data.exportTitle") },
    h("h2", t("data.exportTitle")), h("p.muted", t("data.exportLead")),
    h("h3", t("data.conversationsTitle")),
    h("div.grid-2", field(t("data.from"), from), field(t("data.to"), to)),
    h("p.meta", t("data.rangeHint")), rangeError,
    h("div.row", conversations),
    h("h3", t("data.contactsTitle")),
    h("div.row", h("a.btn", { href: "/api/export/contacts.csv", download: "contacts.csv" }, icon("download"), t("data.exportContacts"))),
    h("h3", t("data.workspaceTitle")), h("p.muted", t("data.workspaceLead")),
    h("div.row", h("a.btn", { href: "/api/export/workspace.json", download: "workspace.json" }, icon("download"), t("data.exportWorkspace"))));
}
