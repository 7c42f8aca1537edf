// The agent UI's words, in the agent's language: t(key, params) looks a key up in the
// catalogue desk/ui/i18n/<language>.json (English fills any gap), and the Intl formats give
// numbers, dates and times in that language and in the workspace's timezone.
//
// Catalogues are flat: "inbox.empty": "No conversations". A {name} in the text is replaced by
// params.name (numbers formatted for the language). Plurals follow Intl.PluralRules: the key
// "inbox.count" with params.count looks up "inbox.count_one", "inbox.count_few", … and falls
// back to "inbox.count_other". tests/test_i18n.py checks that every catalogue has every key
// of en.json, the same {placeholders}, and that every key the code names exists.
//
// Call t() when drawing, never at a module's top level: the catalogue is loaded at boot,
// after the modules are imported.

export const LANGUAGES = { en: "English", de: "Deutsch", fr: "Français", es: "Español" };
const STORAGE_KEY = "desk.language";

let current = "en";
let messages = {};
let english = {};
let timeZone;
let rules = new Intl.PluralRules("en");
const numberFormats = new Map();

/** The language code of the first browser language Desk speaks, else English. */
export function browserLanguage(tags = navigator.languages || [navigator.language]) {
  for (const tag of tags) {
    const code = String(tag || "").toLowerCase().split("-")[0];
    if (Object.hasOwn(LANGUAGES, code)) return code;
  }
  return "en";
}

/** The language to start in before the agent is known: the one last used here, else the browser's. */
export function startingLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    saved = null;
  }
  return saved && Object.hasOwn(LANGUAGES, saved) ? saved : browserLanguage();
}

async function fetchCatalogue(code) {
  const response = await fetch(`/i18n/${code}.json`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`The ${code} catalogue did not load (${response.status}).`);
  return response.json();
}

/** Load `code`'s catalogue (and English beneath it) and speak it from now on. */
export async function useLanguage(code) {
  const wanted = Object.hasOwn(LANGUAGES, code) ? code : browserLanguage();
  const [base, own] = await Promise.all([
    Object.keys(english).length ? english : fetchCatalogue("en"),
    wanted === "en" ? null : fetchCatalogue(wanted).catch(() => null),
  ]);
  english = base;
  messages = own || english;
  current = messages === english ? "en" : wanted;
  rules = new Intl.PluralRules(current);
  numberFormats.clear();
  document.documentElement.lang = current;
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // private mode: remembered for this page only
  }
  return current;
}

export function language() {
  return current;
}

/** Dates and times are shown in this timezone (the workspace's), else the browser's. */
export function setTimeZone(zone) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone || undefined });
    timeZone = zone || undefined;
  } catch {
    timeZone = undefined; // an unknown zone name: the browser's own
  }
}

export function currentTimeZone() {
  return timeZone;
}

function lookup(key) {
  if (Object.hasOwn(messages, key)) return messages[key];
  if (Object.hasOwn(english, key)) return english[key];
  return undefined;
}

/** Is there a message for `key` (or its plural forms)? */
export function has(key) {
  return lookup(key) !== undefined || lookup(`${key}_other`) !== undefined;
}

/** The message `key` in the agent's language, its {placeholders} filled from `params`. */
export function t(key, params = {}) {
  let text;
  if (typeof params.count === "number") {
    text = lookup(`${key}_${rules.select(params.count)}`) ?? lookup(`${key}_other`);
  }
  text ??= lookup(key);
  if (text === undefined) {
    console.warn(`i18n: no message "${key}"`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name];
    return typeof value === "number" ? formatNumber(value) : String(value ?? "");
  });
}

export function formatNumber(value, options = {}) {
  const id = JSON.stringify(options);
  if (!numberFormats.has(id)) numberFormats.set(id, new Intl.NumberFormat(current, options));
  return numberFormats.get(id).format(value);
}

/** A date and/or time in the agent's language and the workspace's timezone. */
export function formatDate(date, options = {}) {
  return new Intl.DateTimeFormat(current, { timeZone, ...options }).format(date);
}

/** The calendar day of `date` in the workspace's timezone, as "YYYY-MM-DD" (for comparing days). */
export function dayKey(date) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(date);
}

/** "a, b and c" in the agent's language. */
export function formatList(items, type = "conjunction") {
  return new Intl.ListFormat(current, { style: "long", type }).format(items);
}

/** A calendar day "YYYY-MM-DD" (already a day in the workspace's timezone) in the language. */
export function formatDay(isoDate, options = { day: "numeric", month: "short" }) {
  const [year, month, day] = String(isoDate).split("-").map(Number);
  return new Intl.DateTimeFormat(current, { ...options, timeZone: "UTC" })
    .format(new Date(Date.UTC(year, month - 1, day, 12)));
}

/** The weekday names Monday first, e.g. ["Mo", "Di", …] with { weekday: "short" }. */
export function weekdays(style = "short") {
  const format = new Intl.DateTimeFormat(current, { weekday: style, timeZone: "UTC" });
  return [1, 2, 3, 4, 5, 6, 7].map((day) => format.format(new Date(Date.UTC(2024, 0, day, 12))));
}

/**
 * The message as a list of pieces for h(): a {placeholder} whose param is a DOM node (a link,
 * a <code>) stays that node, so a sentence keeps its words in the language's order.
 */
export function tParts(key, params = {}) {
  const nodes = {};
  const plain = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof Node !== "undefined" && value instanceof Node) nodes[name] = value;
    else plain[name] = value;
  }
  return t(key, plain).split(/(\{\w+\})/).filter(Boolean)
    .map((piece) => nodes[piece.slice(1, -1)] ?? piece);
}

/**
 * An object whose values are the messages of `keys`, looked up each time they are read: a
 * table made when a module loads (labels by status, say) still speaks the language chosen later.
 */
export function messagesOf(keys) {
  const out = {};
  for (const [name, key] of Object.entries(keys)) {
    Object.defineProperty(out, name, { get: () => t(key), enumerable: true });
  }
  return out;
}

/** "5 minutes ago", "yesterday", "in 2 hours": `value` of `unit` from now, in the language. */
export function formatRelative(value, unit) {
  return new Intl.RelativeTimeFormat(current, { numeric: "auto" }).format(value, unit);
}
