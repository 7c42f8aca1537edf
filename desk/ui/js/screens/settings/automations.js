// Settings → Automations (admin): a builder for event, conditions and actions (new, or an
// existing rule loaded by Edit); toggle, delete.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { relativeTime } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";
import { CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS } from "../../components/icons.js";
import { formatList, messagesOf, t } from "../../lib/i18n.js";

// Labels by value: "auto.event.<value>" etc. in the catalogues.
const labels = (prefix, values) => messagesOf(Object.fromEntries(values.map((v) => [v, `${prefix}.${v}`])));
const EVENT_NAMES = ["conversation_created", "message_received", "status_changed", "conversation_assigned",
  "conversation_waiting"];
const EVENTS = labels("auto.event", EVENT_NAMES);
const EVENTS_INLINE = labels("auto.when", EVENT_NAMES); // "When <a conversation is created>"
const FIELDS = labels("auto.field", ["channel_type", "channel_id", "subject", "message_body", "contact_email",
  "contact_name", "tag", "status", "priority", "assignee_id", "business_hours"]);
const OPERATORS = labels("auto.op", ["equals", "not_equals", "contains", "not_contains", "starts_with", "in"]);
const ACTIONS = labels("auto.action", ["assign_agent", "assign_round_robin", "add_tag", "remove_tag", "set_status",
  "set_priority", "send_reply", "add_note"]);
// The words for a value of a choice (the API's value stays in the option's value).
const CHOICE_LABELS = {
  status: STATUS_LABELS, set_status: STATUS_LABELS, priority: PRIORITY_LABELS, set_priority: PRIORITY_LABELS,
  channel_type: CHANNEL_LABELS, business_hours: messagesOf({ true: "auto.yes", false: "auto.no" }),
};
const choiceLabel = (kind, value) => CHOICE_LABELS[kind]?.[String(value)] ?? value;
const CHOICES = {
  status: ["open", "pending", "snoozed", "resolved"], set_status: ["open", "pending", "resolved"],
  priority: ["low", "normal", "high", "urgent"], set_priority: ["low", "normal", "high", "urgent"],
  channel_type: ["web_chat", "email", "api", "phone"], business_hours: ["true", "false"],
};

function options(map, selected) {
  return Object.entries(map).map(([value, label]) => h("option", { value, selected: value === selected }, label));
}

function valueInput(kind, label) {
  const team = store.workspace?.team || [];
  if (kind === "assign_agent" || kind === "assignee_id") {
    return h("select", { "aria-label": label }, team.map((m) => h("option", { value: m.id }, m.name)));
  }
  if (kind === "channel_id") {
    return h("select", { "aria-label": label }, (store.workspace?.channels || []).map((c) => h("option", { value: c.id }, c.name)));
  }
  if (CHOICES[kind]) {
    return h("select", { "aria-label": label }, CHOICES[kind].map((v) => h("option", { value: v }, choiceLabel(kind, v))));
  }
  if (kind === "assign_round_robin") return h("span.meta", t("auto.amongAll"));
  if (kind === "send_reply" || kind === "add_note") {
    return h("textarea", { rows: "2", "aria-label": label, placeholder: "Hi {{contact.first_name}}, …" });
  }
  return h("input", { type: "text", "aria-label": label });
}

function readValue(kind, input, operator) {
  if (kind === "assign_round_robin") return null;
  const raw = input.value;
  if (["assign_agent", "assignee_id", "channel_id"].includes(kind)) return Number(raw);
  if (kind === "business_hours") return raw === "true";
  if (operator === "in") return raw.split(",").map((s) => s.trim()).filter(Boolean);
  return raw.trim();
}

/** Show a stored value in a value input (a list for "is one of"). */
function fillValue(input, value) {
  if (!input || !("value" in input) || value === null || value === undefined) return;
  input.value = Array.isArray(value) ? value.join(", ") : String(value);
}

function conditionRow(initial = null) {
  const fieldSel = h("select", { "aria-label": t("auto.conditionField") }, options(FIELDS, initial?.field || "message_body"));
  const op = h("select", { "aria-label": t("auto.conditionOperator") }, options(OPERATORS, initial?.operator || "contains"));
  const slot = h("span.value-slot");
  const row = h("div.rule-row", fieldSel, op, slot,
    h("button.btn.small.icon-only.ghost", { type: "button", "aria-label": t("auto.removeCondition"), onclick: () => row.remove() }, icon("x")));
  const sync = () => clear(slot, valueInput(op.value === "in" ? "text" : fieldSel.value, t("auto.conditionValue")));
  fieldSel.addEventListener("change", sync);
  op.addEventListener("change", sync);
  sync();
  if (initial) fillValue(slot.firstChild, initial.value);
  row.read = () => ({ field: fieldSel.value, operator: op.value, value: readValue(op.value === "in" ? "text" : fieldSel.value, slot.firstChild, op.value) });
  return row;
}

function actionRow(initial = null) {
  const type = h("select", { "aria-label": t("auto.action") }, options(ACTIONS, initial?.type || "add_tag"));
  const slot = h("span.value-slot");
  const row = h("div.rule-row", type, slot,
    h("button.btn.small.icon-only.ghost", { type: "button", "aria-label": t("auto.removeAction"), onclick: () => row.remove() }, icon("x")));
  const sync = () => clear(slot, valueInput(type.value, t("auto.actionValue")));
  type.addEventListener("change", sync);
  sync();
  if (initial) fillValue(slot.firstChild, initial.value);
  row.read = () => ({ type: type.value, value: readValue(type.value, slot.firstChild) });
  return row;
}

