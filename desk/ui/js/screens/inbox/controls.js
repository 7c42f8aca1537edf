// The thread header: contact, subject, status (with snooze presets: snooze-menu.js), assignee,
// priority, tags.
import { api } from "../../lib/api.js";
import { h, clear, redraw } from "../../lib/dom.js";
import { icon, PRIORITY_LONG, STATUS_LABELS } from "../../components/icons.js";
import { ago, avatar, contactName, fullTime } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { store } from "../../lib/store.js";
import { showMenu } from "../../components/menu.js";
import { announce } from "../../components/announce.js";
import { snoozeItems, snoozeTime } from "./snooze-menu.js";

/** A web-chat visitor: on the website now, or when last seen there. */
function presence(conv) {
  const visitor = conv.visitor;
  if (!visitor) return null;
  if (visitor.online) {
    return h("span.presence.online", " · ", h("span.presence-dot", { "aria-hidden": "true" }), t("head.onWebsite"));
  }
  return h("span.presence", { title: fullTime(visitor.last_seen_at) },
    ` · ${t("head.lastSeen", { when: ago(visitor.last_seen_at) })}`);
}

export function createControls({ onChange, onToggleContact, onMerge }) {
  const el = h("header.thread-head");
  const error = h("div.head-error", { role: "alert" });
  let conv = null;
  const tagInput = h("input.tag-input", {
    type: "text", placeholder: t("head.addTag"), "aria-label": t("head.addTagLabel"), list: "tag-suggestions",
    autocomplete: "off", maxlength: "50", dataset: { focus: "tag" },
  });
  const suggestions = h("datalist", { id: "tag-suggestions" });
  let suggestTimer = null;
  tagInput.addEventListener("input", () => {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(async () => {
      try {
        const page = await api.get("/api/tags", { search: tagInput.value.trim().toLowerCase(), per_page: 10 });
        clear(suggestions, page.items.filter((item) => !conv.tags.includes(item.tag))
          .map((item) => h("option", { value: item.tag }, `${item.conversations}`)));
      } catch {
        /* suggestions are a nicety; typing a new tag still works */
      }
    }, 150);
  });
  tagInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && tagInput.value.trim()) {
      event.preventDefault();
      const tag = tagInput.value.trim().toLowerCase();
      act(() => api.post(`/api/conversations/${conv.id}/tags`, { tag }), () => t("head.tagAdded", { tag })).then((ok) => {
        if (ok) tagInput.value = "";
      });
    }
  });

  let queue = Promise.resolve();

  /**
   * Run changes one after another (a quick `a` then `e` must both happen, in order); `said`
   * words the change for screen readers, as the header shows it to the eye.
   */
  function act(call, said) {
    const run = queue.then(async () => {
      error.textContent = "";
      try {
        const updated = await call();
        conv = updated;
        render();
        onChange(updated);
        if (said) announce(said(updated));
        return true;
      } catch (err) {
        error.textContent = err.message;
        return false;
      }
    });
    queue = run;
    return run;
  }

  const setStatus = (status, until) => act(() => api.post(`/api/conversations/${conv.id}/status`,
    until ? { status, snoozed_until: snoozeTime(until) } : { status }), (c) => (
    c.status === "snoozed" && c.snoozed_until
      ? t("head.snoozedUntil", { time: fullTime(c.snoozed_until) })
      : t("head.statusSaid", { status: STATUS_LABELS[c.status] })));
  const assign = (agentId) => act(() => api.post(`/api/conversations/${conv.id}/assign`, { agent_id: agentId }),
    (c) => {
      if (!c.assignee) return t("head.unassigned");
      return c.assignee.id === store.me.id ? t("head.assignedToYou") : t("head.assignedTo", { name: c.assignee.name });
    });

  function snoozeMenu(anchor) {
    showMenu(anchor, [
      { heading: t("snooze.until") },
      ...snoozeItems((date) => setStatus("snoozed", date)),
    ], { label: t("snooze.snooze") });
  }

  function statusMenu(anchor) {
    showMenu(anchor, [
      { label: t("head.open"), icon: icon("open"), onSelect: () => setStatus("open") },
      { label: t("head.pending"), icon: icon("pending"), onSelect: () => setStatus("pending") },
      "-",
      { heading: t("snooze.until") },
      ...snoozeItems((date) => setStatus("snoozed", date)),
      "-",
      { label: t("head.resolve"), icon: icon("resolved"), onSelect: () => setStatus("resolved") },
    ], { label: t("head.status") });
  }

  function assignMenu(anchor) {
    const team = store.workspace?.team || [];
    showMenu(anchor, [
      { label: t("head.assignToMe"), icon: icon("mine"), onSelect: () => assign(store.me.id) },
      "-",
      ...team.filter((m) => m.id !== store.me.id).map((m) => ({ label: m.name, icon: avatar(m.name, true), onSelect: () => assign(m.id) })),
      { label: t("head.unassigned"), icon: icon("unassigned"), onSelect: () => assign(null) },
    ], { label: t("head.assignee") });
  }

  /** Draw the header again; a control that had focus has it again (or the tag field, when it
   * went: a removed tag's ×). */
  function render() {
    redraw(el, renderHead, () => tagInput);
  }

  function renderHead() {
    const name = contactName(conv.contact);
    const statusBtn = h("button.btn.small.status-btn", {
      type: "button", "aria-haspopup": "menu", "aria-label": t("head.statusLabel", { status: STATUS_LABELS[conv.status] }),
      class: `status-${conv.status}`, onclick: () => statusMenu(statusBtn), dataset: { focus: "status" },
      title: conv.status === "snoozed" && conv.snoozed_until ? t("head.until", { time: fullTime(conv.snoozed_until) }) : null,
    }, icon(conv.status === "snoozed" ? "snooze" : conv.status), STATUS_LABELS[conv.status], icon("chevron"));
    const assignBtn = h("button.btn.small", {
      type: "button", "aria-haspopup": "menu", "aria-label": t("head.assigneeLabel", { name: conv.assignee?.name || t("head.unassigned") }),
      onclick: () => assignMenu(assignBtn), dataset: { focus: "assign" },
    }, conv.assignee ? avatar(conv.assignee.name, true) : icon("assign"), conv.assignee?.name || t("head.unassigned"), icon("chevron"));
    const priority = h("select.small-select", { "aria-label": t("head.priority"), name: "priority", dataset: { focus: "priority" } },
      ["low", "normal", "high", "urgent"].map((p) => h("option", { value: p, selected: p === conv.priority },
        PRIORITY_LONG[p])));
    priority.addEventListener("change", () => act(() => api.post(`/api/conversations/${conv.id}/priority`, { priority: priority.value }),
      (c) => PRIORITY_LONG[c.priority]).then((ok) => {
      if (!ok) priority.value = conv.priority;
    }));
    const resolveBtn = conv.status === "resolved"
      ? h("button.btn.small", { type: "button", onclick: () => setStatus("open"), dataset: { focus: "resolve" } }, t("head.reopen"))
      : h("button.btn.small.resolve-btn", { type: "button", onclick: () => setStatus("resolved"), title: t("head.resolveTitle"),
        dataset: { focus: "resolve" } }, icon("resolved"), t("head.resolve"));
    const tags = h("div.tags", { role: "group", "aria-label": t("head.tags") }, icon("tag"),
      conv.tags.map((tag) => h("span.chip", tag, h("button", {
        type: "button", "aria-label": t("head.removeTag", { tag }), dataset: { focus: `untag:${tag}` },
        onclick: () => act(() => api.del(`/api/conversations/${conv.id}/tags/${encodeURIComponent(tag)}`),
          () => t("head.tagRemoved", { tag })),
      }, icon("x")))), tagInput, suggestions);
    clear(el,
      h("div.head-top",
        h("div.head-title",
          h("h2", { title: name }, name),
          h("div.muted.subject", { title: conv.subject || "" },
            conv.subject ? `${conv.subject} · ${conv.channel_name}` : conv.channel_name || "", presence(conv))),
        h("button.btn.small.merge-btn", { type: "button", onclick: () => onMerge?.(conv), dataset: { focus: "merge" },
          title: t("merge.buttonTitle") }, icon("merge"), t("merge.button")),
        resolveBtn,
        h("button.btn.small.icon-only.contact-toggle", {
          type: "button", "aria-label": t("head.showContact"), title: t("head.contactDetails"), onclick: onToggleContact,
          dataset: { focus: "contact" },
        }, icon("panel"))),
      h("div.head-bottom", statusBtn, assignBtn, priority, tags),
      conv.failed_count > 0 ? h("div.head-failed", { role: "status" }, icon("alert"),
        t("thread.failed", { count: conv.failed_count })) : null,
      error);
  }

  return {
    el,
    set(conversation) {
      conv = conversation;
      render();
    },
    setStatus,
    snooze: () => snoozeMenu(el.querySelector(".status-btn")),
    assignToMe: () => assign(store.me.id),
    focusTag: () => tagInput.focus(),
    get conversation() {
      return conv;
    },
  };
}
