// The conversation list's view: search, filters, sort, the rows, their loading state and a
// keyboard cursor. Its data and paging are convlist-pages.js; what live events do to it,
// convlist-live.js; one row, convlist-row.js; what an empty list says, convlist-empty.js.
import { h, clear } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS, PRIORITY_LABELS } from "../../components/icons.js";
import { formatNumber, t } from "../../lib/i18n.js";
import { store } from "../../lib/store.js";
import { drafts } from "../../lib/drafts.js";
import { presence } from "../../lib/presence.js";
import { createConversationPages } from "./convlist-pages.js";
import { applyLiveChange } from "./convlist-live.js";
import { conversationRow } from "./convlist-row.js";
import { emptyState } from "./convlist-empty.js";
import { filtersOf, openSaveView, queryOf, sameFilters, showSavedViewMenu } from "./saved-views.js";

const SORTS = [
  ["last_activity_desc", "list.sortLatest"],
  ["created_desc", "list.sortNewest"],
  ["created_asc", "list.sortOldest"],
  ["priority_desc", "list.sortUrgent"],
  ["waiting_longest", "sort.waitingLongest"],
];

// The URL query's keys for the list's state (routes.js: #/inbox/<view>?q=…).
const QUERY_KEYS = [["search", "q"], ["priority", "priority"], ["channelType", "channel"], ["sort", "sort"]];
const DEFAULT_SORT = "last_activity_desc";

