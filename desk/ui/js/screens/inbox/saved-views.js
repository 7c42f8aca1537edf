// Saved views: the list's filters kept under a name (private or shared), and what each saved
// view in the views pane offers (rename, share, move up or down, delete). The pane draws them
// (views.js), the list offers "Save view" (convlist.js); /api/views keeps them.
import { api } from "../../lib/api.js";
import { h, field, showFormError } from "../../lib/dom.js";
import { openDialog, confirmDanger } from "../../components/dialog.js";
import { showMenu } from "../../components/menu.js";
import { icon, CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS } from "../../components/icons.js";
import { store, refreshCountsSoon } from "../../lib/store.js";
import { toast } from "../../components/toast.js";
import { go, inboxHash } from "../../lib/router.js";
import { t } from "../../lib/i18n.js";

const DEFAULT_SORT = "last_activity_desc";
// The list's own controls: a saved view sets them when it opens, the rest is its base.
export const CONTROL_KEYS = ["search", "priority", "channel_type", "sort"];
const SORT_WORDS = {
  created_desc: "list.sortNewest", created_asc: "list.sortOldest", priority_desc: "list.sortUrgent",
  waiting_longest: "sort.waitingLongest",
};

/** The list's parameters as a view's filters: typed as the API takes them, only what is set. */
export function filtersOf(params) {
  const out = {};
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === "" || key === "view") continue;
    if (key === "sort" && value === DEFAULT_SORT) continue;
    if (key === "failed") out.failed = value === true || value === "true";
    else if (key === "channel_id" || key === "contact_id") out[key] = Number(value);
    else out[key] = String(value);
  }
  return out;
}

/** Whether two sets of filters are the same. */
export function sameFilters(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/** A saved view's filters as list parameters (the base under the list's own controls). */
export function baseOf(filters) {
  const base = {};
  for (const [key, value] of Object.entries(filters || {})) {
    if (!CONTROL_KEYS.includes(key)) base[key] = typeof value === "boolean" ? String(value) : value;
  }
  return base;
}

/** The list's URL query for a saved view's own search, priority, channel and sort. */
export function queryOf(filters) {
  const out = new URLSearchParams();
  if (filters?.search) out.set("q", filters.search);
  if (filters?.priority) out.set("priority", filters.priority);
  if (filters?.channel_type) out.set("channel", filters.channel_type);
  if (filters?.sort && filters.sort !== DEFAULT_SORT) out.set("sort", filters.sort);
  if (filters?.search) out.set("in", "view");
  return out.toString();
}

/** The filters in words: "Open · #billing · Urgent". */
export function describeFilters(filters) {
  const words = [];
  const f = filters || {};
  if (f.status === "all") words.push(t("savedViews.allStatuses"));
  else if (f.status) words.push(STATUS_LABELS[f.status]);
  if (f.assignee === "me") words.push(t("views.mine"));
  else if (f.assignee === "unassigned") words.push(t("views.unassigned"));
  else if (f.assignee) words.push(store.teammate(Number(f.assignee))?.name || `#${f.assignee}`);
  if (f.failed === true) words.push(t("views.failed"));
  if (f.channel_id) words.push(store.channel(f.channel_id)?.name || t("views.channel"));
  if (f.channel_type) words.push(CHANNEL_LABELS[f.channel_type]);
  if (f.tag) words.push(`#${f.tag}`);
  if (f.priority) words.push(PRIORITY_LABELS[f.priority]);
  if (f.search) words.push(`“${f.search}”`);
  if (f.sort && SORT_WORDS[f.sort]) words.push(t(SORT_WORDS[f.sort]));
  return words.length ? words.join(" · ") : t("savedViews.noFilters");
}

function errorText(err) {
  return err.code === "view_name_taken" ? t("savedViews.nameTaken") : err.message;
}

/** A dialog with the view's name (and, for a new one, whether it is shared). */
function viewDialog({ title, name = "", summary, withShare, submit, onSaved }) {
  const nameInput = h("input", { type: "text", name: "name", value: name, maxlength: "80", autocomplete: "off",
    required: true });
  const share = withShare ? h("input", { type: "checkbox", name: "shared" }) : null;
  const form = h("form#view-form.view-form", { novalidate: true },
    field(t("savedViews.name"), nameInput),
    summary ? h("p.meta.view-summary", h("strong", t("savedViews.filters")), " ", summary) : null,
    share ? h("label.check", share, h("span", t("savedViews.share"))) : null,
    share ? h("p.hint.share-hint", t("savedViews.shareHint")) : null,
    h("div.error-box", { role: "alert" }));
  const save = h("button.btn.primary", { type: "submit", form: "view-form" }, t("savedViews.saveButton"));
  const cancel = h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel"));
  const dialog = openDialog(title, form, [cancel, save]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const typed = nameInput.value.trim();
    if (!typed) return showFormError(form, { field: "name", message: t("savedViews.nameNeeded") });
    save.disabled = true;
    try {
      const saved = await submit({ name: typed, shared: share ? share.checked : undefined });
      dialog.close();
      onSaved(saved);
    } catch (err) {
      showFormError(form, { field: err.field === "name" || err.code === "view_name_taken" ? "name" : null,
        message: errorText(err) });
    } finally {
      save.disabled = false;
    }
  });
  nameInput.focus();
  nameInput.select();
  return dialog;
}

