/* Desk chat widget, one script, no build step (README: "The chat widget"). Optional on the tag:
   data-name, data-email, data-email-hmac. All of it lives in the shadow root of one <desk-chat>:
   page CSS cannot reach in, nothing reaches out (no globals or page styles, one storage key). */
(() => {
"use strict";
const script = document.currentScript || document.querySelector("script[data-desk-token]");
const TOKEN = script && script.getAttribute("data-desk-token");
if (!TOKEN || !window.fetch || document.querySelector("desk-chat")) return;
const BASE = script.src.replace(/\/widget\.js([?#].*)?$/, "");
const API = BASE + "/widget/" + encodeURIComponent(TOKEN);
const KEY = "desk.widget." + TOKEN;
const PAGE = 100; // the API's largest page of messages
const MAX_BODY = 5000;
const SILENCE_MS = 45000; // the server sends a heartbeat every 15 s: this long silent is dead
// Settings' live preview: the config given here, the panel open, no network, no storage.
const PREVIEW = script.hasAttribute("data-preview") && JSON.parse(script.getAttribute("data-preview"));

// The catalogue: every string a visitor sees, per language (tests check the keys match).
const I18N = /*i18n*/ {
  "en": {
    "chat": "Chat", "open": "Open chat", "close": "Close chat", "online": "Online",
    "away": "Away – we will reply as soon as we can",
    "unreachable": "We cannot be reached right now. Please try again later.",
    "retry": "Try again", "messages": "Messages", "message": "Message",
    "placeholder": "Write a message…", "send": "Send",
    "intro": "How can we reach you? (optional)", "name": "Name", "email": "Email",
    "you": "You", "team": "Team", "newReply": "New reply from {name}: {body}",
    "unread_one": "{n} unread message", "unread_other": "{n} unread messages",
    "sendFailed": "Your message was not sent. Please try again.",
    "tooFast": "You are sending messages too fast. Please wait {s} seconds.",
    "badEmail": "Please enter a valid email address.",
    "closed": "This conversation is closed. Write to us again any time."
  },
  "de": {
    "chat": "Chat", "open": "Chat öffnen", "close": "Chat schließen", "online": "Online",
    "away": "Außerhalb der Geschäftszeiten – wir antworten so bald wie möglich",
    "unreachable": "Wir sind gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.",
    "retry": "Erneut versuchen", "messages": "Nachrichten", "message": "Nachricht",
    "placeholder": "Nachricht schreiben…", "send": "Senden",
    "intro": "Wie erreichen wir Sie? (freiwillig)", "name": "Name", "email": "E-Mail",
    "you": "Sie", "team": "Team", "newReply": "Neue Antwort von {name}: {body}",
    "unread_one": "{n} ungelesene Nachricht", "unread_other": "{n} ungelesene Nachrichten",
    "sendFailed": "Ihre Nachricht wurde nicht gesendet. Bitte versuchen Sie es erneut.",
    "tooFast": "Sie senden zu schnell. Bitte warten Sie {s} Sekunden.",
    "badEmail": "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    "closed": "Dieses Gespräch ist abgeschlossen. Schreiben Sie uns jederzeit wieder."
  },
  "fr": {
    "chat": "Chat", "open": "Ouvrir le chat", "close": "Fermer le chat", "online": "En ligne",
    "away": "Absents pour le moment – nous répondrons dès que possible",
    "unreachable": "Nous ne sommes pas joignables pour le moment. Veuillez réessayer plus tard.",
    "retry": "Réessayer", "messages": "Messages", "message": "Message",
    "placeholder": "Écrivez un message…", "send": "Envoyer",
    "intro": "Comment vous recontacter ? (facultatif)", "name": "Nom", "email": "E-mail",
    "you": "Vous", "team": "Équipe", "newReply": "Nouvelle réponse de {name} : {body}",
    "unread_one": "{n} message non lu", "unread_other": "{n} messages non lus",
    "sendFailed": "Votre message n’a pas été envoyé. Veuillez réessayer.",
    "tooFast": "Vous envoyez des messages trop vite. Patientez {s} secondes.",
    "badEmail": "Veuillez saisir une adresse e-mail valide.",
    "closed": "Cette conversation est terminée. Écrivez-nous quand vous voulez."
  },
  "es": {
    "chat": "Chat", "open": "Abrir el chat", "close": "Cerrar el chat", "online": "En línea",
    "away": "Fuera de horario: responderemos lo antes posible",
    "unreachable": "Ahora mismo no podemos atenderte. Inténtalo de nuevo más tarde.",
    "retry": "Reintentar", "messages": "Mensajes", "message": "Mensaje",
    "placeholder": "Escribe un mensaje…", "send": "Enviar",
    "intro": "¿Cómo podemos contactarte? (opcional)", "name": "Nombre",
    "email": "Correo electrónico", "you": "Tú", "team": "Equipo",
    "newReply": "Nueva respuesta de {name}: {body}",
    "unread_one": "{n} mensaje sin leer", "unread_other": "{n} mensajes sin leer",
    "sendFailed": "Tu mensaje no se ha enviado. Inténtalo de nuevo.",
    "tooFast": "Estás enviando mensajes demasiado rápido. Espera {s} segundos.",
    "badEmail": "Introduce un correo electrónico válido.",
    "closed": "Esta conversación está cerrada. Escríbenos cuando quieras."
  }
} /*/i18n*/;

// The host page's language, else the browser's (the first one we speak), else English.
const tags = [document.documentElement.lang, ...(navigator.languages || [navigator.language])];
const LOCALE = tags.find((tag) => I18N[String(tag || "").toLowerCase().split("-")[0]]) || "en";
const LANG = LOCALE.toLowerCase().split("-")[0];
const plural = new Intl.PluralRules(LOCALE);
const t = (key, vars = {}) => I18N[LANG][key].replace(/\{(\w+)\}/g, (_, name) => vars[name]);
const timeFormat = new Intl.DateTimeFormat(LOCALE, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short" });
const relative = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });

// -- storage: the visitor token and what they have seen, in the host origin's localStorage --
let saved = {};
try { saved = PREVIEW ? {} : JSON.parse(localStorage.getItem(KEY)) || {}; } catch (_) { /* none */ }
const remember = (patch) => {
  saved = Object.assign({}, saved, patch);
  try { if (!PREVIEW) localStorage.setItem(KEY, JSON.stringify(saved)); } catch (_) { /* memory */ }
};
const identity = {
  name: script.getAttribute("data-name") || undefined,
  email: script.getAttribute("data-email") || undefined,
  email_hmac: script.getAttribute("data-email-hmac") || undefined,
};
if (identity.email && saved.who !== identity.email) remember({ visitor: null, seen: 0 });

// -- colour: the channel's, darkened for text surfaces until white on it reaches 4.5:1
const luminance = (rgb) => rgb.map((c) => (c /= 255) <= 0.03928 ? c / 12.92
  : ((c + 0.055) / 1.055) ** 2.4).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
const hex = (rgb) => "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
function palette(color) {
  const n = parseInt(/^#[0-9a-f]{6}$/i.test(color) ? color.slice(1) : "3b82f6", 16);
  let rgb = [n >> 16, (n >> 8) & 255, n & 255];
  const base = { brand: hex(rgb), icon: ratio(luminance(rgb), 1) >= 3 ? "#fff" : "#111" };
  if (luminance(rgb) > 0.4) return Object.assign(base, { surface: hex(rgb), ink: "#111" });
  while (ratio(luminance(rgb), 1) < 4.6) rgb = rgb.map((c) => c * 0.92);
  return Object.assign(base, { surface: hex(rgb), ink: "#fff" });
}

// -- the DOM, inside a shadow root
const h = (tag, props = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (value !== false && value != null) el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...children);
  return el;
};
const svg = (d, size = 20) => { // no innerHTML anywhere: pages enforcing Trusted Types work too
  const make = (tag, attrs) => {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    return el;
  };
  const el = make("svg", { viewBox: "0 0 24 24", width: size, height: size, "aria-hidden": "true",
    fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round" });
  el.append(make("path", { d }));
  return el;
};
const ICON_CHAT = "M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z";
const ICON_DOWN = "M6 9l6 6 6-6";
const ICON_SEND = "M5 12h13M13 6l6 6-6 6";
const ICON_FILE = "M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7";

const CSS = `
:host{all:initial!important;position:fixed!important;right:0!important;bottom:0!important;
 width:0!important;height:0!important;z-index:2147483000!important;display:block!important}
.w{--bg:#fff;--fg:#1b1d22;--muted:#565a63;--line:#dcdfe4;--team:#eef0f3;--field:#fff;
 --err:#b42318;font:400 14px/1.45 var(--font);color:var(--fg)}
@media (prefers-color-scheme:dark){.w{--bg:#1c1d21;--fg:#e7e8eb;--muted:#a7abb3;--line:#34373e;
 --team:#2a2c32;--field:#16171a;--err:#f28b82}}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button,input,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--brand);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.launcher,.close,.send{flex:none;display:grid;place-items:center;padding:0;border:0}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;
 background:var(--brand);color:var(--icon);box-shadow:0 4px 14px rgba(0,0,0,.22);transition:transform .15s}
.launcher:hover{transform:scale(1.05)}
.launcher svg+svg,.open .launcher svg:first-child{display:none}.open .launcher svg+svg{display:block}
.launcher:focus-visible{outline:3px solid var(--brand);outline-offset:3px}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;
 border-radius:10px;background:#b42318;color:#fff;font-size:12px;font-weight:600;line-height:20px;
 text-align:center;box-shadow:0 0 0 2px #fff}
.panel{position:fixed;right:20px;bottom:88px;width:360px;height:560px;max-height:calc(100vh - 108px);
 display:flex;flex-direction:column;background:var(--bg);border:1px solid var(--line);
 border-radius:12px;overflow:hidden;box-shadow:0 12px 36px rgba(0,0,0,.18);
 animation:rise .16s ease-out}
@keyframes rise{from{opacity:0;transform:translateY(8px)}}
.head{display:flex;align-items:flex-start;gap:8px;padding:14px 12px 14px 16px;
 background:var(--surface);color:var(--ink)}
.who-we{flex:1;min-width:0}
.title{margin:0;font-size:16px;font-weight:600;line-height:1.3;overflow-wrap:anywhere}
.state{margin:2px 0 0;font-size:13px;display:flex;align-items:center;gap:6px}
.dot{width:8px;height:8px;border-radius:50%;background:#9ca3af;box-shadow:0 0 0 2px var(--ink);flex:none}
.dot.on{background:#22c55e}
.close{width:32px;height:32px;border-radius:6px;background:none;color:var(--ink)}
.close:hover{background:rgba(127,127,127,.2)}
.close:focus-visible{outline-color:var(--ink)}
.body{flex:1;overflow-y:auto;padding:16px 12px 8px;display:flex;flex-direction:column;gap:10px;
 overscroll-behavior:contain}
.msgs,.files{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.m{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.m.me{align-self:flex-end;align-items:flex-end}
.name{font-size:12px;color:var(--muted);margin:0 0 2px 4px}
.bubble{padding:8px 12px;border-radius:10px;background:var(--team);white-space:pre-wrap;
 overflow-wrap:anywhere;border-bottom-left-radius:4px}
.me .bubble{background:var(--surface);color:var(--ink);border-radius:10px;border-bottom-right-radius:4px}
.bubble a{color:inherit;text-decoration:underline}
.time{font-size:12px;color:var(--muted);margin:2px 4px 0}
.files{margin-top:4px;gap:4px}
.file{display:flex;align-items:center;gap:6px;border:1px solid var(--line);background:var(--bg);
 border-radius:6px;padding:6px 8px;font-size:13px;max-width:100%;text-align:left}
.file span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.file img{display:block;max-width:220px;max-height:160px;border-radius:4px}
.intro{border:1px solid var(--line);border-radius:10px;padding:12px;display:grid;gap:8px}
.intro p{margin:0;font-size:13px;color:var(--muted)}
label{display:grid;gap:2px;font-size:12px;color:var(--muted)}
input{border:1px solid var(--line);border-radius:6px;padding:6px 8px;background:var(--field);font-size:14px}
input[aria-invalid=true]{border-color:var(--err)}
.note{margin:0;font-size:13px;color:var(--muted);text-align:center}
.alert{margin:0;font-size:13px;color:var(--err);display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.alert button{border:1px solid var(--line);background:var(--bg);border-radius:6px;padding:4px 10px;font-size:13px}
.composer{display:flex;align-items:flex-end;gap:8px;padding:8px 8px 8px 12px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;border:0;background:transparent;padding:8px 0;max-height:120px;
 min-height:38px;height:38px;line-height:22px;font-size:14px}
textarea:focus-visible{outline:none}
.composer:focus-within{box-shadow:inset 0 2px 0 -1px var(--brand)}
.send{width:38px;height:38px;border-radius:50%;background:var(--surface);color:var(--ink)}
.send:disabled{opacity:.5;cursor:default}
@media (max-width:479px){.panel{inset:0;width:auto;height:auto;max-height:none;border:0;border-radius:0}
 .open .launcher{display:none}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}.launcher{transition:none}
 .launcher:hover{transform:none}}`;

const host = document.createElement("desk-chat");
const shadow = host.attachShadow({ mode: "open" });
if (shadow.adoptedStyleSheets && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
  const sheet = new CSSStyleSheet(); // not an inline <style>, so a page's CSP cannot block it
  sheet.replaceSync(CSS);
  shadow.adoptedStyleSheets = [sheet];
} else {
  shadow.append(h("style", { text: CSS }));
}

const ui = {};
ui.badge = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
ui.launcher = h("button", { class: "launcher", type: "button", "aria-expanded": "false",
  "aria-controls": "desk-panel", onclick: () => (ui.panel.hidden ? openPanel() : closePanel(true)) },
svg(ICON_CHAT, 26), svg(ICON_DOWN, 28), ui.badge);
ui.title = h("h2", { class: "title", id: "desk-title" });
ui.dot = h("span", { class: "dot" });
ui.state = h("span");
ui.greeting = h("div", { class: "bubble" });
ui.name = h("input", { type: "text", autocomplete: "name", maxlength: "200" });
ui.email = h("input", { type: "email", autocomplete: "email", maxlength: "254",
  "aria-describedby": "desk-email-error" });
ui.emailError = h("span", { class: "alert", id: "desk-email-error" });
ui.intro = h("form", { class: "intro", onsubmit: (e) => { e.preventDefault(); ui.text.focus(); } },
  h("p", { text: t("intro") }),
  h("label", {}, t("name"), ui.name),
  h("label", {}, t("email"), ui.email), ui.emailError);
ui.list = h("ol", { class: "msgs", "aria-label": t("messages") });
ui.closed = h("p", { class: "note", text: t("closed"), hidden: true });
ui.problem = h("p", { class: "alert", role: "alert" });
ui.body = h("div", { class: "body" },
  h("div", { class: "m" }, ui.greeting), ui.intro, ui.list, ui.closed, ui.problem);
ui.text = h("textarea", { rows: "1", maxlength: String(MAX_BODY), "aria-label": t("message"),
  placeholder: t("placeholder"), oninput: grow, onkeydown: (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  } });
ui.send = h("button", { class: "send", type: "submit", "aria-label": t("send") }, svg(ICON_SEND));
ui.panel = h("div", { class: "panel", id: "desk-panel", role: "dialog", "aria-modal": "true",
  "aria-labelledby": "desk-title", hidden: true, onkeydown: trapKeys },
h("div", { class: "head" },
  h("div", { class: "who-we" }, ui.title, h("p", { class: "state" }, ui.dot, ui.state)),
  h("button", { class: "close", type: "button", "aria-label": t("close"),
    onclick: () => closePanel(true) }, svg(ICON_DOWN))),
ui.body,
h("form", { class: "composer", onsubmit: (e) => { e.preventDefault(); send(); } }, ui.text, ui.send));
ui.live = h("div", { class: "sr", "aria-live": "polite" });
ui.root = h("div", { class: "w", lang: LOCALE }, ui.launcher, ui.panel, ui.live);
shadow.append(ui.root);

// -- state
let config = saved.config || null;
let visitor = saved.visitor || null;
let reachable = false;
let gone = false; // the channel answered 404: deactivated or deleted
let lastId = 0;
let unread = 0;
let sending = false;
let stream = null;
let retryMs = 1000;
let retryTimer = 0;
const shown = new Map(); // message id -> its <li>

function paint() {
  const c = config || {};
  const colors = palette(c.color);
  for (const [name, value] of Object.entries(colors)) ui.root.style.setProperty("--" + name, value);
  let font = "";
  try { font = getComputedStyle(document.body).fontFamily; } catch (_) { /* no body yet */ }
  ui.root.style.setProperty("--font", (font ? font + "," : "") + "system-ui,-apple-system,'Segoe UI',Roboto,sans-serif");
  ui.title.textContent = c.workspace || t("chat");
  ui.greeting.textContent = c.greeting || "";
  ui.greeting.parentNode.hidden = !c.greeting;
  ui.state.textContent = t(c.online ? "online" : "away");
  ui.state.parentNode.hidden = !reachable;
  ui.dot.classList.toggle("on", reachable && !!c.online);
  ui.intro.hidden = !!(visitor || identity.email) || !reachable;
  ui.launcher.setAttribute("aria-label", unread
    ? t("open") + ", " + t("unread_" + plural.select(unread), { n: unread }) : t("open"));
  ui.badge.textContent = String(unread);
  ui.badge.hidden = !unread;
}

function problem(text, retry) {
  ui.problem.replaceChildren(text || "");
  if (text && retry) ui.problem.append(h("button", { type: "button", text: t("retry"), onclick: retry }));
}

// -- talking to Desk
async function call(path, { method = "GET", body, signal } = {}) {
  const headers = {};
  if (body) headers["Content-Type"] = "application/json";
  if (visitor) headers.Authorization = "Bearer " + visitor;
  const response = await fetch(API + path, { method, headers, signal, credentials: "omit",
    cache: "no-store", body: body && JSON.stringify(body) });
  if (response.status === 404 && !path.startsWith("/attachments/")) {
    gone = true; // the channel was switched off or deleted
    reachable = false;
  }
  return response;
}

async function json(path, options) {
  const response = await call(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw Object.assign(new Error(data.error || "HTTP " + response.status), {
      status: response.status, field: data.field,
      wait: parseInt(response.headers.get("Retry-After"), 10) || 60 });
  }
  return data;
}

async function load() {
  if (PREVIEW) {
    config = PREVIEW;
    reachable = true;
    paint();
    openPanel();
    return;
  }
  try {
    config = await json("/config?lang=" + encodeURIComponent(LANG));
    reachable = true;
    gone = false;
    remember({ config });
  } catch (_) {
    reachable = false; // offline, not allowed here, or switched off: the launcher says so
  }
  paint();
  problem(reachable ? "" : t("unreachable"), reachable ? null : load);
  if (reachable && visitor) listen();
}

function forget() { // the visitor is no longer known (their contact was erased)
  visitor = null;
  remember({ visitor: null, seen: 0 });
  shown.clear();
  ui.list.replaceChildren();
  lastId = unread = 0;
  if (stream) stream.abort();
  paint();
}

async function join() {
  const who = identity.email ? identity : {
    name: ui.name.value.trim() || identity.name, email: ui.email.value.trim() || undefined };
  const data = await json("/visitors", { method: "POST", body: who });
  visitor = data.visitor_token;
  remember({ visitor, who: identity.email || null, seen: 0 });
  paint();
}

async function catchUp() {
  for (;;) {
    const page = await json("/messages?after=" + lastId);
    page.items.forEach((item) => add(item, false));
    showStatus(page.status);
    if (page.items.length < PAGE) break;
  }
  countUnread();
}

// The live stream: fetch (not EventSource: the token goes in a header), parsed as SSE. Each
// (re)connection first waits for the server's "connected" comment, then catches up with
// after=<last id>: what arrived while away comes from the list, what comes later from the
// stream, and ids already shown are skipped, so nothing is missed or shown twice.
async function listen() {
  if (stream || !visitor || gone) return;
  const control = (stream = new AbortController());
  let timer = 0;
  let connected = false;
  const alive = () => { clearTimeout(timer); timer = setTimeout(() => control.abort(), SILENCE_MS); };
  try {
    const response = await call("/events", { signal: control.signal });
    if (response.status === 401) { forget(); return; }
    if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
    alive();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let event = {};
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      alive();
      if (!connected) {
        connected = true;
        retryMs = 1000;
        if (!reachable) { reachable = true; paint(); problem(""); }
        catchUp().catch(() => {});
      }
      buffer += decoder.decode(value, { stream: true });
      const end = buffer.endsWith("\r") ? buffer.length - 1 : buffer.length; // \r\n may split
      const lines = buffer.slice(0, end).split(/\r\n|\r|\n/);
      buffer = lines.pop() + buffer.slice(end);
      for (const line of lines) {
        if (!line) { dispatch(event); event = {}; continue; }
        const colon = line.indexOf(":");
        if (colon === 0) continue; // a comment: connected, heartbeat
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event.event = text;
        if (field === "data") event.data = event.data === undefined ? text : event.data + "\n" + text;
      }
    }
  } catch (_) {
    if (!connected && reachable) { // could not even connect: say so, keep trying quietly
      reachable = false;
      paint();
      problem(t("unreachable"), reconnect);
    }
  } finally {
    clearTimeout(timer);
    if (stream === control) stream = null;
  }
  if (gone) {
    paint();
    problem(t("unreachable"), load);
  } else if (visitor) {
    retryTimer = setTimeout(listen, retryMs + Math.random() * 500);
    retryMs = Math.min(retryMs * 2, 60000);
  }
}

function reconnect() {
  clearTimeout(retryTimer);
  retryMs = 1000;
  listen();
}

function dispatch(event) {
  let data;
  try { data = JSON.parse(event.data); } catch (_) { return; }
  if (event.event === "message.created") {
    if (add(data, true) && data.type === "outgoing") countUnread();
  } else if (event.event === "conversation.updated") {
    showStatus(data.status);
  }
}

async function send() {
  const body = ui.text.value.trim();
  if (!body || sending) return;
  if (PREVIEW) {
    add({ id: shown.size + 1, type: "incoming", body, created_at: new Date().toISOString() });
    ui.text.value = "";
    return;
  }
  sending = true;
  ui.send.disabled = true;
  problem("");
  ui.emailError.textContent = "";
  ui.email.removeAttribute("aria-invalid");
  try {
    if (!visitor) await join();
    let message;
    try {
      message = await json("/messages", { method: "POST", body: { body } });
    } catch (error) {
      if (error.status !== 401) throw error;
      forget(); // the server no longer knows this visitor: start afresh, once
      await join();
      message = await json("/messages", { method: "POST", body: { body } });
    }
    ui.text.value = "";
    grow();
    add(message, false);
    markSeen();
    listen();
  } catch (error) {
    if (error.status === 400 && error.field === "email") {
      ui.emailError.textContent = t("badEmail");
      ui.email.setAttribute("aria-invalid", "true");
      ui.email.focus();
    } else {
      problem(error.status === 429 ? t("tooFast", { s: error.wait })
        : error.status ? t("sendFailed") : t("unreachable"));
    }
  } finally {
    sending = false;
    ui.send.disabled = false;
  }
}

// -- messages
function when(iso) {
  const date = new Date(iso);
  const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(new Date()) - midnight(date)) / 864e5);
  const day = days === 0 ? "" : days === 1 ? relative.format(-1, "day") : dayFormat.format(date);
  return (day ? day + " " : "") + timeFormat.format(date);
}

function linkify(text) { // bodies are text: links become <a> elements, nothing else is markup
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g)) {
    parts.push(text.slice(last, match.index));
    parts.push(h("a", { href: match[0], target: "_blank", rel: "noopener noreferrer nofollow",
      text: match[0] }));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function firstName(sender) {
  return ((sender && sender.name) || "").trim().split(/\s+/)[0] || t("team");
}

function add(message, live) {
  if (!message || typeof message.id !== "number" || shown.has(message.id)) return false;
  const mine = message.type === "incoming";
  const author = mine ? "" : firstName(message.sender);
  const item = h("li", { class: mine ? "m me" : "m", "data-id": message.id, "data-author": author });
  let before = null; // keep id order even if a catch-up and the stream interleave
  for (const [id, el] of shown) if (id > message.id && (!before || id < +before.dataset.id)) before = el;
  const previous = before ? before.previousElementSibling : ui.list.lastElementChild;
  if (!mine && (!previous || previous.dataset.author !== author)) {
    item.append(h("span", { class: "name", text: author }));
  }
  if (mine) item.append(h("span", { class: "sr", text: t("you") + ":" }));
  if (message.body) item.append(h("div", { class: "bubble" }, ...linkify(message.body)));
  if (message.attachments && message.attachments.length) item.append(files(message.attachments));
  item.append(h("time", { class: "time", datetime: message.created_at, text: when(message.created_at) }));
  const atEnd = ui.body.scrollHeight - ui.body.scrollTop - ui.body.clientHeight < 80;
  ui.list.insertBefore(item, before);
  shown.set(message.id, item);
  lastId = Math.max(lastId, message.id);
  if (atEnd || mine) ui.body.scrollTop = ui.body.scrollHeight;
  if (live && !mine) {
    ui.live.textContent = t("newReply", { name: author, body: (message.body || "").slice(0, 200) });
  }
  return true;
}

function files(attachments) {
  return h("ul", { class: "files" }, ...attachments.map((file) => {
    const button = h("button", { class: "file", type: "button", onclick: () => download(file) },
    svg(ICON_FILE, 16), h("span", { text: file.filename }));
    if (/^image\/(png|jpeg|gif|webp)$/.test(file.content_type) && file.size < 5e6) {
      fetchFile(file).then((url) => url && button.replaceChildren(h("img", { src: url, alt: file.filename })));
    }
    return h("li", {}, button);
  }));
}

async function fetchFile(file) {
  try {
    const response = await call("/attachments/" + file.id);
    return response.ok ? URL.createObjectURL(await response.blob()) : null;
  } catch (_) {
    return null;
  }
}

async function download(file) {
  const url = await fetchFile(file);
  if (!url) { problem(t("unreachable")); return; }
  const link = h("a", { href: url, download: file.filename });
  shadow.append(link);
  link.click();
  link.remove();
}

function showStatus(status) { ui.closed.hidden = status !== "resolved"; }

function countUnread() {
  if (!ui.panel.hidden && !document.hidden) { markSeen(); return; }
  const seen = saved.seen || 0;
  unread = [...shown].filter(([id, el]) => id > seen && !el.classList.contains("me")).length;
  paint();
}

function markSeen() {
  if (lastId > (saved.seen || 0)) remember({ seen: lastId });
  if (unread) { unread = 0; paint(); }
}

// -- the panel
function openPanel() {
  ui.panel.hidden = false;
  ui.root.classList.add("open");
  ui.launcher.setAttribute("aria-expanded", "true");
  ui.body.scrollTop = ui.body.scrollHeight;
  markSeen();
  ui.text.focus();
  if (!reachable && !gone) load();
}

function closePanel(returnFocus) {
  ui.panel.hidden = true;
  ui.root.classList.remove("open");
  ui.launcher.setAttribute("aria-expanded", "false");
  if (returnFocus) ui.launcher.focus();
}

function trapKeys(event) { // Escape closes; Tab cycles inside the open panel
  if (event.key === "Escape") { event.stopPropagation(); closePanel(true); return; }
  if (event.key !== "Tab") return;
  const items = [...ui.panel.querySelectorAll("button,input,textarea,a[href]")]
    .filter((el) => !el.disabled && el.getClientRects().length);
  const first = items[0];
  const last = items[items.length - 1];
  const active = shadow.activeElement;
  if (event.shiftKey && (active === first || !ui.panel.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

function grow() {
  ui.text.style.height = "auto";
  ui.text.style.height = Math.min(ui.text.scrollHeight, 120) + "px";
}

document.addEventListener("visibilitychange", () => { if (!document.hidden) countUnread(); });
(document.body || document.documentElement).append(host);
host.setAttribute("data-token", TOKEN);
paint();
load();
})();