/** onQuery(query, {replace}): the search or a filter changed; the inbox puts it in the URL. */
export function createConversationList({ onNew, onQuery = () => {} }) {
  // saved: the saved view shown (null for the others); defaultQuery: its own search and filters.
  const state = { view: "open", base: {}, search: "", priority: "", channelType: "", sort: DEFAULT_SORT,
    scoped: false, selected: null, cursor: null, saved: null, defaultQuery: "" };
  const rows = new Map(); // conversation id → its row element
  const scopeRow = h("div.row.search-scope", { hidden: true });
  const title = h("h2.list-title", t("views.open"));
  const total = h("span.meta");
  const searchInput = h("input", {
    type: "search", name: "search", placeholder: t("list.search"), "aria-label": t("list.search"),
    autocomplete: "off",
  });
  const priority = h("select", { "aria-label": t("list.priorityFilter"), name: "priority" },
    h("option", { value: "" }, t("list.priority")),
    ["urgent", "high", "normal", "low"].map((p) => h("option", { value: p }, PRIORITY_LABELS[p])));
  const channelType = h("select", { "aria-label": t("list.channelFilter"), name: "channel_type" },
    h("option", { value: "" }, t("views.channel")),
    Object.entries(CHANNEL_LABELS).map(([value, label]) => h("option", { value }, label)));
  const sort = h("select", { "aria-label": t("list.sort"), name: "sort" },
    SORTS.map(([value, label]) => h("option", { value }, t(label))));
  // A saved view's menu (rename, share, move, delete) here too: the views pane hides it when narrow.
  const viewMenu = h("button.btn.small.icon-only.ghost.list-view-menu", {
    type: "button", hidden: true, "aria-haspopup": "menu", "aria-expanded": "false",
    "aria-label": t("savedViews.actionsShort"), title: t("savedViews.actionsShort"),
    onclick: () => state.saved?.filters && showSavedViewMenu(viewMenu, state.saved, { active: true }),
  }, icon("more"));
  const rowsEl = h("div.conv-rows");
  const sentinel = h("div.sentinel", { "aria-hidden": "true" });
  const status = h("div.list-status", { role: "status" });
  const scroller = h("div.list-scroll", rowsEl, status, sentinel);
  const el = h("section.list", { "aria-label": t("list.label") },
    h("header.list-head",
      h("div.row", title, total, h("div.spacer"),
        viewMenu,
        h("button.btn.small.icon-only.ghost.save-view", {
          type: "button", onclick: () => openSaveView(filtersOf(filters())), "aria-label": t("savedViews.save"),
          title: t("savedViews.saveHint"),
        }, icon("bookmark")),
        h("button.btn.small", { type: "button", onclick: onNew, title: t("list.logTitle") },
          icon("plus"), t("list.new"))),
      h("label.search-box", icon("search"), searchInput),
      scopeRow,
      h("div.row.filters", priority, channelType, sort)),
    scroller);

  const pages = createConversationPages({
    params,
    wantsMore: () => sentinel.getBoundingClientRect().top < scroller.getBoundingClientRect().bottom + 800,
    view: {
      reset() {
        rows.clear();
        rowsEl.replaceChildren();
        scroller.scrollTop = 0;
        syncTabStop();
      },
      append(convs) {
        for (const conv of convs) rowsEl.append(render(conv));
        syncTabStop();
      },
      replace(convs) {
        const focused = rowsEl.contains(document.activeElement);
        rows.clear();
        rowsEl.replaceChildren(...convs.map(render));
        syncTabStop(focused);
      },
      put(conv, { toTop, highlight }) {
        const old = rows.get(conv.id);
        const focused = Boolean(old?.contains(document.activeElement));
        const row = render(conv);
        if (highlight) row.classList.add("arrived");
        if (old && !toTop) old.replaceWith(row);
        else {
          old?.remove();
          rowsEl.prepend(row);
        }
        if (focused) row.focus({ preventScroll: true }); // a live update keeps the keyboard's place
        syncTabStop();
      },
      drop(id) {
        rows.get(id)?.remove();
        rows.delete(id);
        syncTabStop();
      },
      status: renderStatus,
    },
  });

  /** The search, filters and sort as a URL query: only what differs from the defaults. */
  function queryString() {
    const out = new URLSearchParams();
    for (const [key, name] of QUERY_KEYS) {
      if (state[key] && !(key === "sort" && state[key] === DEFAULT_SORT)) out.set(name, state[key]);
    }
    if (state.search && state.scoped) out.set("in", "view");
    return out.toString();
  }

  /** Take the state from a URL query; true when it changed anything. */
  function applyQuery(text) {
    const query = new URLSearchParams(text || state.defaultQuery || "");
    const before = queryString();
    for (const [key, name] of QUERY_KEYS) state[key] = (query.get(name) || "").trim();
    if (!SORTS.some(([value]) => value === state.sort)) state.sort = DEFAULT_SORT;
    if (!["urgent", "high", "normal", "low"].includes(state.priority)) state.priority = "";
    if (!Object.hasOwn(CHANNEL_LABELS, state.channelType)) state.channelType = "";
    state.scoped = query.get("in") === "view";
    if (document.activeElement !== searchInput || searchInput.value.trim() !== state.search) searchInput.value = state.search;
    priority.value = state.priority;
    channelType.value = state.channelType;
    sort.value = state.sort;
    renderScope();
    return queryString() !== before;
  }

  /** The agent changed the search or a filter: reload, and record it in the URL. */
  function changed({ replace = false } = {}) {
    renderScope();
    pages.reload();
    onQuery(queryString(), { replace });
  }

  // While searching, every status is searched; a chip narrows the search to the view.
  function renderScope() {
    scopeRow.hidden = !state.search;
    clear(scopeRow,
      h("span.meta", state.scoped ? t("search.inView") : t("search.everywhere")),
      h("button.chip.scope-chip", {
        type: "button", "aria-pressed": String(state.scoped),
        onclick: () => {
          state.scoped = !state.scoped;
          changed();
        },
      }, t("search.onlyIn", { view: title.textContent }), state.scoped ? h("span", { "aria-hidden": "true" }, " ×") : null));
  }

  let debounce = null;
  let typing = false; // the first change of a search is a new history entry, the next ones replace it
  function searchNow() {
    clearTimeout(debounce);
    const value = searchInput.value.trim();
    if (value === state.search) return;
    const replace = typing && Boolean(state.search) && Boolean(value);
    state.search = value;
    typing = true;
    changed({ replace });
  }
  searchInput.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(searchNow, 250);
  });
  searchInput.addEventListener("blur", () => {
    typing = false;
  });
  searchInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      searchNow();
      typing = false;
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      searchInput.blur();
      moveCursor(1);
    }
  });
  for (const [select, key] of [[priority, "priority"], [channelType, "channelType"], [sort, "sort"]]) {
    select.addEventListener("change", () => {
      state[key] = select.value;
      changed();
    });
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) pages.loadMore();
  }, { root: scroller, rootMargin: "800px 0px" });
  observer.observe(sentinel);

  /** What the list shows, as /api/conversations filters. */
  function filters() {
    const own = { search: state.search, channel_type: state.channelType, sort: state.sort };
    if (state.search && !state.scoped) return { ...own, status: "all", priority: state.priority }; // everywhere
    return { ...state.base, ...own, priority: state.priority || state.base.priority };
  }

  /** The query for the list: a saved view by its id while its filters are unchanged. */
  function params() {
    const saved = state.saved;
    if (saved && (saved.pending || sameFilters(filtersOf(filters()), saved.filters || {}))) return { view: saved.id };
    return filters();
  }

  function render(conv) {
    const words = state.search.split(/\s+/).filter((w) => w.length > 0);
    const row = conversationRow(conv, {
      view: state.view, selected: state.selected, cursor: state.cursor, words, draft: drafts.has(conv.id),
      query: queryString(), present: presence.others(conv.id),
    });
    rows.set(conv.id, row);
    return row;
  }

  /** Draw rows again where something only this screen knows changed (a draft: `id`, or all). */
  function redraw(id) {
    const convs = id ? [pages.find(id)].filter(Boolean) : pages.items;
    for (const conv of convs) {
      const old = rows.get(conv.id);
      if (!old) continue;
      const focused = old.contains(document.activeElement);
      const row = render(conv);
      old.replaceWith(row);
      if (focused) row.focus({ preventScroll: true });
    }
    syncTabStop();
  }
  const offDrafts = store.on("drafts", redraw);
  const offPresence = store.on("presence-changed", redraw);

  function renderStatus() {
    const empty = !pages.items.length;
    if (pages.loading && empty) {
      clear(status, Array.from({ length: 8 }, () => h("div.skeleton-row", h("span.sk-avatar"),
        h("div", h("span.sk-line"), h("span.sk-line.short")))));
    } else if (empty && pages.done) {
      clear(status, emptyState(state, { meant: pages.didYouMean, onNew, onMeant: (meant) => {
        searchInput.value = meant;
        searchNow();
      } }));
    } else if (pages.error) {
      clear(status, h("div.error-box", pages.error,
        h("button.btn.small", { type: "button", onclick: pages.loadMore, style: { marginLeft: "8px" } }, t("common.retry"))));
    } else clear(status, pages.loading ? h("p.meta.center", t("list.loadingMore")) : "");
    const shown = `${formatNumber(pages.total)}${pages.capped ? "+" : ""}`; // "10,000+": a search stopped counting
    total.textContent = pages.done || pages.total ? shown : "";
  }

  /** A live change (or a fresher answer) for one conversation. */
  function applyLive(conv) {
    if (state.saved?.pending) return; // its filters are not known yet: the list reloads when they are
    applyLiveChange(pages, conv, { params: filters(), sort: state.sort, selected: state.selected, meId: store.me.id });
    renderStatus();
  }

  // Rows are one stop in the Tab order (the cursor's row, else the open one, else the first);
  // j/k and the arrow keys move within them.
  let tabStop = null;
  function syncTabStop(focus = false) {
    const row = rows.get(state.cursor) || rows.get(state.selected) || rows.get(pages.items[0]?.id) || null;
    if (row !== tabStop) {
      tabStop?.setAttribute("tabindex", "-1");
      row?.setAttribute("tabindex", "0");
      tabStop = row;
    }
    if (focus) row?.focus({ preventScroll: true });
  }

  rowsEl.addEventListener("focusin", (event) => {
    const id = Number(event.target.closest(".conv-row")?.dataset.id);
    if (id && id !== state.cursor) setCursor(id, false);
  });

  function setCursor(id, scroll = true) {
    rows.get(state.cursor)?.classList.remove("cursor");
    state.cursor = id;
    const row = rows.get(id);
    if (row) {
      row.classList.add("cursor");
      if (scroll) row.scrollIntoView({ block: "nearest" });
      row.focus({ preventScroll: true });
    }
    syncTabStop();
  }

  function moveCursor(delta) {
    const items = pages.items;
    if (!items.length) return null;
    const from = state.cursor ?? state.selected;
    let index = items.findIndex((c) => c.id === from);
    index = index === -1 ? (delta > 0 ? 0 : items.length - 1) : index + delta;
    index = Math.max(0, Math.min(items.length - 1, index));
    setCursor(items[index].id);
    if (index >= items.length - 5) pages.loadMore();
    return items[index].id;
  }

  function select(id) {
    const previous = pages.find(state.selected);
    rows.get(state.selected)?.classList.remove("selected");
    rows.get(state.selected)?.removeAttribute("aria-current");
    state.selected = id;
    // A conversation kept in view only because it was open (resolved, reassigned) leaves now.
    if (previous && previous.id !== id) applyLive(previous);
    const row = rows.get(id);
    if (row) {
      row.classList.add("selected");
      row.setAttribute("aria-current", "true");
      row.classList.remove("unread");
      row.querySelector(".unread-dot")?.remove();
    }
    // The cursor's bar moves with the open conversation: one row only ever shows it (setting
    // state.cursor alone left the bar on the row it was on, beside the new one's).
    if (id && id !== state.cursor) {
      rows.get(state.cursor)?.classList.remove("cursor");
      state.cursor = id;
      rows.get(id)?.classList.add("cursor");
    }
    // A row the keyboard was on keeps no ring of its own: focus follows to the open one.
    const focused = document.activeElement?.closest?.(".conv-row");
    if (focused && rowsEl.contains(focused) && rows.get(id) && focused !== rows.get(id)) {
      rows.get(id).focus({ preventScroll: true });
    }
    syncTabStop();
  }

  return {
    el,
    /** Show a view with the search and filters of a URL query (a saved view: `saved`, whose own
     * search, priority, channel and sort the controls take when the URL has none). */
    setView(view, base, label, query = "", saved = null) {
      state.view = view;
      state.base = base;
      state.saved = saved;
      viewMenu.hidden = !saved?.filters;
      state.defaultQuery = saved?.filters ? queryOf(saved.filters) : "";
      title.textContent = label;
      state.cursor = null;
      applyQuery(query);
      return pages.reload();
    },
    /** The URL's query changed (back/forward): true when the list reloads for it. */
    setQuery(query) {
      if (!applyQuery(query)) return false;
      pages.reload();
      return true;
    },
    query: () => queryString(),
    /** A loaded conversation as the list shows it, or null. */
    find: (id) => pages.find(id),
    select,
    applyLive,
    /** A conversation that no longer exists (merged away): its row goes. */
    dropRow(id) {
      if (pages.find(id)) pages.drop(id);
    },
    refresh: () => pages.reload({ keepRows: true }),
    moveCursor,
    cursor: () => state.cursor ?? state.selected,
    tabStop: () => tabStop,
    focusSearch() {
      searchInput.focus();
      searchInput.select();
    },
    neighbour(id) {
      const items = pages.items;
      const index = items.findIndex((c) => c.id === id);
      return items[index + 1]?.id ?? items[index - 1]?.id ?? null;
    },
    get view() {
      return state.view;
    },
    destroy() {
      observer.disconnect();
      offDrafts();
      offPresence();
    },
  };
}
