// The conversation list's view: search, filters, sort, the rows, their loading state and a
// keyboard cursor. Its data and paging are convlist-pages.js; what live events do to it,
// convlist-live.js; one row, convlist-row.js.
import { h, clear } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS } from "../../components/icons.js";
import { store } from "../../lib/store.js";
import { drafts } from "../../lib/drafts.js";
import { createConversationPages } from "./convlist-pages.js";
import { applyLiveChange } from "./convlist-live.js";
import { conversationRow } from "./convlist-row.js";
import { t } from "../../lib/i18n.js";

const SORTS = [
  ["last_activity_desc", "Latest"],
  ["created_desc", "Newest"],
  ["created_asc", "Oldest"],
  ["priority_desc", "Urgent first"],
  ["waiting_longest", "Waiting longest", "sort.waitingLongest"],
];

export function createConversationList({ onNew }) {
  const state = { view: "open", base: {}, search: "", priority: "", channelType: "", sort: "last_activity_desc",
    selected: null, cursor: null };
  const rows = new Map(); // conversation id → its row element
  const title = h("h2.list-title", t("views.open"));
  const total = h("span.meta");
  const searchInput = h("input", {
    type: "search", name: "search", placeholder: "Search conversations", "aria-label": "Search conversations",
    autocomplete: "off",
  });
  const priority = h("select", { "aria-label": "Priority filter", name: "priority" },
    h("option", { value: "" }, "Priority"),
    ["urgent", "high", "normal", "low"].map((p) => h("option", { value: p }, p[0].toUpperCase() + p.slice(1))));
  const channelType = h("select", { "aria-label": "Channel filter", name: "channel_type" },
    h("option", { value: "" }, "Channel"),
    Object.entries(CHANNEL_LABELS).map(([value, label]) => h("option", { value }, label)));
  const sort = h("select", { "aria-label": "Sort", name: "sort" },
    SORTS.map(([value, label, key]) => h("option", { value }, key ? t(key) : label)));
  const rowsEl = h("div.conv-rows");
  const sentinel = h("div.sentinel", { "aria-hidden": "true" });
  const status = h("div.list-status", { role: "status" });
  const scroller = h("div.list-scroll", rowsEl, status, sentinel);
  const el = h("section.list", { "aria-label": "Conversation list" },
    h("header.list-head",
      h("div.row", title, total, h("div.spacer"),
        h("button.btn.small", { type: "button", onclick: onNew, title: "Log a conversation" },
          icon("plus"), "New")),
      h("label.search-box", icon("search"), searchInput),
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

  let debounce = null;
  searchInput.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.search = searchInput.value.trim();
      pages.reload();
    }, 250);
  });
  searchInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(debounce);
      state.search = searchInput.value.trim();
      pages.reload();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      searchInput.blur();
      moveCursor(1);
    }
  });
  for (const [select, key] of [[priority, "priority"], [channelType, "channelType"], [sort, "sort"]]) {
    select.addEventListener("change", () => {
      state[key] = select.value;
      pages.reload();
    });
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) pages.loadMore();
  }, { root: scroller, rootMargin: "800px 0px" });
  observer.observe(sentinel);

  function params() {
    return {
      ...state.base, search: state.search, priority: state.priority || state.base.priority,
      channel_type: state.channelType, sort: state.sort,
    };
  }

  function render(conv) {
    const words = state.search.split(/\s+/).filter((w) => w.length > 0);
    const row = conversationRow(conv, {
      view: state.view, selected: state.selected, cursor: state.cursor, words, draft: drafts.has(conv.id),
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

  function renderStatus() {
    const empty = !pages.items.length;
    if (pages.loading && empty) {
      clear(status, Array.from({ length: 8 }, () => h("div.skeleton-row", h("span.sk-avatar"),
        h("div", h("span.sk-line"), h("span.sk-line.short")))));
    } else if (empty && pages.done) {
      clear(status, emptyState());
    } else if (pages.error) {
      clear(status, h("div.error-box", pages.error,
        h("button.btn.small", { type: "button", onclick: pages.loadMore, style: "margin-left:8px" }, "Retry")));
    } else clear(status, pages.loading ? h("p.meta.center", "Loading more…") : "");
    total.textContent = pages.done || pages.total ? `${pages.total.toLocaleString()}` : "";
  }

  function emptyState() {
    if (state.search) {
      return h("div.empty", h("p", `No conversations match “${state.search}”.`),
        h("p.muted", "Try fewer words, or look in Resolved."));
    }
    if (state.view === "open" && !store.counts?.open_only && !state.priority && !state.channelType) {
      const channels = store.workspace?.channels || [];
      return h("div.empty",
        h("h3", "No conversations yet"),
        h("p.muted", channels.length
          ? "Conversations arrive through your channels. Log a phone call or a message yourself to start one."
          : "Conversations arrive through channels (email, web chat, API, phone). An admin adds them in Settings → Channels."),
        h("div.row.center",
          channels.length ? h("button.btn.primary", { type: "button", onclick: onNew }, icon("plus"), "Log a conversation") : null,
          store.isAdmin ? h("a.btn", { href: "#/settings/channels" }, "Add a channel") : null));
    }
    return h("div.empty", h("p.muted", "Nothing here. Nice work."));
  }

  /** A live change (or a fresher answer) for one conversation. */
  function applyLive(conv) {
    applyLiveChange(pages, conv, { params: params(), sort: state.sort, selected: state.selected, meId: store.me.id });
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
    if (id) state.cursor = id;
    syncTabStop();
  }

  return {
    el,
    setView(view, base, label) {
      state.view = view;
      state.base = base;
      title.textContent = label;
      state.cursor = null;
      return pages.reload();
    },
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
    },
  };
}
