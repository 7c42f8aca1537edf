// Settings → Automations (admin): a builder for event, conditions and actions (new, or an
// existing rule loaded by Edit); toggle, delete.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { relativeTime } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";

const EVENTS = {
  conversation_created: "A conversation is created",
  message_received: "A message is received",
  status_changed: "The status changes",
  conversation_assigned: "A conversation is assigned",
  conversation_waiting: "A customer has waited for a reply",
};
const FIELDS = {
  channel_type: "Channel type", channel_id: "Channel", subject: "Subject", message_body: "Message",
  contact_email: "Contact email", contact_name: "Contact name", tag: "Tag", status: "Status",
  priority: "Priority", assignee_id: "Assignee", business_hours: "Within business hours",
};
const OPERATORS = { equals: "is", not_equals: "is not", contains: "contains", not_contains: "doesn't contain",
  starts_with: "starts with", in: "is one of" };
const ACTIONS = {
  assign_agent: "Assign to", assign_round_robin: "Assign round robin", add_tag: "Add tag", remove_tag: "Remove tag",
  set_status: "Set status", set_priority: "Set priority", send_reply: "Send reply", add_note: "Add note",
};
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
  if (CHOICES[kind]) return h("select", { "aria-label": label }, CHOICES[kind].map((v) => h("option", { value: v }, v)));
  if (kind === "assign_round_robin") return h("span.meta", "among all agents");
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
  const fieldSel = h("select", { "aria-label": "Condition field" }, options(FIELDS, initial?.field || "message_body"));
  const op = h("select", { "aria-label": "Condition operator" }, options(OPERATORS, initial?.operator || "contains"));
  const slot = h("span.value-slot");
  const row = h("div.rule-row", fieldSel, op, slot,
    h("button.btn.small.icon-only.ghost", { type: "button", "aria-label": "Remove condition", onclick: () => row.remove() }, icon("x")));
  const sync = () => clear(slot, valueInput(op.value === "in" ? "text" : fieldSel.value, "Condition value"));
  fieldSel.addEventListener("change", sync);
  op.addEventListener("change", sync);
  sync();
  if (initial) fillValue(slot.firstChild, initial.value);
  row.read = () => ({ field: fieldSel.value, operator: op.value, value: readValue(op.value === "in" ? "text" : fieldSel.value, slot.firstChild, op.value) });
  return row;
}

function actionRow(initial = null) {
  const type = h("select", { "aria-label": "Action" }, options(ACTIONS, initial?.type || "add_tag"));
  const slot = h("span.value-slot");
  const row = h("div.rule-row", type, slot,
    h("button.btn.small.icon-only.ghost", { type: "button", "aria-label": "Remove action", onclick: () => row.remove() }, icon("x")));
  const sync = () => clear(slot, valueInput(type.value, "Action value"));
  type.addEventListener("change", sync);
  sync();
  if (initial) fillValue(slot.firstChild, initial.value);
  row.read = () => ({ type: type.value, value: readValue(type.value, slot.firstChild) });
  return row;
}

function describe(a) {
  const cond = a.conditions.map((c) => `${FIELDS[c.field] || c.field} ${OPERATORS[c.operator] || c.operator} ${Array.isArray(c.value) ? c.value.join(", ") : c.value}`);
  const acts = a.actions.map((x) => `${ACTIONS[x.type] || x.type}${x.value !== null && x.value !== undefined ? ` ${x.type === "assign_agent" ? store.teammate(x.value)?.name || x.value : x.value}` : ""}`);
  return `When ${(EVENTS[a.event] || a.event).toLowerCase()}${a.after_minutes ? ` (${a.after_minutes} min)` : ""}${cond.length ? `, if ${cond.join(" and ")}` : ""}: ${acts.join("; ")}.`;
}

export function automationsPage(body) {
  const list = h("div.cards");
  const name = h("input", { type: "text", name: "name", placeholder: "e.g. Billing triage" });
  const event = h("select", { name: "event" }, options(EVENTS, "message_received"));
  const minutes = h("input", { type: "number", name: "after_minutes", min: "1", max: "10080", value: "60" });
  const minutesField = field("After (minutes without a reply)", minutes);
  const conditions = h("div.rules");
  const actions = h("div.rules", actionRow());
  const syncEvent = () => { minutesField.hidden = event.value !== "conversation_waiting"; };
  event.addEventListener("change", syncEvent);
  syncEvent();
  let editing = null; // the automation loaded by Edit, else null: a new one
  const heading = h("h3", "New automation");
  const submit = h("button.btn.primary", { type: "submit" }, "Create automation");
  const cancel = h("button.btn", { type: "button", hidden: true, onclick: () => startNew() }, "Cancel");
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": "New automation" },
    heading, h("div.grid-2", field("Name", name), field("When", event)), minutesField,
    h("div.label", "If all of these hold (none: always)"), conditions,
    h("button.btn.small.ghost", { type: "button", onclick: () => conditions.append(conditionRow()) }, icon("plus"), "Add condition"),
    h("div.label", { style: "margin-top:12px" }, "Then"), actions,
    h("button.btn.small.ghost", { type: "button", onclick: () => actions.append(actionRow()) }, icon("plus"), "Add action"),
    h("div.error-box", { role: "alert", style: "margin-top:12px" }),
    h("div.row", { style: "margin-top:12px" }, submit, cancel));

  function startNew() {
    editing = null;
    form.reset();
    clear(conditions);
    clear(actions, actionRow());
    heading.textContent = "New automation";
    form.setAttribute("aria-label", "New automation");
    submit.textContent = "Create automation";
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
    heading.textContent = `Edit “${a.name}”`;
    form.setAttribute("aria-label", "Edit automation");
    submit.textContent = "Save changes";
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
        toast(`Automation “${saved.name}” saved`);
      } else {
        const created = await api.post("/api/automations", { ...payload, active: true });
        toast(`Automation “${created.name}” created`);
      }
      startNew();
      load();
    } catch (err) {
      showFormError(form, err);
    }
  });
  body.append(h("div.settings-form", h("h2", "Automations"), h("p.muted", "Rules that tag, assign, reply or note for you. Their actions never trigger other automations.")), list, form);

  async function load() {
    try {
      const page = await api.get("/api/automations", { per_page: 100 });
      clear(list, page.items.length ? page.items.map(card) : h("p.muted", "No automations yet."));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(a) {
    const error = h("div.error-text", { role: "alert" });
    const active = h("input", { type: "checkbox", checked: a.active, "aria-label": `${a.name} active` });
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
        h("span.meta", a.run_count ? `Ran ${a.run_count}× · last ${relativeTime(a.last_run_at)}` : "Not run yet"),
        h("label.check", active, "Active"),
        h("button.btn.small", { type: "button", onclick: () => startEdit(a), "aria-label": `Edit ${a.name}` }, "Edit"),
        h("button.btn.small.danger", { type: "button", onclick: () => remove(a) }, icon("trash"), "Delete")),
      h("p.muted", describe(a)), error);
  }

  async function remove(a) {
    if (await confirmDanger({ title: `Delete “${a.name}”?`, message: "The automation stops and is deleted. What it already did stays.",
      confirm: "Delete automation", run: () => api.del(`/api/automations/${a.id}`) })) load();
  }

  load();
}
