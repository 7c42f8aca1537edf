// Settings: workspace, AI, canned replies (canned.js), own password; admins also get channels, automations, agents and data (import, exports).
// PAGES lists every page; the admin pages live beside this module (channels.js,
// automations.js, agents.js, data.js), one exported render(body) each.
import { api } from "../../lib/api.js";
import { h, clear, field, redraw, showFormError } from "../../lib/dom.js";
import { store } from "../../lib/store.js";
import { toast } from "../../components/toast.js";
import { channelsPage } from "./channels.js";
import { automationsPage } from "./automations.js";
import { agentsPage } from "./agents.js";
import { cannedPage } from "./canned.js";
import { dataPage } from "./data.js";
import { appearancePage } from "./appearance.js";
import { browserLanguage, LANGUAGES, t, useLanguage, weekdays } from "../../lib/i18n.js";

const PAGES = [
  { id: "workspace", key: "settings.workspace", render: workspacePage },
  { id: "ai", key: "settings.ai", render: aiPage },
  { id: "canned", key: "canned.title", render: cannedPage },
  { id: "language", key: "settings.language", render: languagePage },
  { id: "appearance", key: "theme.form", render: appearancePage },
  { id: "password", key: "settings.password", render: passwordPage },
  { id: "channels", key: "settings.channels", admin: true, render: channelsPage },
  { id: "automations", key: "settings.automations", admin: true, render: automationsPage },
  { id: "agents", key: "settings.agents", admin: true, render: agentsPage },
  { id: "data", key: "settings.data", admin: true, render: dataPage },
];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export function mountSettings(container, route) {
  const nav = h("nav.settings-nav", { "aria-label": t("settings.pages") });
  // Focusable, so the keyboard can scroll it even when it holds no control (an agent's view).
  const body = h("div.settings-body", { tabindex: "0", role: "region", "aria-label": t("settings.page") });
  container.append(h("div.settings", nav, body));

  function show(pageId) {
    const pages = PAGES.filter((p) => !p.admin || store.isAdmin);
    const page = pages.find((p) => p.id === pageId);
    redraw(nav, () => clear(nav, h("h1", t("nav.settings")), pages.map((p, i) => [
      p.admin && !pages[i - 1]?.admin ? h("h3.view-heading", t("settings.admin")) : null,
      h("a.view-link", { href: `#/settings/${p.id}`, "aria-current": p.id === page?.id ? "page" : null,
        dataset: { focus: p.id } }, h("span.view-label", t(p.key))),
    ])));
    if (!page) {
      return clear(body, h("div.error-box", { role: "alert" }, t("settings.adminsOnly")));
    }
    clear(body);
    page.render(body);
  }

  show(route.page);
  return { update: (next) => show(next.page) };
}

function readOnlyNote() {
  return store.isAdmin ? null : h("p.notice", t("settings.readOnly"));
}

function saveRow(label = t("settings.save")) {
  return h("div.row", { style: { marginTop: "8px" } }, h("button.btn.primary", { type: "submit", disabled: !store.isAdmin }, label));
}

async function saveWorkspace(form, body, message) {
  showFormError(form, null);
  try {
    store.set("workspace", await api.post("/api/settings/workspace", body));
    toast(message);
    return true;
  } catch (err) {
    showFormError(form, err);
    return false;
  }
}

function workspacePage(body) {
  const ws = store.workspace;
  const name = h("input", { type: "text", name: "name", value: ws.name });
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [ws.timezone];
  if (!zones.includes(ws.timezone)) zones.unshift(ws.timezone);
  const timezone = h("select", { name: "timezone" }, zones.map((z) => h("option", { value: z, selected: z === ws.timezone }, z)));
  const dayNames = weekdays("long");
  const hours = DAYS.map((key, index) => {
    const label = dayNames[index];
    const span = ws.business_hours[key]?.[0];
    const on = h("input", { type: "checkbox", checked: Boolean(span), "aria-label": t("ws.openOn", { day: label }) });
    const from = h("input", { type: "time", value: span?.[0] || "09:00", "aria-label": t("ws.opensAt", { day: label }) });
    const to = h("input", { type: "time", value: span?.[1] || "17:00", "aria-label": t("ws.closesAt", { day: label }) });
    const sync = () => { from.disabled = to.disabled = !on.checked; };
    on.addEventListener("change", sync);
    sync();
    return { key, on, from, to, row: h("div.hours-row", h("label.check", on, label), from, h("span.meta", t("ws.to")), to) };
  });
  const enabled = h("input", { type: "checkbox", name: "auto_reply_enabled", checked: ws.auto_reply.enabled });
  const reply = h("textarea", { name: "auto_reply", rows: "3" });
  reply.value = ws.auto_reply.body;
  const form = h("form.settings-form", { novalidate: true, "aria-label": t("ws.form") },
    h("h2", t("settings.workspace")), readOnlyNote(),
    field(t("ws.name"), name),
    field(t("ws.timezone"), timezone, t("ws.timezoneHint")),
    h("fieldset", h("legend", t("ws.hours")), hours.map((x) => x.row), h("div.error-text", { id: "business_hours-error" })),
    h("fieldset", h("legend", t("ws.autoReply")),
      h("label.check", enabled, t("ws.autoReplyCheck")),
      field(t("ws.autoReplyMessage"), reply)),
    h("div.error-box", { role: "alert" }), saveRow());
  if (!store.isAdmin) for (const el of form.elements) el.disabled = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const business_hours = {};
    // The form edits each day's first span; further spans (a lunch break) are kept as they are.
    for (const x of hours) {
      const rest = (ws.business_hours[x.key] || []).slice(1);
      business_hours[x.key] = x.on.checked ? [[x.from.value, x.to.value], ...rest] : [];
    }
    saveWorkspace(form, {
      name: name.value.trim(), timezone: timezone.value, business_hours,
      auto_reply: { enabled: enabled.checked, body: reply.value.trim() },
    }, t("ws.saved"));
  });
  body.append(form);
}

