// Times, names and colours as the inbox shows them: in the agent's language (lib/i18n.js) and
// the workspace's timezone.
import { dayKey, formatDate, formatNumber, formatRelative, t } from "./i18n.js";

export function parseTime(iso) {
  return iso ? new Date(iso) : null;
}

const unit = (value, name) => formatNumber(value, { style: "unit", unit: name, unitDisplay: "narrow" });

/** "now", "5m", "3h", "Tue", "12 Nov", "12 Nov 2025": short, for list rows. */
export function relativeTime(iso, now = new Date()) {
  const date = parseTime(iso);
  if (!date) return "";
  const seconds = Math.max(0, (now - date) / 1000);
  if (seconds < 60) return t("time.now");
  if (seconds < 3600) return unit(Math.floor(seconds / 60), "minute");
  if (seconds < 86400 && dayKey(date) === dayKey(now)) return unit(Math.floor(seconds / 3600), "hour");
  if (seconds < 6 * 86400) return formatDate(date, { weekday: "short" });
  const sameYear = dayKey(date).slice(0, 4) === dayKey(now).slice(0, 4);
  return formatDate(date, { day: "numeric", month: "short", year: sameYear ? undefined : "numeric" });
}

/** "just now", "5 minutes ago", "yesterday", "on 12 Nov": how long ago, in words. */
export function ago(iso, now = new Date()) {
  const date = parseTime(iso);
  if (!date) return "";
  const seconds = Math.max(0, (now - date) / 1000);
  if (seconds < 60) return t("time.justNow");
  if (seconds < 3600) return formatRelative(-Math.floor(seconds / 60), "minute");
  if (seconds < 86400) return formatRelative(-Math.floor(seconds / 3600), "hour");
  if (seconds < 7 * 86400) return formatRelative(-Math.floor(seconds / 86400), "day");
  return t("time.onDay", { date: shortDate(iso) });
}

export function clockTime(iso) {
  const date = parseTime(iso);
  return date ? formatDate(date, { hour: "2-digit", minute: "2-digit" }) : "";
}

export function fullTime(iso) {
  const date = parseTime(iso);
  return date ? formatDate(date, { dateStyle: "medium", timeStyle: "short" }) : "";
}

export function dayLabel(iso, now = new Date()) {
  const date = parseTime(iso);
  const yesterday = new Date(now.getTime() - 86400 * 1000);
  if (dayKey(date) === dayKey(now)) return t("time.today");
  if (dayKey(date) === dayKey(yesterday)) return t("time.yesterday");
  return formatDate(date, {
    weekday: "long", day: "numeric", month: "long",
    year: dayKey(date).slice(0, 4) === dayKey(now).slice(0, 4) ? undefined : "numeric",
  });
}

export function shortDate(iso) {
  const date = parseTime(iso);
  return date ? formatDate(date, { day: "numeric", month: "short" }) : "";
}

export function initials(name) {
  const all = String(name || "?").trim().split(/\s+/).filter(Boolean);
  const lettered = all.filter((w) => /^\p{L}/u.test(w));
  const words = lettered.length ? lettered : all;
  if (!words.length) return "?";
  const first = [...words[0]][0] || "?";
  const last = words.length > 1 ? [...words[words.length - 1]][0] : "";
  return (first + last).toUpperCase();
}

// [hue, lightness]: each dark enough for white initials at 4.5:1 or more (green and cyan are
// bright at the same lightness, so they go darker).
const SHADES = [[211, 42], [262, 42], [330, 42], [14, 42], [32, 40], [152, 34], [178, 33], [196, 39],
  [290, 42], [4, 42]];

export function colourFor(name) {
  let hash = 0;
  for (const ch of String(name || "")) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  const [hue, lightness] = SHADES[hash % SHADES.length];
  return `hsl(${hue} 48% ${lightness}%)`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const both = (a, b) => (b[0] ? `${unit(...a)} ${unit(...b)}` : unit(...a));
  if (seconds < 60) return unit(Math.round(seconds), "second");
  if (seconds < 3600) return unit(Math.round(seconds / 60), "minute");
  if (seconds < 86400) {
    return both([Math.floor(seconds / 3600), "hour"], [Math.round((seconds % 3600) / 60), "minute"]);
  }
  return both([Math.floor(seconds / 86400), "day"], [Math.round((seconds % 86400) / 3600), "hour"]);
}

/** "3 conversations": the number and the plural form of catalogue key `key` (key_one, key_other…). */
export function plural(n, key) {
  return t(key, { count: n });
}

export function contactName(contact) {
  if (!contact) return t("contact.unknown");
  return contact.name || contact.email || contact.phone || t("contact.unknown");
}

export function avatar(name, small) {
  const el = document.createElement("span");
  el.className = small ? "avatar small" : "avatar";
  el.style.background = colourFor(name);
  el.textContent = initials(name);
  el.setAttribute("aria-hidden", "true");
  return el;
}