function describe(a) {
  const value = (kind, v) => {
    if (kind === "assign_agent" || kind === "assignee_id") return store.teammate(v)?.name || v;
    return Array.isArray(v) ? v.map((x) => choiceLabel(kind, x)).join(", ") : choiceLabel(kind, v);
  };
  const cond = a.conditions.map((c) => `${FIELDS[c.field] || c.field} ${OPERATORS[c.operator] || c.operator} ${value(c.field, c.value)}`);
  const acts = a.actions.map((x) => `${ACTIONS[x.type] || x.type}${x.value !== null && x.value !== undefined ? ` ${value(x.type, x.value)}` : ""}`);
  return t("auto.describe", {
    event: EVENTS_INLINE[a.event] || a.event,
    after: a.after_minutes ? t("auto.afterMinutes", { count: a.after_minutes }) : "",
    conditions: cond.length ? t("auto.if", { conditions: formatList(cond) }) : "",
    actions: acts.join("; "),
  });
}

export function automationsPage(body) {
  const list = h("div.cards");
  const name = h("input", { type: "text", name: "name", placeholder: t("auto.namePlaceholder") });
  const event = h("select", { name: "event" }, options(EVENTS, "message_received"));
  const minutes = h("input", { type: "number", name: "after_minutes", min: "1", max: "10080", value: "60" });
  const minutesField = field(t("auto.afterField"), minutes);
  const conditions = h("div.rules");
  const actions = h("div.rules", actionRow());
  const syncEvent = () => { minutesField.hidden = event.value !== "conversation_waiting"; };
  event.addEventListener("change", syncEvent);
  syncEvent();
  let editing = null; // the automation loaded by Edit, else null: a new one
  const heading = h("h3", t("auto.form"));
  const submit = h("button.btn.primary", { type: "submit" }, t("auto.create"));
  const cancel = h("button.btn", { type: "button", hidden: true, onclick: () => startNew() }, t("common.cancel"));
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": t("auto.form") },
    heading, h("div.grid-2", field(t("common.name"), name), field(t("auto.when"), event)), minutesField,
    h("div.label", t("auto.ifAll")), conditions,
    h("button.btn.small.ghost", { type: "button", onclick: () => conditions.append(conditionRow()) }, icon("plus"),
      t("auto.addCondition")),
    h("div.label", { style: { marginTop: "12px" } }, t("auto.then")), actions,
    h("button.btn.small.ghost", { type: "button", onclick: () => actions.append(actionRow()) }, icon("plus"),
      t("auto.addAction")),
    h("div.error-box", { role: "alert", style: { marginTop: "12px" } }),
    h("div.row", { style: { marginTop: "12px" } }, submit, cancel));

  function startNew() {
    editing = null;
    form.reset();
    clear(conditions);
    clear(actions, actionRow());
    heading.textContent = t("auto.form");
    form.setAttribute("aria-label", t("auto.form"));
    submit.textContent = t("auto.create");
    cancel.hidden = true;
    showFormError(form, null);
    syncEvent();
  }

  function startEdit(a) {
    editing = a;
    name.value = a.name;
    event.value = a.event;
    minutes.value = String(a.after_minutes || 60);
    clear(conditions, a.conditions.map((c) => conditionRow(c)));
    clear(actions, a.actions.map((x) => actionRow(x)));
    heading.textContent = t("auto.editTitle", { name: a.name });
    form.setAttribute("aria-label", t("auto.editForm"));
    submit.textContent = t("auto.saveChanges");
    cancel.hidden = false;
    showFormError(form, null);
    syncEvent();
    form.scrollIntoView({ block: "start" });
    name.focus();
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showFormError(form, null);
    const payload = { name: name.value.trim(), event: event.value,
      conditions: [...conditions.children].map((r) => r.read()), actions: [...actions.children].map((r) => r.read()) };
    if (event.value === "conversation_waiting") payload.after_minutes = Number(minutes.value);
    try {
      if (editing) {
        const saved = await api.patch(`/api/automations/${editing.id}`, payload);
        toast(t("auto.saved", { name: saved.name }));
      } else {
        const created = await api.post("/api/automations", { ...payload, active: true });
        toast(t("auto.created", { name: created.name }));
      }
      startNew();
      load();
    } catch (err) {
      showFormError(form, err);
    }
  });
  body.append(h("div.settings-form", h("h2", t("settings.automations")), h("p.muted", t("auto.lead"))), list, form);

  async function load() {
    try {
      const page = await api.get("/api/automations", { per_page: 100 });
      clear(list, page.items.length ? page.items.map(card) : h("p.muted", t("auto.none")));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(a) {
    const error = h("div.error-text", { role: "alert" });
    const active = h("input", { type: "checkbox", checked: a.active, "aria-label": t("channels.activeLabel", { name: a.name }) });
    active.addEventListener("change", async () => {
      try {
        await api.post(`/api/automations/${a.id}/toggle`);
      } catch (err) {
        active.checked = !active.checked;
        error.textContent = err.message;
      }
    });
    return h("article.item-card", { "aria-label": a.name },
      h("div.row", h("h3", a.name), h("div.spacer"),
        h("span.meta", a.run_count ? t("auto.ran", { count: a.run_count, when: relativeTime(a.last_run_at) }) : t("auto.notRun")),
        h("label.check", active, t("channels.active")),
        h("button.btn.small", { type: "button", onclick: () => startEdit(a), "aria-label": t("auto.editLabel", { name: a.name }) },
          t("contacts.edit")),
        h("button.btn.small.danger", { type: "button", onclick: () => remove(a) }, icon("trash"), t("channels.delete"))),
      h("p.muted", describe(a)), error);
  }

  async function remove(a) {
    if (await confirmDanger({ title: t("auto.deleteTitle", { name: a.name }), message: t("auto.deleteMessage"),
      confirm: t("auto.deleteConfirm"), run: () => api.del(`/api/automations/${a.id}`) })) load();
  }

  load();
}
