// Settings → Channels (admin): add, switch on/off, delete; show what's needed to wire each up.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS } from "../../components/icons.js";
import { plural } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { copyText, toast } from "../../components/toast.js";
import { emailTools, healthLine } from "./email.js";
import { webChatEditor } from "./webchat.js";

const TLS = ["ssl", "starttls", "none"];
const HEALTH_REFRESH_MS = 3000;

function copyField(label, value) {
  return h("div.copy-field", h("div.label", label),
    h("div.row", h("code.mono.copy-value", value),
      h("button.btn.small", { type: "button", "aria-label": `Copy ${label}`, onclick: () => copyText(value) }, icon("copy"), "Copy")));
}

function wiring(channel) {
  const c = channel.config || {};
  if (channel.type === "api") {
    return [c.inbound_url && copyField("Inbound URL (POST messages here)", new URL(c.inbound_url, location.origin).href),
      c.signing_secret && copyField("Signing secret (verifies our webhooks)", c.signing_secret),
      h("p.meta", c.webhook_url ? `Replies are POSTed to ${c.webhook_url}` : "No webhook URL: replies are not sent anywhere.")];
  }
  if (channel.type === "web_chat") {
    return [c.embed_snippet && copyField("Embed snippet (paste before </body>)", c.embed_snippet),
      c.identity_secret && copyField("Identity secret (signs a signed-in visitor's email on your server)", c.identity_secret),
      !c.allowed_origins?.length && h("p.meta", "No allowed websites yet: no page can show this chat until you add one below.")];
  }
  if (channel.type === "email") return [h("p.meta", `${c.imap_user || ""} · IMAP ${c.imap_host}:${c.imap_port} · SMTP ${c.smtp_host}:${c.smtp_port}`)];
  return [h("p.meta", "Log calls with “New” in the inbox.")];
}

function configFields(type) {
  const text = (name, label, opts = {}) => field(label, h("input", { type: opts.type || "text", name, value: opts.value ?? "", autocomplete: "off" }), opts.hint);
  const select = (name, label, value) => field(label, h("select", { name }, TLS.map((t) => h("option", { value: t, selected: t === value }, t))));
  if (type === "api") return [text("webhook_url", "Webhook URL for replies", { type: "url", hint: "Optional. Where we POST replies, signed with the channel's secret." })];
  if (type === "web_chat") {
    return [text("allowed_origins", "Allowed websites", { hint: "Comma-separated origins, e.g. https://shop.example" }),
      text("greeting", "Greeting", { value: "Hi! How can we help?" }), text("color", "Colour", { value: "#3b82f6" })];
  }
  if (type === "email") {
    return [h("div.grid-2", text("imap_host", "IMAP host"), text("imap_port", "IMAP port", { type: "number", value: "993" })),
      h("div.grid-2", text("imap_user", "IMAP user"), text("imap_password", "IMAP password", { type: "password" })),
      h("div.grid-2", select("imap_tls", "IMAP security", "ssl"), text("imap_folder", "Folder", { value: "INBOX" })),
      h("div.grid-2", text("smtp_host", "SMTP host"), text("smtp_port", "SMTP port", { type: "number", value: "465" })),
      h("div.grid-2", text("smtp_user", "SMTP user"), text("smtp_password", "SMTP password", { type: "password" })),
      h("div.grid-2", select("smtp_tls", "SMTP security", "ssl"), text("poll_seconds", "Check every (seconds)", { type: "number", value: "60" })),
      h("div.grid-2", text("from_address", "From address", { type: "email" }), text("from_name", "From name"))];
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
  const name = h("input", { type: "text", name: "name", placeholder: "e.g. Support phone" });
  const extra = h("div");
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": "Add a channel" },
    h("h3", "Add a channel"), h("div.grid-2", field("Type", type), field("Name", name)), extra,
    h("div.error-box", { role: "alert" }), h("div.row", h("button.btn.primary", { type: "submit" }, icon("plus"), "Add channel")));
  const syncType = () => clear(extra, configFields(type.value));
  type.addEventListener("change", syncType);
  syncType();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    try {
      const channel = await api.post("/api/channels", { name: name.value.trim(), type: type.value, config: readConfig(type.value, form), active: true });
      toast(`Channel “${channel.name}” added`);
      form.reset();
      syncType();
      await Promise.all([load(), store.loadWorkspace()]);
    } catch (err) {
      showFormError(form, err.field?.startsWith("config.") ? { ...err, message: err.message, field: err.field.slice(7) } : err);
    }
  });
  body.append(h("div.settings-form", h("h2", "Channels"), h("p.muted", "Where conversations come in and replies go out.")), list, form);

  async function load() {
    try {
      const page = await api.get("/api/channels", { per_page: 100 });
      clear(list, page.items.length ? page.items.map(card) : h("p.muted", "No channels yet."));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(channel) {
    const error = h("div.error-text", { role: "alert" });
    const active = h("input", { type: "checkbox", checked: channel.active, "aria-label": `${channel.name} active` });
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
    const article = h("article.item-card", { "aria-label": channel.name },
      h("div.row", icon(channel.type), h("h3", channel.name), h("span.chip", CHANNEL_LABELS[channel.type]), h("div.spacer"),
        h("label.check", active, "Active"),
        h("button.btn.small.danger", { type: "button", onclick: () => remove(channel) }, icon("trash"), "Delete")),
      wiring(channel), h("div.health-slot", { dataset: { channel: channel.id } }, healthLine(channel)),
      channel.type === "email" ? emailTools(channel, load) : null, error);
    if (channel.type === "web_chat") {
      const editor = h("details.webchat-details", h("summary", "Chat settings and preview"));
      editor.addEventListener("toggle", () => {
        if (!editor.open || editor.querySelector(".webchat-editor")) return;
        editor.append(webChatEditor(channel, store.workspace?.name || "", (saved) => {
          const next = card(saved);
          next.querySelector("details").open = true;
          article.replaceWith(next);
        }));
      });
      article.append(editor);
    }
    return article;
  }

  async function remove(channel) {
    const count = await api.get("/api/conversations", { channel_id: channel.id, status: "all", per_page: 1 })
      .then((p) => p.total).catch(() => null);
    const done = await confirmDanger({
      title: `Delete ${channel.name}?`,
      message: count ? `This erases the channel and its ${plural(count, "count.conversations")} with all their messages.`
        : "This deletes the channel. No conversations use it.",
      confirm: count ? `Delete channel and ${plural(count, "count.conversations")}` : "Delete channel",
      run: () => api.del(`/api/channels/${channel.id}`, count ? { force: "true" } : undefined),
    });
    if (done) {
      toast(`${channel.name} was deleted`);
      await Promise.all([load(), store.loadWorkspace()]);
    }
  }

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
