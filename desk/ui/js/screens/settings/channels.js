// Settings → Channels (admin): add, edit (channel-edit.js), switch on/off, delete; show what's
// needed to wire each up. Another admin's changes arrive as `channels.changed` and redraw the
// list unless a channel's settings are open here.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS } from "../../components/icons.js";
import { plural } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { copyText, toast } from "../../components/toast.js";
import { emailTools, healthLine } from "./email.js";
import { channelEditor } from "./channel-edit.js";
import { t } from "../../lib/i18n.js";

const TLS = ["ssl", "starttls", "none"];
const HEALTH_REFRESH_MS = 3000;

function copyField(label, value) {
  return h("div.copy-field", h("div.label", label),
    h("div.row", h("code.mono.copy-value", value),
      h("button.btn.small", { type: "button", "aria-label": t("channels.copyLabel", { label }), onclick: () => copyText(value) },
        icon("copy"), t("channels.copy"))));
}

function wiring(channel) {
  const c = channel.config || {};
  if (channel.type === "api") {
    return [c.inbound_url && copyField(t("channels.inboundUrl"), new URL(c.inbound_url, location.origin).href),
      c.signing_secret && copyField(t("channels.signingSecret"), c.signing_secret),
      h("p.meta", c.webhook_url ? t("channels.repliesTo", { url: c.webhook_url }) : t("channels.noWebhook"))];
  }
  if (channel.type === "web_chat") {
    return [c.embed_snippet && copyField(t("channels.snippet"), c.embed_snippet),
      c.identity_secret && copyField(t("channels.identitySecret"), c.identity_secret),
      !c.allowed_origins?.length && h("p.meta", t("channels.noOrigins"))];
  }
  if (channel.type === "email") return [h("p.meta", `${c.imap_user || ""} · IMAP ${c.imap_host}:${c.imap_port} · SMTP ${c.smtp_host}:${c.smtp_port}`)];
  return [h("p.meta", t("channels.phoneHint"))];
}

function configFields(type) {
  const text = (name, label, opts = {}) => field(label, h("input", { type: opts.type || "text", name, value: opts.value ?? "", autocomplete: "off" }), opts.hint);
  const select = (name, label, value) => field(label, h("select", { name },
    TLS.map((tls) => h("option", { value: tls, selected: tls === value }, tls === "none" ? t("channels.tlsNone") : tls))));
  if (type === "api") {
    return [text("webhook_url", t("channels.webhookUrl"), { type: "url", hint: t("channels.webhookHint") })];
  }
  if (type === "web_chat") {
    return [text("allowed_origins", t("channels.allowed"), { hint: t("channels.allowedHint") }),
      text("greeting", t("channels.greeting"), { value: "Hi! How can we help?" }),
      text("color", t("channels.colour"), { value: "#3b82f6" })];
  }
  if (type === "email") {
    return [h("div.grid-2", text("imap_host", t("channels.imapHost")),
      text("imap_port", t("channels.imapPort"), { type: "number", value: "993" })),
    h("div.grid-2", text("imap_user", t("channels.imapUser")),
      text("imap_password", t("channels.imapPassword"), { type: "password" })),
    h("div.grid-2", select("imap_tls", t("channels.imapSecurity"), "ssl"),
      text("imap_folder", t("channels.folder"), { value: "INBOX" })),
    h("div.grid-2", text("smtp_host", t("channels.smtpHost")),
      text("smtp_port", t("channels.smtpPort"), { type: "number", value: "465" })),
    h("div.grid-2", text("smtp_user", t("channels.smtpUser")),
      text("smtp_password", t("channels.smtpPassword"), { type: "password" })),
    h("div.grid-2", select("smtp_tls", t("channels.smtpSecurity"), "ssl"),
      text("poll_seconds", t("channels.pollSeconds"), { type: "number", value: "60" })),
    h("div.grid-2", text("from_address", t("channels.fromAddress"), { type: "email" }),
      text("from_name", t("channels.fromName")))];
  }
  return [];
}

function readConfig(type, form) {
  const value = (name) => form.elements[name]?.value.trim() ?? "";
  if (type === "api") return { webhook_url: value("webhook_url") || null };
  if (type === "web_chat") {
    return { allowed_origins: value("allowed_origins").split(",").map((s) => s.trim()).filter(Boolean),
      greeting: value("greeting"), color: value("color") };
  }
  if (type === "email") {
    const config = {};
    for (const key of ["imap_host", "imap_user", "imap_password", "imap_tls", "imap_folder", "smtp_host", "smtp_user",
      "smtp_password", "smtp_tls", "from_address", "from_name"]) if (value(key)) config[key] = value(key);
    for (const key of ["imap_port", "smtp_port", "poll_seconds"]) if (value(key)) config[key] = Number(value(key));
    return config;
  }
  return {};
}

