// Times, names and colours as the inbox shows them.

export function parseTime(iso) {
  return iso ? new Date(iso) : null;
}

/** "now", "5m", "3h", "Tue", "12 Nov", "12 Nov 2025": short, for list rows. */
export function relativeTime(iso, now = new Date()) {
  const date = parseTime(iso);
  if (!date) return "";
  const seconds = Math.max(0, (now - date) / 1000);
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400 && date.getDate() === now.getDate()) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 6 * 86400) return date.toLocaleDateString(undefined, { weekday: "short" });
  const sameYear = date.getFullYear() === now.getFullYear();
  return date.toLocaleDateString(undefined, {
    day: "numeric", month: "short", year: sameYear ? undefined : "numeric",
  });
}

export function clockTime(iso) {
  const date = parseTime(iso);
  return date ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : "";
}

export function fullTime(iso) {
  const date = parseTime(iso);
  return date ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

export function dayLabel(iso, now = new Date()) {
  const date = parseTime(iso);
  const key = (d) => d.toDateString();
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key(date) === key(now)) return "Today";
  if (key(date) === key(yesterday)) return "Yesterday";
  return date.toLocaleDateString(undefined, {
    weekday: "long", day: "numeric", month: "long",
    year: date.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
}

export function shortDate(iso) {
  const date = parseTime(iso);
  return date ? date.toLocaleDateString(undefined, { day: "numeric", month: "short" }) : "";
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
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.round((seconds % 3600) / 60);
    return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  const days = Math.floor(seconds / 86400);
  const hours = Math.round((seconds % 86400) / 3600);
  return hours ? `${days}d ${hours}h` : `${days}d`;
}

export function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function contactName(contact) {
  if (!contact) return "Unknown";
  return contact.name || contact.email || contact.phone || "Unknown";
}

export function avatar(name, small) {
  const el = document.createElement("span");
  el.className = small ? "avatar small" : "avatar";
  el.style.background = colourFor(name);
  el.textContent = initials(name);
  el.setAttribute("aria-hidden", "true");
  return el;
}
