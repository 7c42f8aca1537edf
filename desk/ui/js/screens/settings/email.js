// Settings → Channels, the parts about connections: each channel's health (with its last
// error), and for an email channel "Test connection" (POST /api/channels/{id}/check, sends
// nothing) and every IMAP/SMTP setting to edit. A password left blank keeps its value.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { fullTime, relativeTime } from "../../lib/format.js";
import { toast } from "../../components/toast.js";
import { t, tParts } from "../../lib/i18n.js";

const TLS = ["ssl", "starttls", "none"];
const TEXT_KEYS = ["imap_host", "imap_user", "imap_tls", "imap_folder", "smtp_host", "smtp_user", "smtp_tls",
  "from_address", "from_name"];
const NUMBER_KEYS = ["imap_port", "smtp_port", "poll_seconds"];
const SECRET_KEYS = ["imap_password", "smtp_password"];

/** One line: healthy or not, since when, and the last error in the server's words. */
export function healthLine(channel) {
  const health = channel.health;
  if (!health || channel.type === "phone" || channel.type === "web_chat") return null;
  const when = (iso) => h("time", { datetime: iso, title: fullTime(iso) }, relativeTime(iso));
  let state;
  if (!channel.active) state = h("span.chip", t("health.paused"));
  else if (channel.type === "api" && health.ok && !health.last_success_at) state = null;
  else if (health.ok) state = h("span.chip.ok", icon("resolved"), channel.type === "api" ? t("health.delivering") : t("health.connected"));
  else if (health.last_error) state = h("span.chip.bad", icon("alert"), t("health.notWorking"));
  else state = h("span.chip", t("health.notChecked"));
  const facts = [];
  if (channel.type === "email" && health.last_poll_at) facts.push(tParts("health.mailboxRead", { when: when(health.last_poll_at) }));
  else if (channel.type === "email") facts.push(t("health.neverRead"));
  else if (health.last_success_at) facts.push(tParts("health.lastDelivered", { when: when(health.last_success_at) }));
  else facts.push(t("health.noneDelivered"));
  if (channel.type === "email" && health.dropped) facts.push(t("health.dropped", { count: health.dropped }));
  // The words before the error are strong, the error itself in the server's words.
  const error = health.last_error
    ? h("div.health-error", { class: health.ok ? "past" : "" },
      tParts(health.ok ? "health.lastError" : "health.error", {
        when: health.last_error_at ? when(health.last_error_at) : h("span"),
        error: h("span", health.last_error),
      }))
    : null;
  return h("div.health", { "aria-label": t("health.connection") }, h("div.row", state,
    facts.map((fact, i) => [i || state ? " · " : "", h("span.meta", fact)])), error);
}

function checkResult(label, side) {
  return h("div.check-side", { class: side.ok ? "ok" : "bad" }, icon(side.ok ? "resolved" : "alert"),
    side.ok ? tParts("health.works", { side: h("strong", label) })
      : tParts("health.fails", { side: h("strong", label), error: h("span", side.error) }));
}

/** The email channel's Test connection button and settings form. */
export function emailTools(channel, reload) {
  const result = h("div.check-result", { role: "status" });
  const test = h("button.btn.small", { type: "button" }, icon("retry"), t("email.test"));
  test.addEventListener("click", async () => {
    test.disabled = true;
    clear(result, t("email.connecting"));
    try {
      const answer = await api.post(`/api/channels/${channel.id}/check`);
      clear(result, checkResult("IMAP", answer.imap), checkResult("SMTP", answer.smtp));
    } catch (err) {
      clear(result, h("div.error-text", err.message));
    } finally {
      test.disabled = false;
    }
  });
  const form = settingsForm(channel, reload);
  const edit = h("button.btn.small", { type: "button", "aria-expanded": "false" }, t("email.edit"));
  edit.addEventListener("click", () => {
    form.hidden = !form.hidden;
    edit.setAttribute("aria-expanded", String(!form.hidden));
  });
  return [h("div.row", test, edit), result, form];
}

function settingsForm(channel, reload) {
  const c = channel.config || {};
  const text = (name, label, opts = {}) => field(label,
    h("input", { type: opts.type || "text", name, value: opts.value ?? c[name] ?? "", autocomplete: "off",
      placeholder: opts.placeholder }), opts.hint);
  const select = (name, label) => field(label, h("select", { name }, TLS.map((tls) => h("option", { value: tls, selected: tls === c[name] }, tls === "none" ? t("channels.tlsNone") : tls))));
  const secret = (name, label) => text(name, label, { type: "password", value: "",
    placeholder: c[`${name}_set`] ? t("email.unchanged") : t("email.notSet"),
    hint: c[`${name}_set`] ? t("email.keepPassword") : null });
  const form = h("form.settings-form.email-settings", { novalidate: true, hidden: true, "aria-label": t("email.settingsOf", { name: channel.name }) },
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
    h("div.error-box", { role: "alert" }),
    h("div.row", h("button.btn.primary", { type: "submit" }, t("email.saveSettings"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const value = (name) => form.elements[name].value.trim();
    const config = {};
    for (const key of TEXT_KEYS) config[key] = value(key);
    for (const key of NUMBER_KEYS) config[key] = value(key) === "" ? null : Number(value(key));
    for (const key of SECRET_KEYS) if (value(key)) config[key] = value(key); // blank: keep
    try {
      await api.patch(`/api/channels/${channel.id}`, { config });
      toast(t("email.savedReading", { name: channel.name }));
      await reload();
    } catch (err) {
      showFormError(form, err.field?.startsWith("config.") ? { ...err, field: err.field.slice(7) } : err);
    }
  });
  return form;
}