export function channelsPage(body) {
  const list = h("div.cards");
  const type = h("select", { name: "type" }, Object.entries(CHANNEL_LABELS).map(([v, label]) => h("option", { value: v }, label)));
  const name = h("input", { type: "text", name: "name", placeholder: t("channels.namePlaceholder") });
  const extra = h("div");
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": t("channels.addForm") },
    h("h3", t("channels.addForm")), h("div.grid-2", field(t("channels.type"), type), field(t("common.name"), name)), extra,
    h("div.error-box", { role: "alert" }), h("div.row", h("button.btn.primary", { type: "submit" }, icon("plus"), t("channels.add"))));
  const syncType = () => clear(extra, configFields(type.value));
  type.addEventListener("change", syncType);
  syncType();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    try {
      const channel = await api.post("/api/channels", { name: name.value.trim(), type: type.value, config: readConfig(type.value, form), active: true });
      toast(t("channels.added", { name: channel.name }));
      form.reset();
      syncType();
      await Promise.all([load(), store.loadWorkspace()]);
    } catch (err) {
      showFormError(form, err.field?.startsWith("config.") ? { ...err, message: err.message, field: err.field.slice(7) } : err);
    }
  });
  body.append(h("div.settings-form", h("h2", t("settings.channels")), h("p.muted", t("channels.lead"))), list, form);

  async function load() {
    try {
      const page = await api.get("/api/channels", { per_page: 100 });
      clear(list, page.items.length ? page.items.map(card) : h("p.muted", t("channels.none")));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(channel) {
    const error = h("div.error-text", { role: "alert" });
    const active = h("input", { type: "checkbox", checked: channel.active, "aria-label": t("channels.activeLabel", { name: channel.name }) });
    active.addEventListener("change", async () => {
      error.textContent = "";
      try {
        await api.patch(`/api/channels/${channel.id}`, { active: active.checked });
        store.loadWorkspace();
      } catch (err) {
        active.checked = !active.checked;
        error.textContent = err.message;
      }
    });
    const panel = h("div.channel-editor", { hidden: true });
    const edit = h("button.btn.small", { type: "button", "aria-expanded": "false" }, t("email.edit"));
    edit.addEventListener("click", () => {
      const open = panel.hidden;
      if (open && !panel.firstChild) {
        panel.append(channelEditor(channel, (saved) => {
          article.replaceWith(card(saved));
          store.loadWorkspace();
        }));
      }
      panel.hidden = !open;
      edit.setAttribute("aria-expanded", String(open));
    });
    const article = h("article.item-card", { "aria-label": channel.name },
      h("div.row", icon(channel.type), h("h3", channel.name), h("span.chip", CHANNEL_LABELS[channel.type]), h("div.spacer"),
        h("label.check", active, t("channels.active")), edit,
        h("button.btn.small.danger", { type: "button", onclick: () => remove(channel) }, icon("trash"), t("channels.delete"))),
      wiring(channel), h("div.health-slot", { dataset: { channel: channel.id } }, healthLine(channel)),
      channel.type === "email" ? emailTools(channel) : null, error, panel);
    return article;
  }

  async function remove(channel) {
    const count = await api.get("/api/conversations", { channel_id: channel.id, status: "all", per_page: 1 })
      .then((p) => p.total).catch(() => null);
    const done = await confirmDanger({
      title: t("channels.deleteTitle", { name: channel.name }),
      message: count ? t("channels.deleteMessage", { conversations: plural(count, "count.conversations") })
        : t("channels.deleteEmpty"),
      confirm: count ? t("channels.deleteWith", { conversations: plural(count, "count.conversations") }) : t("channels.deleteOnly"),
      run: () => api.del(`/api/channels/${channel.id}`, count ? { force: "true" } : undefined),
    });
    if (done) {
      toast(t("channels.deleted", { name: channel.name }));
      await Promise.all([load(), store.loadWorkspace()]);
    }
  }

  const off = store.on("channels.changed", () => {
    if (!list.isConnected) return off();
    if (!list.querySelector(".channel-editor:not([hidden])")) load();
  });

  // Health changes in the background (a poll, a send): refresh those lines, not the forms.
  const timer = setInterval(async () => {
    if (!list.isConnected) return clearInterval(timer);
    try {
      const page = await api.get("/api/channels", { per_page: 100 });
      for (const channel of page.items) {
        const slot = list.querySelector(`.health-slot[data-channel="${channel.id}"]`);
        if (slot) clear(slot, healthLine(channel));
      }
    } catch {
      // the next tick tries again; the page keeps what it showed
    }
  }, HEALTH_REFRESH_MS);

  load();
}
