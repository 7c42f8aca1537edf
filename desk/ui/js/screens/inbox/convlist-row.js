// One row of the conversation list: avatar, name, time; subject and preview; a line of chips.
import { h, highlighted } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS } from "../../components/icons.js";
import { avatar, colourFor, contactName, initials, relativeTime, fullTime, parseTime } from "../../lib/format.js";
import { inboxHash } from "../../lib/router.js";
import { formatNumber, t } from "../../lib/i18n.js";

/** `words`: the search words to mark; `selected`: the open conversation (read, not unread). */
export function conversationRow(conv, { view, selected, cursor, words, draft, query, present = [] }) {
  const name = contactName(conv.contact);
  const isSelected = conv.id === selected;
  const unread = conv.unread_count > 0 && !isSelected; // open = being read
  const last = conv.last_message?.preview || "";
  const preview = conv.subject && last.startsWith(conv.subject) ? last.slice(conv.subject.length).trim() : last;
  const a = h("a.conv-row", {
    href: inboxHash(view, conv.id, query), dataset: { id: conv.id },
    class: [unread && "unread", isSelected && "selected", conv.id === cursor && "cursor"].filter(Boolean).join(" ") || null,
    "aria-current": isSelected ? "true" : null,
    tabindex: "-1",
  },
  avatar(name),
  h("div.conv-main",
    h("div.conv-line", h("span.conv-name", highlighted(name, words)),
      unread ? h("span.unread-dot", { "aria-label": t("row.unread", { count: conv.unread_count }) }) : null,
      conv.waiting_since ? waiting(conv.waiting_since) : null,
      h("time.meta", { datetime: conv.last_activity_at, title: fullTime(conv.last_activity_at) },
        relativeTime(conv.last_activity_at))),
    h("div.conv-preview",
      conv.subject ? h("span.conv-subject", highlighted(conv.subject, words)) : null,
      conv.subject && (conv.snippet || preview) ? " — " : null,
      // Found by a message: that message's line, the searched words marked.
      conv.snippet ? h("span.conv-snippet", highlighted(conv.snippet, words)) : h("span", highlighted(preview, words))),
    h("div.conv-chips", h("span.chips", draft ? h("span.chip.draft", t("inbox.draft")) : null, chips(conv, words)),
      present.length ? viewers(present) : null,
      conv.assignee ? h("span.assignee", { title: t("row.assignedTo", { name: conv.assignee.name }) },
        initials(conv.assignee.name)) : null)));
  return a;
}

/** Teammates who have it open: their initials, ringed (typing: pulsing), at most three. */
function viewers(present) {
  const shown = present.slice(0, 3).map(({ agent, state }) => {
    const label = state === "typing" ? t("presence.rowTyping", { name: agent.name }) : t("presence.rowViewing", { name: agent.name });
    const el = h("span.viewer", { role: "img", "aria-label": label, title: label, class: state === "typing" ? "typing" : null },
      initials(agent.name));
    el.style.background = colourFor(agent.name);
    return el;
  });
  if (present.length > 3) shown.push(h("span.viewer.more", { title: t("presence.rowMore", { count: present.length - 3 }) }, `+${present.length - 3}`));
  return h("span.viewers", shown);
}

/** "waiting 3 hr": how long the contact has waited on us (the first unanswered message). */
function waiting(since) {
  const seconds = Math.max(0, (Date.now() - (parseTime(since)?.getTime() ?? Date.now())) / 1000);
  const [value, unit] = seconds < 3600 ? [Math.max(1, Math.floor(seconds / 60)), "minute"]
    : seconds < 86400 ? [Math.floor(seconds / 3600), "hour"] : [Math.floor(seconds / 86400), "day"];
  const time = formatNumber(value, { style: "unit", unit, unitDisplay: "short" });
  return h("span.waiting", { title: t("row.waitingTitle", { time: fullTime(since) }) }, t("row.waiting", { time }));
}

function chips(conv, words) {
  const out = [h("span.chip", { title: conv.channel_name || CHANNEL_LABELS[conv.channel_type] },
    icon(conv.channel_type, CHANNEL_LABELS[conv.channel_type]))];
  if (conv.failed_count > 0) {
    out.push(h("span.chip.failed", { title: t("row.failedTitle") },
      icon("alert"), t("row.failed", { count: conv.failed_count })));
  }
  if (conv.visitor?.online) {
    out.push(h("span.chip.online", { title: t("row.onlineTitle") },
      h("span.presence-dot", { "aria-hidden": "true" }), t("row.online")));
  }
  if (conv.priority === "urgent" || conv.priority === "high") {
    out.push(h("span.chip", { class: conv.priority }, icon("flag"), PRIORITY_LABELS[conv.priority]));
  }
  const tags = conv.tags || [];
  for (const tag of tags.slice(0, 3)) out.push(h("span.chip", highlighted(tag, words)));
  if (tags.length > 3) out.push(h("span.chip", `+${tags.length - 3}`));
  if (conv.status !== "open") out.push(h("span.chip", { class: conv.status === "resolved" ? "resolved" : "" },
    STATUS_LABELS[conv.status] || conv.status));
  return out;
}