function aiPage(body) {
  const ai = store.workspace.ai;
  const provider = h("select", { name: "provider" },
    h("option", { value: "builtin", selected: ai.provider === "builtin" }, t("ai.builtin")),
    h("option", { value: "openai_compatible", selected: ai.provider === "openai_compatible" }, t("ai.openai")));
  const baseUrl = h("input", { type: "url", name: "base_url", value: ai.base_url || "", placeholder: "http://127.0.0.1:11434/v1" });
  const model = h("input", { type: "text", name: "model", value: ai.model || "" });
  const apiKey = h("input", { type: "password", name: "api_key", autocomplete: "off",
    placeholder: ai.api_key_set ? t("ai.keySaved") : "" });
  const modelFields = h("div", field(t("ai.baseUrl"), baseUrl), field(t("ai.model"), model),
    field(t("ai.apiKey"), apiKey, ai.api_key_set ? t("ai.keySavedHint") : t("ai.keyNoneHint")));
  const sync = () => { modelFields.hidden = provider.value !== "openai_compatible"; };
  provider.addEventListener("change", sync);
  sync();
  const form = h("form.settings-form", { novalidate: true, "aria-label": t("ai.form") },
    h("h2", t("settings.ai")), readOnlyNote(),
    h("p.muted", t("ai.lead")),
    field(t("ai.provider"), provider), modelFields, h("div.error-box", { role: "alert" }), saveRow());
  if (!store.isAdmin) for (const el of form.elements) el.disabled = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const update = { provider: provider.value };
    if (provider.value === "openai_compatible") {
      update.base_url = baseUrl.value.trim() || null;
      update.model = model.value.trim() || null;
      if (apiKey.value) update.api_key = apiKey.value;
    }
    saveWorkspace(form, { ai: update }, t("ai.saved")).then((ok) => { if (ok) apiKey.value = ""; });
  });
  body.append(form);
}

function languagePage(body) {
  const browser = LANGUAGES[browserLanguage()];
  const choice = h("select", { name: "language" },
    h("option", { value: "", selected: !store.me.language }, t("language.browser", { name: browser })),
    Object.entries(LANGUAGES).map(([code, name]) => h("option", { value: code, lang: code, selected: code === store.me.language }, name)));
  const form = h("form.settings-form", { novalidate: true, "aria-label": t("language.form") },
    h("h2", t("language.form")), h("p.muted", t("language.lead")),
    field(t("language.label"), choice),
    h("div.error-box", { role: "alert" }), saveRow());
  for (const el of form.elements) el.disabled = false; // every agent sets their own
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    try {
      const { agent } = await api.post("/api/settings/language", { language: choice.value || null });
      await useLanguage(agent.language || browserLanguage());
      store.set("me", agent);
      store.emit("language"); // the app draws itself again in the new words
      document.querySelector(".settings-body select[name=language]")?.focus(); // the keyboard's place
      toast(t("language.saved"));
    } catch (err) {
      showFormError(form, err);
    }
  });
  body.append(form);
}

function passwordPage(body) {
  const current = h("input", { type: "password", name: "current_password", autocomplete: "current-password" });
  const next = h("input", { type: "password", name: "new_password", autocomplete: "new-password" });
  const again = h("input", { type: "password", name: "confirm", autocomplete: "new-password" });
  const form = h("form.settings-form", { novalidate: true, "aria-label": t("password.form") },
    h("h2", t("settings.password")), h("p.muted", t("password.lead", { name: store.me.name, email: store.me.email })),
    field(t("password.current"), current), field(t("password.new"), next, t("wizard.passwordHint")),
    field(t("password.again"), again),
    h("div.error-box", { role: "alert" }),
    h("div.row", h("button.btn.primary", { type: "submit" }, t("shell.changePassword"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    if (next.value !== again.value) return showFormError(form, { message: t("password.mismatch"), field: "confirm" });
    try {
      await api.post("/api/settings/password", { current_password: current.value, new_password: next.value });
      form.reset();
      toast(t("password.changed"));
    } catch (err) {
      showFormError(form, err);
    }
  });
  body.append(form);
}
