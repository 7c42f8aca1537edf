// The inbox's views pane: the fixed views with live counts, then channels and tags. Compact
// (chosen with its toggle, or by default on a window up to 1100 px wide) it is a column of
// the fixed views' icons, and channels and tags, whose icons would all look alike, are two
// buttons that open a menu of their names.
import { h, clear, redraw } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS } from "../../components/icons.js";
import { showMenu } from "../../components/menu.js";
import { go } from "../../lib/router.js";
import { store } from "../../lib/store.js";
import { inboxHash } from "../../lib/router.js";
import { formatNumber, t } from "../../lib/i18n.js";
import { baseOf, showSavedViewMenu } from "./saved-views.js";

const COMPACT = { notation: "compact", maximumFractionDigits: 1 };
const NARROW = matchMedia("(max-width: 1100px)");
const CHOICE = "desk.views-collapsed"; // "1" compact, "0" with names, unset: by the width

/** Whether the pane shows icons only: the agent's choice, else the window's width. */
function isCompact() {
  const choice = localStorage.getItem(CHOICE);
  return choice === "1" || (choice !== "0" && NARROW.matches);
}

export const VIEWS = [
  { id: "mine", key: "views.mine", icon: "mine", params: { assignee: "me" }, count: "mine" },
  { id: "unassigned", key: "views.unassigned", icon: "unassigned", params: { assignee: "unassigned" }, count: "unassigned" },
  { id: "failed", key: "views.failed", icon: "alert", params: { failed: "true", status: "all" }, count: "failed", alarm: true },
  { id: "open", key: "views.open", icon: "open", params: { status: "open" }, count: "open_only" },
  { id: "pending", key: "status.pending", icon: "pending", params: { status: "pending" }, count: "pending" },
  { id: "snoozed", key: "status.snoozed", icon: "snooze", params: { status: "snoozed" }, count: "snoozed" },
  { id: "resolved", key: "status.resolved", icon: "resolved", params: { status: "resolved" } },
].map((view) => ({ ...view, get label() { return t(view.key); } }));

/**
 * The list filters and a title for a view id: "mine", "channel:3", "tag:billing", "view:4" (a
 * saved view: `saved` is it, or `{id, pending}` while the saved views are loading).
 */
export function describeView(view) {
  const fixed = VIEWS.find((v) => v.id === view);
  if (fixed) return { title: fixed.label, params: { ...fixed.params } };
  if (view.startsWith("view:")) {
    const id = Number(view.slice(5));
    const saved = (store.views || []).find((v) => v.id === id);
    if (!saved) return { title: t("savedViews.heading"), params: {}, saved: { id, pending: store.views === null } };
    return { title: saved.name, params: baseOf(saved.filters), saved };
  }
  if (view.startsWith("channel:")) {
    const id = Number(view.slice(8));
    return { title: store.channel(id)?.name || t("views.channel"), params: { channel_id: id } };
  }
  if (view.startsWith("tag:")) {
    const tag = view.slice(4);
    return { title: `#${tag}`, params: { tag } };
  }
  return { title: t("views.open"), params: { status: "open" } };
}

