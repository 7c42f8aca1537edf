// Settings → Channels, the parts about connections: each channel's health (with its last
// error), and for an email channel "Test connection" (POST /api/channels/{id}/check, sends
// nothing) and every IMAP/SMTP setting to edit. A password left blank keeps its value.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { fullTime, relativeTime } from "../../lib/format.js";
import { toast } from "../../components/toast.js";

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
  if (!channel.active) state = h("span.chip", "Paused");
  else if (channel.type === "api" && health.ok && !health.last_success_at) state = null;
  else if (health.ok) state = h("span.chip.ok", icon("resolved"), channel.type === "api" ? "Delivering" : "Connected");
  else if (health.last_error) state = h("span.chip.bad", icon("alert"), "Not working");
  else state = h("span.chip", "Not checked yet");
  const facts = [];
  if (channel.type === "email" && health.last_poll_at) facts.push(["Mailbox read ", when(health.last_poll_at)]);
  else if (channel.type === "email") facts.push("Mailbox never read");
  else if (health.last_success_at) facts.push(["Last delivered ", when(health.last_success_at)]);
  else facts.push("No replies delivered yet");
  if (channel.type === "email" && health.dropped) facts.push(`${health.dropped} automatic or bulk emails ignored`);
  const error = health.last_error
    ? h("div.health-error", { class: health.ok ? "past" : "" },
      h("strong", health.ok ? "Last error " : "Error "), health.last_error_at ? when(health.last_error_at) : null,
      ": ", health.last_error)
    : null;
  return h("div.health", { "aria-label": "Connection" }, h("div.row", state,
    facts.map((fact, i) => [i || state ? " · " : "", h("span.meta", fact)])), error);
}

function checkResult(label, side) {
  return h("div.check-side", { class: side.ok ? "ok" : "bad" }, icon(side.ok ? "resolved" : "alert"),
    h("strong", label), side.ok ? " works" : [": ", side.error]);
}

/** The email channel's Test connection button and settings form. */
export function emailTools(channel, reload) {
  const result = h("div.check-result", { role: "status" });
  const test = h("button.btn.small", { type: "button" }, icon("retry"), "Test connection");
  test.addEventListener("click", async () => {
    test.disabled = true;
    clear(result, "Connecting to the IMAP and SMTP servers…");
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
  const edit = h("button.btn.small", { type: "button", "aria-expanded": "false" }, "Edit settings");
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
  const select = (name, label) => field(label, h("select", { name }, TLS.map((t) => h("option", { value: t, selected: t === c[name] }, t))));
  const secret = (name, label) => text(name, label, { type: "password", value: "",
    placeholder: c[`${name}_set`] ? "•••••••• (unchanged)" : "not set",
    hint: c[`${name}_set`] ? "Leave blank to keep the saved password." : null });
  const form = h("form.settings-form.email-settings", { novalidate: true, hidden: true, "aria-label": `${channel.name} settings` },
    h("div.grid-2", text("imap_host", "IMAP host"), text("imap_port", "IMAP port", { type: "number" })),
    h("div.grid-2", text("imap_user", "IMAP user"), secret("imap_password", "IMAP password")),
    h("div.grid-2", select("imap_tls", "IMAP security"), text("imap_folder", "Folder")),
    h("div.grid-2", text("smtp_host", "SMTP host"), text("smtp_port", "SMTP port", { type: "number" })),
    h("div.grid-2", text("smtp_user", "SMTP user"), secret("smtp_password", "SMTP password")),
    h("div.grid-2", select("smtp_tls", "SMTP security"), text("poll_seconds", "Check every (seconds)", { type: "number" })),
    h("div.grid-2", text("from_address", "From address", { type: "email" }), text("from_name", "From name")),
    h("p.meta", "Certificates are checked. For a server with a self-signed certificate, copy its certificate into the “trusted-certs” folder of Desk's data folder."),
    h("div.error-box", { role: "alert" }),
    h("div.row", h("button.btn.primary", { type: "submit" }, "Save settings")));
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
      toast(`${channel.name} saved; reading the mailbox now`);
      await reload();
    } catch (err) {
      showFormError(form, err.field?.startsWith("config.") ? { ...err, field: err.field.slice(7) } : err);
    }
  });
  return form;
}
