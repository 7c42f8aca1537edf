// Settings → Channels → a web chat channel: what the website needs (snippet, identity secret),
// which websites may show it, its greeting per language and colour, and a live preview of
// the widget itself (widget.js in preview mode: no network, nothing stored).
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { toast } from "../../components/toast.js";
import { language, t } from "../../lib/i18n.js";

// The languages the widget speaks itself; a greeting may be given for any of these and more.
const WIDGET_LANGUAGES = ["en", "de", "fr", "es"];
const MORE_LANGUAGES = ["it", "nl", "pt", "pl", "sv", "da", "nb", "fi", "cs", "tr"];
// In the agent's language ("Deutsch" for an English agent is "German").
const languageName = (code) => new Intl.DisplayNames(language(), { type: "language" }).of(code) || code;

function escapeAttr(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The preview document: a blank page with the widget, open, showing this config. */
function previewDocument(channel, look, lang) {
  const src = new URL("/widget.js", location.origin).href;
  return `<!doctype html><html lang="${escapeAttr(lang)}"><head><meta charset="utf-8">`
    + `<title>Preview</title></head><body><script src="${escapeAttr(src)}" `
    + `data-desk-token="${escapeAttr(channel.config.public_token)}" `
    + `data-preview="${escapeAttr(JSON.stringify(look))}"></script></body></html>`;
}

function greetingRow(language, text, onChange) {
  const select = h("select", { "aria-label": t("webchat.language") },
    [...WIDGET_LANGUAGES, ...MORE_LANGUAGES].filter((code) => code !== "en")
      .map((code) => h("option", { value: code, selected: code === language }, languageName(code))));
  const input = h("input", { type: "text", value: text, "aria-label": t("webchat.greetingIn"), maxlength: 500 });
  const row = h("div.greeting-row", select, input,
    h("button.btn.small.icon-only", { type: "button", "aria-label": t("webchat.removeGreeting"),
      onclick: () => { row.remove(); onChange(); } }, icon("x")));
  select.addEventListener("change", onChange);
  input.addEventListener("input", onChange);
  return row;
}

/** The chat's settings form and preview; `nameField` (the channel's name) goes on top. */
export function webChatEditor(channel, workspaceName, onSaved, nameField = null) {
  const c = channel.config;
  const origins = h("textarea", { name: "allowed_origins", rows: 3, value: (c.allowed_origins || []).join("\n"),
    placeholder: "https://shop.example" });
  const greeting = h("input", { type: "text", name: "greeting", value: c.greeting || "", maxlength: 500 });
  const color = h("input", { type: "color", name: "color", value: c.color || "#3b82f6", "aria-label": t("channels.colour") });
  const colorText = h("input.mono", { type: "text", value: c.color || "#3b82f6", "aria-label": t("webchat.colourHex"),
    maxlength: 7, size: 8 });
  const rows = h("div.greetings");
  const previewLang = h("select", { "aria-label": t("webchat.previewLanguage") },
    WIDGET_LANGUAGES.map((code) => h("option", { value: code }, languageName(code))));
  const frame = h("iframe.widget-preview", { title: t("webchat.previewTitle"), loading: "lazy" });

  const greetings = () => Object.fromEntries([...rows.querySelectorAll(".greeting-row")]
    .map((row) => [row.querySelector("select").value, row.querySelector("input").value.trim()])
    .filter(([, text]) => text));
  let timer = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const lang = previewLang.value;
      const text = greetings()[lang] || greeting.value.trim() || "Hi! How can we help?";
      frame.srcdoc = previewDocument(channel, { workspace: workspaceName, greeting: text,
        color: /^#[0-9a-f]{6}$/i.test(colorText.value) ? colorText.value : color.value, online: true }, lang);
    }, 150);
  };
  const addRow = (language, text) => rows.append(greetingRow(language, text, refresh));
  for (const [language, text] of Object.entries(c.greetings || {})) addRow(language, text);
  color.addEventListener("input", () => { colorText.value = color.value; refresh(); });
  colorText.addEventListener("input", () => {
    if (/^#[0-9a-f]{6}$/i.test(colorText.value)) color.value = colorText.value.toLowerCase();
    refresh();
  });
  for (const control of [greeting, previewLang]) control.addEventListener("input", refresh);
  previewLang.addEventListener("change", refresh);

  const form = h("form.webchat-form", { novalidate: true, "aria-label": t("email.settingsOf", { name: channel.name }) },
    nameField,
    field(t("channels.allowed"), origins, t("webchat.originsHint")),
    field(t("channels.greeting"), greeting, t("webchat.greetingHint")),
    h("div.field", h("div.label", t("webchat.otherLanguages")), rows,
      h("div.row", h("button.btn.small", { type: "button", onclick: () => {
        const used = new Set(Object.keys(greetings()));
        addRow([...WIDGET_LANGUAGES, ...MORE_LANGUAGES].find((code) => code !== "en" && !used.has(code)) || "de", "");
        rows.lastElementChild.querySelector("input").focus();
      } }, icon("plus"), t("webchat.addLanguage")))),
    h("div.field", h("div.label", t("channels.colour")), h("div.row.color-row", color, colorText)),
    h("div.error-box", { role: "alert" }),
    h("div.row", h("button.btn.primary", { type: "submit" }, t("webchat.save"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const config = {
      allowed_origins: origins.value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean),
      greeting: greeting.value.trim(), greetings: greetings(), color: colorText.value.trim(),
    };
    try {
      const body = form.elements.name ? { name: form.elements.name.value.trim(), config } : { config };
      const saved = await api.patch(`/api/channels/${channel.id}`, body);
      toast(t("webchat.saved", { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      const name = err.field?.startsWith("config.") ? err.field.slice(7).split(".")[0] : err.field;
      showFormError(form, { ...err, message: err.message, field: name });
    }
  });
  refresh();
  return h("div.webchat-editor", form,
    h("div.preview-pane", h("div.row", h("h4", t("webchat.preview")), h("div.spacer"), previewLang), frame));
}
