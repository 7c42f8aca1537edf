// Settings → Channels → "Edit settings" on a channel: its name and every setting of its type in
// one form (PATCH /api/channels/{id}). Secrets (the mail passwords) are write-only: the field
// shows blank, says whether one is saved, and a blank field keeps it. A web chat channel's
// form is the chat editor with its live preview (webchat.js), with the name on top.
import { api } from "../../lib/api.js";
import { h, field, showFormError } from "../../lib/dom.js";
import { store } from "../../lib/store.js";
import { toast } from "../../components/toast.js";
import { webChatEditor } from "./webchat.js";
import { t } from "../../lib/i18n.js";

const TLS = ["ssl", "starttls", "none"];
const EMAIL_TEXT = ["imap_host", "imap_user", "imap_tls", "imap_folder", "smtp_host", "smtp_user", "smtp_tls",
  "from_address", "from_name"];
const EMAIL_NUMBERS = ["imap_port", "smtp_port", "poll_seconds"];
const EMAIL_SECRETS = ["imap_password", "smtp_password"];

/** The name field every channel's form starts with. */
export function nameField(channel) {
  return field(t("channels.name"), h("input", { type: "text", name: "name", value: channel.name, maxlength: 100,
    autocomplete: "off", required: true }));
}

function emailFields(channel) {
  const c = channel.config || {};
  const text = (name, label, opts = {}) => field(label,
    h("input", { type: opts.type || "text", name, value: opts.value ?? c[name] ?? "", autocomplete: "off",
      placeholder: opts.placeholder }), opts.hint);
  const select = (name, label) => field(label, h("select", { name }, TLS.map((tls) => h("option",
    { value: tls, selected: tls === c[name] }, tls === "none" ? t("channels.tlsNone") : tls))));
  const secret = (name, label) => text(name, label, { type: "password", value: "",
    placeholder: c[`${name}_set`] ? t("email.unchanged") : t("email.notSet"),
    hint: c[`${name}_set`] ? t("email.keepPassword") : null });
  return [
    h("div.grid-2", text("imap_host", t("channels.imapHost")), text("imap_port", t("channels.imapPort"), { type: "number" })),
    h("div.grid-2", text("imap_user", t("channels.imapUser")), secret("imap_password", t("channels.imapPassword"))),
    h("div.grid-2", select("imap_tls", t("channels.imapSecurity")), text("imap_folder", t("channels.folder"))),
    h("div.grid-2", text("smtp_host", t("channels.smtpHost")), text("smtp_port", t("channels.smtpPort"), { type: "number" })),
    h("div.grid-2", text("smtp_user", t("channels.smtpUser")), secret("smtp_password", t("channels.smtpPassword"))),
    h("div.grid-2", select("smtp_tls", t("channels.smtpSecurity")),
      text("poll_seconds", t("channels.pollSeconds"), { type: "number" })),
    h("div.grid-2", text("from_address", t("channels.fromAddress"), { type: "email" }),
      text("from_name", t("channels.fromName"))),
    h("p.meta", t("email.certificates")),
  ];
}

function emailConfig(form) {
  const value = (name) => form.elements[name].value.trim();
  const config = {};
  for (const key of EMAIL_TEXT) config[key] = value(key);
  for (const key of EMAIL_NUMBERS) config[key] = value(key) === "" ? null : Number(value(key));
  for (const key of EMAIL_SECRETS) if (value(key)) config[key] = value(key); // blank: keep
  return config;
}

function apiFields(channel) {
  return [field(t("channels.webhookUrl"), h("input", { type: "url", name: "webhook_url",
    value: channel.config?.webhook_url || "", autocomplete: "off", placeholder: "https://crm.example/desk" }),
  t("channels.webhookHint"))];
}

const TYPES = {
  email: { fields: emailFields, config: emailConfig },
  api: { fields: apiFields, config: (form) => ({ webhook_url: form.elements.webhook_url.value.trim() || null }) },
  phone: { fields: () => [], config: () => null },
};

/** The channel's settings form; `onSaved(channel)` after a save the server accepted. */
export function channelEditor(channel, onSaved) {
  if (channel.type === "web_chat") {
    return webChatEditor(channel, store.workspace?.name || "", onSaved, nameField(channel));
  }
  const type = TYPES[channel.type] || TYPES.phone;
  const form = h("form.settings-form.channel-settings", { novalidate: true,
    "aria-label": t("email.settingsOf", { name: channel.name }) },
  nameField(channel), type.fields(channel),
  h("div.error-box", { role: "alert" }),
  h("div.row", h("button.btn.primary", { type: "submit" }, t("email.saveSettings"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const body = { name: form.elements.name.value.trim() };
    const config = type.config(form);
    if (config) body.config = config;
    try {
      const saved = await api.patch(`/api/channels/${channel.id}`, body);
      toast(channel.type === "email" && config ? t("email.savedReading", { name: saved.name })
        : t("channels.saved", { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      showFormError(form, err.field?.startsWith("config.") ? { ...err, message: err.message, field: err.field.slice(7) } : err);
    }
  });
  return form;
}