/** "Save view": keep these filters under a name; then show the new view. */
export function openSaveView(filters) {
  return viewDialog({
    title: t("savedViews.saveTitle"),
    summary: describeFilters(filters),
    withShare: true,
    submit: ({ name, shared }) => api.post("/api/views", { name, filters, shared }),
    onSaved: async (view) => {
      toast(t("savedViews.saved", { name: view.name }));
      await store.loadViews();
      refreshCountsSoon();
      go(inboxHash(`view:${view.id}`));
    },
  });
}

/** Whether this agent may rename, share or delete the view (its owner, or an admin). */
export function mayEdit(view) {
  return store.isAdmin || view.owner.id === store.me?.id;
}

async function move(view, delta) {
  const ids = (store.views || []).map((v) => v.id);
  const at = ids.indexOf(view.id);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= ids.length) return;
  [ids[at], ids[to]] = [ids[to], ids[at]];
  try {
    const page = await api.post("/api/views/order", { ids });
    store.set("views", page.items);
  } catch (err) {
    toast(err.message, { error: true });
  }
}

function rename(view) {
  viewDialog({
    title: t("savedViews.renameTitle", { name: view.name }),
    name: view.name,
    submit: ({ name }) => api.patch(`/api/views/${view.id}`, { name }),
    onSaved: (saved) => {
      toast(t("savedViews.renamed", { name: saved.name }));
      store.loadViews();
    },
  });
}

async function toggleShared(view) {
  try {
    const saved = await api.patch(`/api/views/${view.id}`, { shared: !view.shared });
    toast(saved.shared ? t("savedViews.nowShared", { name: saved.name }) : t("savedViews.nowPrivate", { name: saved.name }));
    store.loadViews();
  } catch (err) {
    toast(err.message, { error: true });
  }
}

async function remove(view, active) {
  const done = await confirmDanger({
    title: t("savedViews.deleteTitle", { name: view.name }),
    message: view.shared ? t("savedViews.deleteShared") : t("savedViews.deletePrivate"),
    confirm: t("savedViews.deleteConfirm"),
    run: () => api.del(`/api/views/${view.id}`),
  });
  if (!done) return;
  toast(t("savedViews.deleted", { name: view.name }));
  if (active) go(inboxHash("open"));
  await store.loadViews();
  refreshCountsSoon();
}

/** The menu of a saved view in the views pane. */
export function showSavedViewMenu(anchor, view, { active = false } = {}) {
  const views = store.views || [];
  const at = views.findIndex((v) => v.id === view.id);
  const items = [];
  if (mayEdit(view)) {
    items.push({ label: t("savedViews.rename"), icon: icon("note"), onSelect: () => rename(view) });
    items.push({
      label: view.shared ? t("savedViews.makePrivate") : t("savedViews.share"),
      icon: icon(view.shared ? "lock" : "contacts"), onSelect: () => toggleShared(view),
    });
  }
  if (at > 0) items.push({ label: t("savedViews.moveUp"), icon: icon("up"), onSelect: () => move(view, -1) });
  if (at >= 0 && at < views.length - 1) {
    items.push({ label: t("savedViews.moveDown"), icon: icon("chevron"), onSelect: () => move(view, 1) });
  }
  if (mayEdit(view)) {
    items.push("-");
    items.push({ label: t("savedViews.delete"), icon: icon("trash"), onSelect: () => remove(view, active) });
  }
  if (!items.length) items.push({ heading: t("savedViews.sharedBy", { name: view.owner.name }) });
  return showMenu(anchor, items, { label: t("savedViews.actions", { name: view.name }) });
}
