// Selecting rows of the conversation list and acting on them together.
//
// A row is selected by a click on its avatar (a checkbox shows there on hover), a shift-click
// selects the range from the last one, `x` toggles the focused row (`X`: the range to it), and
// the header's checkbox selects every row on the page. With any row selected, one bulk bar
// replaces the filters: Resolve, Snooze, Assign, Tag, Priority, Clear. After an action a toast
// offers Undo. The selection holds only rows the list shows: a row that leaves the list (a
// teammate resolved it, another view) leaves the selection.
import { h, clear, field } from "../../lib/dom.js";
import { icon, PRIORITY_LABELS, PRIORITY_LONG } from "../../components/icons.js";
import { avatar, fullTime } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { api } from "../../lib/api.js";
import { store, refreshCountsSoon } from "../../lib/store.js";
import { showMenu } from "../../components/menu.js";
import { toast } from "../../components/toast.js";
import { announce } from "../../components/announce.js";
import { openDialog } from "../../components/dialog.js";
import { snoozeItems, snoozeTime } from "./snooze-menu.js";
import { applied, bulkCall, undoCalls } from "./bulk-actions.js";

/** `list`: the conversation list (convlist.js) whose rows are selected. */
export function createSelection(list) {
  const rowsEl = list.el.querySelector(".conv-rows");
  const filters = list.el.querySelector(".filters");
  const selected = new Set();
  let anchor = null; // the row a shift-click or `X` extends from
  let busy = false;
  let closeUndo = null; // the last action's toast: one Undo on screen at a time

  const pageBox = h("input.select-page", {
    type: "checkbox", name: "select_page", "aria-label": t("bulk.selectPage"), title: t("bulk.selectPage"),
  });
  pageBox.addEventListener("change", () => setMany(rowIds(), pageBox.checked));
  const headRow = list.el.querySelector(".list-head .row");
  headRow.prepend(pageBox);
  const count = h("span.bulk-count", { hidden: true }); // beside the view's title and total
  headRow.querySelector(".spacer").before(count);

  const buttons = {
    resolve: h("button.btn.small.primary", { type: "button", onclick: () => run({ type: "set_status", status: "resolved" }) },
      t("bulk.resolve")),
    snooze: h("button.btn.small", { type: "button", "aria-haspopup": "menu", onclick: () => snoozeMenu() }, t("bulk.snooze")),
    assign: h("button.btn.small", { type: "button", "aria-haspopup": "menu", onclick: () => assignMenu() }, t("bulk.assign")),
    tag: h("button.btn.small", { type: "button", "aria-haspopup": "dialog", onclick: () => tagDialog() }, t("bulk.tag")),
    priority: h("button.btn.small", { type: "button", "aria-haspopup": "menu", onclick: () => priorityMenu() }, t("bulk.priority")),
  };
  const clearBtn = h("button.btn.small.icon-only", {
    type: "button", "aria-label": t("bulk.clear"), title: t("bulk.clear"), onclick: () => clearAll(true),
  }, icon("x"));
  const bar = h("div.bulk-bar", { role: "group", "aria-label": t("bulk.label"), hidden: true },
    Object.values(buttons), clearBtn);
  filters.after(bar);

  function rowIds() {
    return [...rowsEl.querySelectorAll(".conv-row")].map((row) => Number(row.dataset.id));
  }

  function rowOf(id) {
    return rowsEl.querySelector(`.conv-row[data-id="${id}"]`);
  }

  /** Draw a row's selection: its check over the avatar and words for screen readers. */
  function decorate(row) {
    if (!row.querySelector(".row-check")) {
      row.prepend(h("span.row-check", { "aria-hidden": "true", title: t("bulk.toggleRow") }));
    }
    const on = selected.has(Number(row.dataset.id));
    row.classList.toggle("checked", on);
    const said = row.querySelector(".row-selected");
    if (on && !said) row.append(h("span.sr-only.row-selected", t("bulk.rowSelected")));
    else if (!on) said?.remove();
  }

  /** Draw what depends on the whole selection: the bar, the page box; say the count. */
  function render(say = true) {
    const size = selected.size;
    const ids = rowIds();
    rowsEl.classList.toggle("selecting", size > 0);
    bar.hidden = size === 0;
    count.hidden = size === 0;
    filters.hidden = size > 0;
    count.textContent = t("bulk.selected", { count: size });
    pageBox.checked = size > 0 && ids.every((id) => selected.has(id));
    pageBox.indeterminate = size > 0 && !pageBox.checked;
    pageBox.disabled = ids.length === 0;
    if (say) announce(size ? t("bulk.selected", { count: size }) : t("bulk.cleared"));
  }

  function setMany(ids, on) {
    for (const id of ids) {
      if (on) selected.add(id);
      else selected.delete(id);
      const row = rowOf(id);
      if (row) decorate(row);
    }
    render();
  }

  function toggle(id) {
    if (!id || !rowOf(id)) return false;
    anchor = id;
    setMany([id], !selected.has(id));
    return true;
  }

  /** Select from the anchor (else the keyboard's row) to `id`. */
  function extend(id) {
    const ids = rowIds();
    const from = ids.indexOf(anchor ?? list.cursor() ?? id);
    const to = ids.indexOf(id);
    if (to === -1) return false;
    const [a, b] = from === -1 ? [to, to] : [Math.min(from, to), Math.max(from, to)];
    anchor = id;
    setMany(ids.slice(a, b + 1), true);
    return true;
  }

  function clearAll(focusList = false) {
    if (!selected.size) return false;
    const ids = [...selected];
    selected.clear();
    anchor = null;
    for (const id of ids) {
      const row = rowOf(id);
      if (row) decorate(row);
    }
    render();
    if (focusList) list.tabStop()?.focus();
    return true;
  }

  // A click on a row's avatar or check toggles it; a shift-click anywhere on a row selects the
  // range (instead of opening the link in a new window).
  rowsEl.addEventListener("click", (event) => {
    const row = event.target.closest(".conv-row");
    if (!row) return;
    const onCheck = Boolean(event.target.closest(".row-check, .avatar"));
    if (!onCheck && !event.shiftKey) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    event.stopPropagation();
    const id = Number(row.dataset.id);
    if (event.shiftKey) extend(id);
    else toggle(id);
  }, true);

  // Rows come and go as the list loads, reloads and follows live changes: draw the new ones,
  // and let the ones that left leave the selection.
  const observer = new MutationObserver(() => {
    for (const row of rowsEl.querySelectorAll(".conv-row")) decorate(row);
    const shown = new Set(rowIds());
    let left = false;
    for (const id of selected) {
      if (!shown.has(id)) {
        selected.delete(id);
        left = true;
      }
    }
    if (anchor && !shown.has(anchor)) anchor = null;
    render(left);
  });
  observer.observe(rowsEl, { childList: true });

  /** Apply `action` to the selection; `done(count)` words the outcome. Throws what the API
   * refused for the whole request (a malformed tag) for the caller to show. */
  async function act(action, done) {
    if (busy || !selected.size) return;
    const ids = rowIds().filter((id) => selected.has(id));
    const before = new Map(ids.map((id) => [id, list.find(id)]));
    setBusy(true);
    try {
      const results = await bulkCall(ids, action);
      const changed = results.filter((r) => r.ok).map((r) => r.id);
      const failed = results.filter((r) => !r.ok);
      for (const id of changed) {
        const conv = before.get(id);
        if (conv) list.applyLive(applied(conv, action));
      }
      clearAll(true);
      refreshCountsSoon();
      const words = [done(changed.length)];
      if (failed.length) words.push(t("bulk.failed", { count: failed.length, error: failed[0].error }));
      const undo = undoCalls(action, changed, before);
      closeUndo?.();
      closeUndo = toast(words.join(" "), undo.length ? { action: t("bulk.undo"), onAction: () => undoAll(undo, before) } : {});
    } finally {
      setBusy(false);
    }
  }

  /** `act` from a bar button or menu: a refusal shows as a toast. */
  function run(action, done = (n) => t("bulk.resolved", { count: n })) {
    return act(action, done).catch((err) => toast(err.message, { error: true }));
  }

  async function undoAll(calls, before) {
    try {
      for (const call of calls) {
        const results = await bulkCall(call.ids, call.action);
        for (const result of results) {
          const was = before.get(result.id);
          if (result.ok && was) list.applyLive(applied(was, call.action));
        }
      }
      refreshCountsSoon();
      announce(t("bulk.undone"));
    } catch (err) {
      toast(t("bulk.undoFailed", { error: err.message }), {
        error: true, action: t("common.retry"), onAction: () => undoAll(calls, before),
      });
    }
  }

  function setBusy(on) {
    busy = on;
    for (const button of [...Object.values(buttons), clearBtn]) button.disabled = on;
    bar.setAttribute("aria-busy", String(on));
  }

  function snoozeMenu() {
    showMenu(buttons.snooze, [
      { heading: t("snooze.until") },
      ...snoozeItems((date) => run({ type: "set_status", status: "snoozed", snoozed_until: snoozeTime(date) },
        (n) => t("bulk.snoozed", { count: n, time: fullTime(snoozeTime(date)) }))),
    ], { label: t("bulk.snooze") });
  }

  function assignMenu() {
    const assign = (member) => run({ type: "assign", agent_id: member ? member.id : null },
      (n) => (member ? t("bulk.assigned", { count: n, name: member.name }) : t("bulk.unassigned", { count: n })));
    const team = store.workspace?.team || [];
    showMenu(buttons.assign, [
      { label: t("head.assignToMe"), icon: icon("mine"), onSelect: () => assign(store.me) },
      "-",
      ...team.filter((m) => m.id !== store.me.id).map((m) => ({ label: m.name, icon: avatar(m.name, true), onSelect: () => assign(m) })),
      { label: t("head.unassigned"), icon: icon("unassigned"), onSelect: () => assign(null) },
    ], { label: t("bulk.assign") });
  }

  function priorityMenu() {
    showMenu(buttons.priority, ["urgent", "high", "normal", "low"].map((priority) => ({
      label: PRIORITY_LONG[priority], icon: icon("flag"),
      onSelect: () => run({ type: "set_priority", priority },
        (n) => t("bulk.prioritised", { count: n, priority: PRIORITY_LABELS[priority] })),
    })), { label: t("bulk.priority") });
  }

  function tagDialog() {
    const input = h("input", {
      type: "text", name: "tag", required: true, maxlength: "50", autocomplete: "off", list: "bulk-tag-suggestions",
    });
    const suggestions = h("datalist", { id: "bulk-tag-suggestions" });
    const error = h("div.error-box", { role: "alert" });
    const submit = async (type) => {
      const tag = input.value.trim().toLowerCase();
      if (!tag) return void (error.textContent = t("bulk.tagPrompt"));
      const done = (n) => t(type === "add_tag" ? "bulk.tagged" : "bulk.untagged", { count: n, tag });
      try {
        dialog.querySelectorAll("button").forEach((b) => { b.disabled = true; });
        await act({ type, tag }, done);
        dialog.close();
        list.tabStop()?.focus(); // the bar that opened the dialog went with the selection
      } catch (err) {
        error.textContent = err.message;
        dialog.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      }
    };
    const form = h("form", { onsubmit: (event) => { event.preventDefault(); submit("add_tag"); } },
      field(t("bulk.tagField"), input), suggestions, error);
    const dialog = openDialog(t("bulk.tagDialog", { count: selected.size }), form, [
      h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel")),
      h("button.btn", { type: "button", onclick: () => submit("remove_tag") }, t("bulk.removeTag")),
      h("button.btn.primary", { type: "button", onclick: () => submit("add_tag") }, t("bulk.addTag")),
    ], { returnTo: () => list.tabStop() });
    input.addEventListener("input", async () => {
      try {
        const page = await api.get("/api/tags", { search: input.value.trim().toLowerCase(), per_page: 10 });
        clear(suggestions, page.items.map((item) => h("option", { value: item.tag })));
      } catch {
        /* suggestions are a nicety; typing a tag still works */
      }
    });
    input.focus();
  }

  render(false);
  return {
    /** `x`: toggle the keyboard's row; `X`: select the range to it. */
    key(key) {
      const id = list.cursor();
      return key === "X" ? extend(id) : toggle(id);
    },
    clear: () => clearAll(true),
    get size() {
      return selected.size;
    },
    destroy() {
      observer.disconnect();
    },
  };
}
