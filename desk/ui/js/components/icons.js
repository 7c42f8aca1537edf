// The app's own 16 px stroke icons, drawn from path data written here.
import { messagesOf } from "../lib/i18n.js";

const NS = "http://www.w3.org/2000/svg";

const PATHS = {
  logo: ["M3 6.5 8 3l5 3.5v5L8 15l-5-3.5z", "M3 6.5 8 10l5-3.5", "M8 10v5"],
  inbox: ["M2 9h3.5l1 2h3l1-2H14", "M3.5 3.5h9L14 9v3.5H2V9z"],
  contacts: ["M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z", "M1.5 14c.5-2.7 2.3-4 4.5-4s4 1.3 4.5 4",
    "M11 3a2.2 2.2 0 0 1 0 4.3", "M12.5 10c1.2.5 1.9 1.8 2 4"],
  analytics: ["M2 14h12", "M4 11V8", "M7 11V4", "M10 11V6", "M13 11V2.5"],
  settings: ["M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z",
    "M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"],
  search: ["M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10Z", "m14 14-3.5-3.5"],
  mine: ["M8 7.5a2.75 2.75 0 1 0 0-5.5 2.75 2.75 0 0 0 0 5.5Z", "M2.5 14.5c.6-3 2.8-4.5 5.5-4.5s4.9 1.5 5.5 4.5"],
  unassigned: ["M8 7.5a2.75 2.75 0 1 0 0-5.5 2.75 2.75 0 0 0 0 5.5Z", "M2.5 14.5c.6-3 2.8-4.5 5.5-4.5", "M11 11.5h4"],
  open: ["M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z"],
  pending: ["M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z", "M8 4.5V8l2.5 1.5"],
  snooze: ["M13.5 9.5A6 6 0 1 1 6.5 2.5a4.7 4.7 0 0 0 7 7Z"],
  resolved: ["M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z", "m5.2 8.2 2 2 3.8-4"],
  tag: ["M2 2h5.5L14 8.5 8.5 14 2 7.5z", "M5 5h.01"],
  assign: ["M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z", "M1.5 14c.5-2.7 2.3-4 4.5-4 1.2 0 2.3.4 3 1.2",
    "M12 9v5M9.5 11.5h5"],
  note: ["M4.5 7V5a3.5 3.5 0 0 1 7 0v2", "M3.5 7h9v7h-9z"],
  lock: ["M4.5 7V5a3.5 3.5 0 0 1 7 0v2", "M3.5 7h9v7h-9z"],
  send: ["M14.5 1.5 7 9", "M14.5 1.5 10 14.5 7 9 1.5 6z"],
  sparkle: ["M8 1.5 9.4 6.6 14.5 8 9.4 9.4 8 14.5 6.6 9.4 1.5 8l5.1-1.4z", "M13 1.5v3M11.5 3h3"],
  web_chat: ["M2 3h12v8H6l-3 3v-3H2z"],
  email: ["M1.5 3.5h13v9h-13z", "m1.5 4 6.5 5 6.5-5"],
  api: ["m5.5 4.5-4 3.5 4 3.5", "m10.5 4.5 4 3.5-4 3.5", "M9 2.5 7 13.5"],
  phone: ["M3 1.5h3l1.5 3.5-2 1.2a8 8 0 0 0 4.3 4.3l1.2-2 3.5 1.5v3A1.5 1.5 0 0 1 13 14.5 11.5 11.5 0 0 1 1.5 3 1.5 1.5 0 0 1 3 1.5Z"],
  plus: ["M8 3v10M3 8h10"],
  merge: ["M3 2.5v3a3 3 0 0 0 3 3h7", "M3 13.5v-3a3 3 0 0 1 3-3", "m10.5 6 2.5 2.5-2.5 2.5"],
  bell: ["M4 11.5V7a4 4 0 0 1 8 0v4.5l1.5 1.5h-11z", "M6.5 14.5a1.5 1.5 0 0 0 3 0"],
  canned: ["M2.5 2.5h11v11h-11z", "M5 5.5h6M5 8h6M5 10.5h3.5"],
  x: ["m4 4 8 8M12 4l-8 8"],
  chevron: ["m4 6 4 4 4-4"],
  up: ["m4 10 4-4 4 4"],
  bookmark: ["M4 2h8v12.5l-4-3-4 3z"],
  more: ["M3.5 8h.01M8 8h.01M12.5 8h.01"],
  back: ["M10 3 5 8l5 5"],
  copy: ["M5.5 5.5h8v8h-8z", "M10.5 5.5v-3h-8v8h3"],
  retry: ["M13.5 8A5.5 5.5 0 1 1 11.9 4", "M12.5 1.5V4.5H9.5"],
  flag: ["M3 14.5V2", "M3 2.5h9l-2 3 2 3H3"],
  alert: ["M8 1.8 15 14H1z", "M8 6v3.5M8 11.8h.01"],
  menu: ["M2.5 4h11M2.5 8h11M2.5 12h11"],
  panel: ["M1.5 2.5h13v11h-13z", "M10 2.5v11"],
  keyboard: ["M1.5 4h13v8h-13z", "M4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M5 9.5h6"],
  user: ["M8 7.5a2.75 2.75 0 1 0 0-5.5 2.75 2.75 0 0 0 0 5.5Z", "M2.5 14.5c.6-3 2.8-4.5 5.5-4.5s4.9 1.5 5.5 4.5"],
  trash: ["M2.5 4h11", "M6 4V2.5h4V4", "M4 4l.8 10h6.4L12 4"],
  filter: ["M2 3h12L9.5 8.5V13l-3 1.5v-6z"],
  attach: ["M13 7.5 8 12.5a3.2 3.2 0 0 1-4.5-4.5L9 2.5a2.1 2.1 0 0 1 3 3L6.5 11a1 1 0 0 1-1.5-1.5L10 4.5"],
  download: ["M8 2v8.5", "m4.5 7 3.5 3.5L11.5 7", "M2.5 13.5h11"],
  file: ["M3.5 1.5h6l3 3v10h-9z", "M9.5 1.5v3h3"],
};

export function icon(name, label) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "icon");
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else svg.setAttribute("aria-hidden", "true");
  for (const d of PATHS[name] || PATHS.open) {
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

export const CHANNEL_LABELS = messagesOf({
  web_chat: "channel.web_chat", email: "channel.email", api: "channel.api", phone: "channel.phone",
});
export const ROLES = messagesOf({ agent: "role.agent", admin: "role.admin" });
export const STATUS_LABELS = messagesOf({
  open: "status.open", pending: "status.pending", snoozed: "status.snoozed", resolved: "status.resolved",
});
export const PRIORITY_LABELS = messagesOf({
  urgent: "priority.urgent", high: "priority.high", normal: "priority.normal", low: "priority.low",
});
/** "High priority": a priority said on its own. */
export const PRIORITY_LONG = messagesOf({
  urgent: "priorityLong.urgent", high: "priorityLong.high", normal: "priorityLong.normal", low: "priorityLong.low",
});
