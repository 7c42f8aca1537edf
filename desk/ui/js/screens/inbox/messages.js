// The thread's messages: incoming, outgoing, notes, activity, day separators, delivery status.
import { api } from "../../lib/api.js";
import { h, clear, linkified } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { clockTime, dayLabel, fullTime } from "../../lib/format.js";
import { toast } from "../../components/toast.js";
import { attachmentList, emailLine } from "./email-parts.js";
import { scheduledLine } from "./schedule.js";
import { activityText } from "./activity.js";
import { dayKey as calendarDay, t } from "../../lib/i18n.js";

const PER_PAGE = 100;

export function createMessages(conversationId) {
  const list = h("div.messages", { role: "log", "aria-label": t("messages.label"), "aria-live": "polite" });
  const earlier = h("div.earlier");
  // Scheduled replies wait below the conversation, each with its time, Edit and Cancel.
  const later = h("div.scheduled-list", { role: "list", "aria-label": t("scheduled.list") });
  const laterHeading = h("div.scheduled-heading", { hidden: true }, t("scheduled.heading"));
  const scroller = h("div.thread-scroll", { tabindex: "0", "aria-label": t("messages.history") },
    earlier, list, laterHeading, later);
  const pill = h("button.new-pill", { type: "button", hidden: true, onclick: () => toBottom(true) }, t("messages.newPill"));
  const el = h("div.thread-body", scroller, pill);
  const state = { items: [], nodes: new Map(), page: 0, total: 0 };
  // Live events may overtake the HTTP answer that caused them: an answer never overwrites
  // what an event said later (e.g. "queued" from POST arriving after the event's "failed").
  let clock = 0;
  const heard = new Map(); // message id → clock of its latest live event
  const awaited = new Map(); // message id → resolves with its delivery outcome (outcome())

  scroller.addEventListener("scroll", () => {
    if (nearBottom()) pill.hidden = true;
  });

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  }

  function toBottom(smooth) {
    const calm = matchMedia("(prefers-reduced-motion: reduce)").matches;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: smooth && !calm ? "smooth" : "auto" });
    pill.hidden = true;
  }

  const isScheduled = (msg) => msg.delivery?.status === "scheduled";

  function deliveryLine(msg) {
    const delivery = msg.delivery || {};
    if (isScheduled(msg)) {
      return scheduledLine(msg, (changed) => (changed ? update(changed) : remove(msg.id)));
    }
    if (delivery.status === "failed") {
      // Retry sends it again; Dismiss says the team dealt with it another way (it stays
      // undelivered, but the conversation leaves "Failed to send").
      const action = (path, key, failedKey) => {
        const button = h("button.link-btn", { type: "button" }, key === "messages.retry" ? icon("retry") : icon("x"), t(key));
        button.addEventListener("click", async () => {
          button.disabled = true;
          const since = clock;
          try {
            const answer = await api.post(`/api/messages/${msg.id}/${path}`);
            if ((heard.get(msg.id) ?? -1) < since) update(answer);
          } catch (err) {
            button.disabled = false;
            toast(t(failedKey, { error: err.message }), { error: true });
          }
        });
        return button;
      };
      const retry = action("retry", "messages.retry", "messages.retryFailed");
      if (delivery.dismissed_at) {
        return h("div.delivery.failed.dismissed", { role: "status" },
          h("div.row", icon("alert"), h("span", t("messages.notDelivered")), "·", retry),
          delivery.error ? h("div.delivery-error", delivery.error) : null);
      }
      return h("div.delivery.failed", { role: "status" },
        h("div.row", icon("alert"), h("strong", t("messages.failed")), "·", retry, "·",
          action("dismiss", "messages.dismiss", "messages.dismissFailed")),
        delivery.error ? h("div.delivery-error", delivery.error) : null);
    }
    const label = { queued: t("messages.sending"), sent: t("messages.sent") }[delivery.status];
    return label ? h("div.delivery", label) : null;
  }

  function render(msg) {
    const time = h("time", { datetime: msg.created_at, title: fullTime(msg.created_at) }, clockTime(msg.created_at));
    const sender = msg.sender?.name || (msg.sender?.type === "system" ? "Desk" : t("messages.unknown"));
    const body = h("div.msg-body", linkified(msg.body));
    if (msg.type === "activity") {
      return h("div.msg.activity", { dataset: { id: msg.id } }, h("span", activityText(msg)), " · ", time);
    }
    if (msg.type === "note") {
      return h("div.msg.note", { dataset: { id: msg.id } },
        h("div.msg-meta", icon("lock", t("messages.privateNote")), h("strong", sender), time,
          h("span.note-hint", t("messages.teamOnly"))),
        body, attachmentList(msg));
    }
    const outgoing = msg.type === "outgoing";
    const kind = outgoing ? (isScheduled(msg) ? "outgoing scheduled" : "outgoing") : "incoming";
    return h("div.msg", { class: kind, dataset: { id: msg.id }, role: isScheduled(msg) ? "listitem" : null },
      emailLine(msg),
      h("div.bubble", msg.body ? body : null, attachmentList(msg)),
      h("div.msg-meta", h("span", sender), time, outgoing && msg.sender?.type === "automation" ? h("span", t("messages.automation")) : null),
      outgoing ? deliveryLine(msg) : null);
  }

  function dayKey(iso) {
    return calendarDay(new Date(iso)); // the day in the workspace's timezone, as dayLabel shows it
  }

  function rebuild() {
    const nodes = [];
    let day = null;
    state.nodes = new Map();
    const waiting = [];
    for (const msg of state.items) {
      if (isScheduled(msg)) {
        const node = render(msg);
        state.nodes.set(msg.id, node);
        waiting.push(node);
        continue;
      }
      if (dayKey(msg.created_at) !== day) {
        day = dayKey(msg.created_at);
        nodes.push(h("div.day-sep", { role: "separator" }, h("span", dayLabel(msg.created_at))));
      }
      const node = render(msg);
      state.nodes.set(msg.id, node);
      nodes.push(node);
    }
    clear(list, nodes);
    clear(later, waiting);
    laterHeading.hidden = !waiting.length;
    clear(earlier, state.items.length < state.total
      ? h("button.btn.small", { type: "button", onclick: loadEarlier }, t("messages.earlier")) : null);
  }

  async function loadPage(page) {
    const result = await api.get(`/api/conversations/${conversationId}/messages`,
      { order: "desc", per_page: PER_PAGE, page });
    state.total = result.total;
    state.page = page;
    return result.items.slice().reverse();
  }

  async function loadEarlier() {
    const before = scroller.scrollHeight - scroller.scrollTop;
    try {
      const older = await loadPage(state.page + 1);
      const known = new Set(state.items.map((m) => m.id));
      state.items = [...older.filter((m) => !known.has(m.id)), ...state.items];
      list.setAttribute("aria-busy", "true"); // the log announces new messages, not old ones
      rebuild();
      list.removeAttribute("aria-busy");
      scroller.scrollTop = scroller.scrollHeight - before;
    } catch (err) {
      clear(earlier, h("div.error-box", err.message));
    }
  }

  function add(msg) {
    if (state.nodes.has(msg.id)) return update(msg);
    const stick = nearBottom();
    const last = [...state.items].reverse().find((m) => !isScheduled(m));
    state.items.push(msg);
    state.total += 1;
    if (isScheduled(msg)) {
      const node = render(msg);
      state.nodes.set(msg.id, node);
      later.append(node);
      laterHeading.hidden = false;
      if (stick || msg.mine) toBottom(false);
      return;
    }
    if (!last || dayKey(last.created_at) !== dayKey(msg.created_at)) {
      list.append(h("div.day-sep", { role: "separator" }, h("span", dayLabel(msg.created_at))));
    }
    const node = render(msg);
    state.nodes.set(msg.id, node);
    list.append(node);
    if (stick || msg.sender?.type === "agent" && msg.mine) toBottom(false);
    else pill.hidden = false;
  }

  function update(msg) {
    const old = state.nodes.get(msg.id);
    if (!old) return;
    const index = state.items.findIndex((m) => m.id === msg.id);
    state.items[index] = msg;
    const node = render(msg);
    state.nodes.set(msg.id, node);
    old.replaceWith(node);
  }

  function remove(id) {
    const node = state.nodes.get(id);
    if (!node) return;
    node.remove();
    state.nodes.delete(id);
    laterHeading.hidden = !later.children.length;
    state.items = state.items.filter((m) => m.id !== id);
    state.total = Math.max(0, state.total - 1);
  }

  return {
    el,
    remove,
    async load() {
      list.setAttribute("aria-busy", "true");
      state.items = await loadPage(1);
      list.removeAttribute("aria-busy");
      rebuild();
      toBottom(false);
    },
    live(msg) {
      heard.set(msg.id, ++clock);
      if (state.nodes.has(msg.id)) update(msg);
      else add(msg);
      if (msg.delivery?.status && msg.delivery.status !== "queued") awaited.get(msg.id)?.(msg.delivery.status);
    },
    /** A sent reply's delivery outcome ("sent", "failed"), or "queued" if none came within `ms`. */
    outcome(id, ms) {
      const known = state.items.find((m) => m.id === id)?.delivery?.status;
      if (known && known !== "queued") return Promise.resolve(known);
      return new Promise((resolve) => {
        const done = (status) => {
          awaited.delete(id);
          resolve(status);
        };
        awaited.set(id, done);
        setTimeout(() => awaited.get(id) === done && done("queued"), ms);
      });
    },
    sent(msg) {
      if (!heard.has(msg.id)) add(msg); // else the live event already showed a newer state
      toBottom(false);
    },
    /** The newest message shown (scheduled ones aside), or null. */
    newestId() {
      const ids = state.items.filter((m) => !isScheduled(m)).map((m) => m.id);
      return ids.length ? Math.max(...ids) : null;
    },
    /**
     * The reply guard's `after_message_id`: from `since` (what I had when I opened it), on
     * past every message shown that is not a teammate's reply (mine, incoming, notes,
     * activity), so only a teammate's reply written since stops mine.
     */
    guardAfter(since, meId) {
      if (since === null) return null;
      let after = since;
      const newer = state.items.filter((m) => m.id > since && !isScheduled(m)).sort((a, b) => a.id - b.id);
      for (const m of newer) {
        if (m.type === "outgoing" && !(m.sender?.type === "agent" && m.sender.id === meId)) break;
        after = m.id;
      }
      return after;
    },
    lastIncoming() {
      return [...state.items].reverse().find((m) => m.type === "incoming") || null;
    },
  };
}