export function createViewsPane() {
  const el = h("nav.views", { "aria-label": t("views.pane") });
  let active = "open";

  function link(view, label, iconEl, count, alarm = false) {
    const a = h("a.view-link", { href: inboxHash(view), title: label, dataset: { view, focus: view } },
      iconEl, h("span.view-label", label),
      count !== undefined && count !== null && h("span.view-count", {
        "aria-label": t("views.count", { count }), class: alarm && count > 0 ? "alarm" : null,
      }, formatNumber(count, COMPACT)));
    if (view === active) a.setAttribute("aria-current", "page");
    return a;
  }

  /** A saved view: its link (an initial for an icon) and its menu. */
  function savedLink(view, counts) {
    const id = `view:${view.id}`;
    const initial = h("span.view-initial", { "aria-hidden": "true" }, [...view.name.trim()][0]?.toUpperCase() || "·");
    const a = link(id, view.name, initial, counts.views?.[view.id]);
    if (view.shared) a.title = `${view.name} · ${t("savedViews.sharedBy", { name: view.owner.name })}`;
    const menu = h("button.btn.small.icon-only.ghost.view-menu", {
      type: "button", "aria-haspopup": "menu", "aria-expanded": "false",
      "aria-label": t("savedViews.actions", { name: view.name }), title: t("savedViews.actionsShort"),
      dataset: { focus: `menu:${id}` },
      onclick: (event) => showSavedViewMenu(event.currentTarget, view, { active: id === active }),
    }, icon("more"));
    return h("div.saved-view", { dataset: { viewId: view.id } }, a, menu);
  }

  /** Compact: a button opening a menu of these links (channels or tags) by name. */
  function menuButton(heading, iconName, links) {
    const current = links.some((item) => item.view === active);
    const button = h("button.view-link.view-more", {
      type: "button", "aria-label": heading, title: heading, "aria-haspopup": "menu", "aria-expanded": "false",
      class: current ? "current" : null, dataset: { focus: `more:${iconName}` },
      onclick: () => showMenu(button, [{ heading }, ...links.map((item) => ({
        icon: item.icon, label: item.count !== undefined ? `${item.label} · ${formatNumber(item.count, COMPACT)}` : item.label,
        onSelect: () => go(inboxHash(item.view)),
      }))], { label: heading }),
    }, icon(iconName));
    return button;
  }

  function render() {
    const counts = store.counts || {};
    const saved = store.views || [];
    const channels = (store.workspace?.channels || []).filter((c) => c.active);
    const tags = store.tags.slice(0, 12);
    const collapsed = isCompact();
    el.closest(".inbox")?.classList.toggle("views-collapsed", collapsed);
    const channelLinks = channels.map((c) => ({ view: `channel:${c.id}`, label: c.name, icon: icon(c.type, CHANNEL_LABELS[c.type]) }));
    const tagLinks = tags.map((tag) => ({ view: `tag:${tag.tag}`, label: tag.tag, icon: icon("tag"), count: tag.conversations }));
    redraw(el, () => clear(el,
      h("div.views-title", h("h2", t("nav.inbox")),
        counts.unread ? h("span.meta", t("views.unread", { count: counts.unread })) : null,
        h("button.btn.small.icon-only.ghost.views-toggle", {
          type: "button", "aria-label": collapsed ? t("views.expand") : t("views.collapse"),
          "aria-expanded": String(!collapsed), title: collapsed ? t("views.expandShort") : t("views.collapseShort"),
          onclick: () => {
            localStorage.setItem(CHOICE, collapsed ? "0" : "1");
            render();
          },
          dataset: { focus: "toggle" },
        }, icon("menu"))),
      h("div.view-group", VIEWS.map((v) => link(v.id, v.label, icon(v.icon), counts[v.count], v.alarm))),
      saved.length ? h("div.view-group.saved-views", { role: "group", "aria-labelledby": "saved-views-heading" },
        h("h3.view-heading#saved-views-heading", t("savedViews.heading")),
        saved.map((v) => savedLink(v, counts))) : null,
      collapsed ? h("div.view-group", channelLinks.length ? menuButton(t("views.channels"), "inbox", channelLinks) : null,
        tagLinks.length ? menuButton(t("views.tags"), "tag", tagLinks) : null) : [
        channelLinks.length ? h("div.view-group", h("h3.view-heading", t("views.channels")),
          channelLinks.map((c) => link(c.view, c.label, c.icon))) : null,
        tagLinks.length ? h("div.view-group", h("h3.view-heading", t("views.tags")),
          tagLinks.map((tag) => link(tag.view, tag.label, tag.icon, tag.count))) : null]));
  }

  const offs = [store.on("counts", render), store.on("tags", render), store.on("workspace", render),
    store.on("views", render)];
  if (store.views === null) store.loadViews();
  NARROW.addEventListener("change", render);
  offs.push(() => NARROW.removeEventListener("change", render));
  render();
  return {
    el,
    setActive(view) {
      active = view;
      render();
    },
    destroy() {
      offs.forEach((off) => off());
    },
  };
}
