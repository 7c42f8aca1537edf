// The conversation list: search, filters, sort, paging on scroll, live rows, a keyboard cursor.
import { api } from "../../lib/api.js";
import { h, clear, highlighted } from "../../lib/dom.js";
import { icon, CHANNEL_LABELS } from "../../components/icons.js";
import { avatar, contactName, initials, relativeTime, fullTime } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { inboxHash } from "../../lib/router.js";
import { matchesFilters } from "./views.js";

const PER_PAGE = 50;
const SORTS = [
  ["last_activity_desc", "Latest"],
  ["created_desc", "Newest"],
  ["created_asc", "Oldest"],
  ["priority_desc", "Urgent first"],
];

export function createConversationList({ onNew }) {
  const state = {
    view: "open", base: {}, search: "", priority: "", channelType: "", sort: "last_activity_desc",
    items: [], rows: new Map(), page: 0, total: 0, loading: false, done: false, generation: 0,
    selected: null, cursor: null,
  };
  const title = h("h2.list-title", "All open");
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
    SORTS.map(([value, label]) => h("option", { value }, label)));
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

  let debounce = null;
  searchInput.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.search = searchInput.value.trim();
      reload();
    }, 250);
  });
  searchInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(debounce);
      state.search = searchInput.value.trim();
      reload();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      searchInput.blur();
      moveCursor(1);
    }
  });
  for (const [select, key] of [[priority, "priority"], [channelType, "channelType"], [sort, "sort"]]) {
    select.addEventListener("change", () => {
      state[key] = select.value;
      reload();
    });
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) loadMore();
  }, { root: scroller, rootMargin: "800px 0px" });
  observer.observe(sentinel);

  function params() {
    return {
      ...state.base, search: state.search, priority: state.priority || state.base.priority,
      channel_type: state.channelType, sort: state.sort,
    };
  }

  function words() {
    return state.search.split(/\s+/).filter((w) => w.length > 0);
  }

  function row(conv) {
    const name = contactName(conv.contact);
    const unread = conv.unread_count > 0 && conv.id !== state.selected; // open = being read
    const chips = [h("span.chip", { title: conv.channel_name || CHANNEL_LABELS[conv.channel_type] },
      icon(conv.channel_type, CHANNEL_LABELS[conv.channel_type]))];
    if (conv.priority === "urgent" || conv.priority === "high") {
      chips.push(h("span.chip", { class: conv.priority }, icon("flag"), conv.priority));
    }
    for (const tag of (conv.tags || []).slice(0, 3)) chips.push(h("span.chip", highlighted(tag, words())));
    if ((conv.tags || []).length > 3) chips.push(h("span.chip", `+${conv.tags.length - 3}`));
    if (conv.status !== "open") chips.push(h("span.chip", { class: conv.status === "resolved" ? "resolved" : "" }, conv.status));
    const last = conv.last_message?.preview || "";
    const preview = conv.subject && last.startsWith(conv.subject) ? last.slice(conv.subject.length).trim() : last;
    const a = h("a.conv-row", {
      href: inboxHash(state.view, conv.id), dataset: { id: conv.id },
      class: [unread ? "unread" : "", conv.id === state.selected ? "selected" : ""].join(" "),
      "aria-current": conv.id === state.selected ? "true" : null,
      tabindex: "-1",
    },
    avatar(name),
    h("div.conv-main",
      h("div.conv-line", h("span.conv-name", highlighted(name, words())),
        unread ? h("span.unread-dot", { "aria-label": `${conv.unread_count} unread` }) : null,
        h("time.meta", { datetime: conv.last_activity_at, title: fullTime(conv.last_activity_at) },
          relativeTime(conv.last_activity_at))),
      h("div.conv-preview",
        conv.subject ? h("span.conv-subject", highlighted(conv.subject, words())) : null,
        conv.subject && preview ? " — " : null,
        h("span", highlighted(preview, words()))),
      h("div.conv-chips", h("span.chips", chips),
        conv.assignee ? h("span.assignee", { title: `Assigned to ${conv.assignee.name}` },
          initials(conv.assignee.name)) : null)));
    if (conv.id === state.cursor) a.classList.add("cursor");
    return a;
  }

  function renderStatus() {
    if (state.loading && !state.items.length) {
      clear(status, Array.from({ length: 8 }, () => h("div.skeleton-row", h("span.sk-avatar"),
        h("div", h("span.sk-line"), h("span.sk-line.short")))));
    } else if (!state.items.length && state.done) {
      clear(status, emptyState());
    } else if (state.error) {
      clear(status, h("div.error-box", state.error,
        h("button.btn.small", { type: "button", onclick: loadMore, style: "margin-left:8px" }, "Retry")));
    } else clear(status, state.loading ? h("p.meta.center", "Loading more…") : "");
    total.textContent = state.done || state.total ? `${state.total.toLocaleString()}` : "";
  }

  function emptyState() {
    if (state.search) {
      return h("div.empty", h("p", `No conversations match “${state.search}”.`),
        h("p.muted", "Try fewer words, or look in Resolved."));
    }
    if (state.view === "open" && !store.counts?.open && !state.priority && !state.channelType) {
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

  async function loadMore() {
    if (state.loading || state.done) return;
    state.loading = true;
    state.error = null;
    renderStatus();
    const generation = state.generation;
    try {
      const page = await api.get("/api/conversations", { ...params(), page: state.page + 1, per_page: PER_PAGE });
      if (generation !== state.generation) return;
      state.page += 1;
      state.total = page.total;
      const fresh = page.items.filter((c) => !state.rows.has(c.id));
      for (const conv of fresh) {
        state.items.push(conv);
        const el = row(conv);
        state.rows.set(conv.id, el);
        rowsEl.append(el);
      }
      state.done = page.items.length < PER_PAGE || state.items.length >= page.total;
    } catch (err) {
      if (generation !== state.generation) return;
      state.error = err.message;
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        renderStatus();
        if (!state.done && !state.error && sentinel.getBoundingClientRect().top < scroller.getBoundingClientRect().bottom + 800) {
          queueMicrotask(loadMore);
        }
      }
    }
  }

  function reload({ keepRows = false } = {}) {
    state.generation += 1;
    state.error = null;
    state.page = 0;
    state.done = false;
    state.loading = false;
    if (!keepRows) {
      state.items = [];
      state.rows = new Map();
      rowsEl.replaceChildren();
      scroller.scrollTop = 0;
      return loadMore();
    }
    // Refresh in place: keep the old rows visible until the first page arrives.
    const generation = state.generation;
    state.loading = true;
    return api.get("/api/conversations", { ...params(), page: 1, per_page: PER_PAGE }).then((page) => {
      if (generation !== state.generation) return;
      state.items = [];
      state.rows = new Map();
      rowsEl.replaceChildren();
      state.page = 1;
      state.total = page.total;
      for (const conv of page.items) {
        state.items.push(conv);
        const el = row(conv);
        state.rows.set(conv.id, el);
        rowsEl.append(el);
      }
      state.done = page.items.length < PER_PAGE;
    }).catch((err) => {
      state.error = err.message;
    }).finally(() => {
      if (generation === state.generation) {
        state.loading = false;
        renderStatus();
      }
    });
  }

  function replaceRow(conv, { highlight = false, toTop = false } = {}) {
    const old = state.rows.get(conv.id);
    const el = row(conv);
    if (highlight) el.classList.add("arrived");
    const index = state.items.findIndex((c) => c.id === conv.id);
    if (index >= 0) state.items[index] = conv;
    if (old && !toTop) old.replaceWith(el);
    else {
      old?.remove();
      if (index >= 0) state.items.splice(index, 1);
      state.items.unshift(conv);
      rowsEl.prepend(el);
    }
    state.rows.set(conv.id, el);
  }

  /** A live change: slide in, update in place, move to the top, or drop out of this view. */
  function applyLive(conv, created) {
    const fits = matchesFilters(conv, params(), store.me.id);
    const present = state.rows.has(conv.id);
    if (fits === false && present && conv.id !== state.selected) {
      state.rows.get(conv.id).remove();
      state.rows.delete(conv.id);
      state.items = state.items.filter((c) => c.id !== conv.id);
      state.total = Math.max(0, state.total - 1);
    } else if (present) {
      const old = state.items.find((c) => c.id === conv.id);
      const moved = state.sort === "last_activity_desc" && old && old.last_activity_at !== conv.last_activity_at;
      replaceRow(conv, { toTop: moved, highlight: moved });
    } else if (fits && (state.sort === "last_activity_desc" || state.sort === "created_desc")) {
      replaceRow(conv, { highlight: true, toTop: true });
      state.total += 1;
      if (created && !state.items.length) renderStatus();
    }
    renderStatus();
  }

  function setCursor(id, scroll = true) {
    state.rows.get(state.cursor)?.classList.remove("cursor");
    state.cursor = id;
    const el = state.rows.get(id);
    if (el) {
      el.classList.add("cursor");
      if (scroll) el.scrollIntoView({ block: "nearest" });
      el.focus({ preventScroll: true });
    }
  }

  function moveCursor(delta) {
    if (!state.items.length) return null;
    const from = state.cursor ?? state.selected;
    let index = state.items.findIndex((c) => c.id === from);
    index = index === -1 ? (delta > 0 ? 0 : state.items.length - 1) : index + delta;
    index = Math.max(0, Math.min(state.items.length - 1, index));
    setCursor(state.items[index].id);
    if (index >= state.items.length - 5) loadMore();
    return state.items[index].id;
  }

  return {
    el,
    setView(view, base, label) {
      state.view = view;
      state.base = base;
      title.textContent = label;
      state.cursor = null;
      return reload();
    },
    select(id) {
      const previous = state.items.find((c) => c.id === state.selected);
      state.rows.get(state.selected)?.classList.remove("selected");
      state.rows.get(state.selected)?.removeAttribute("aria-current");
      state.selected = id;
      // A conversation kept in view only because it was open (resolved, reassigned) leaves now.
      if (previous && previous.id !== id) applyLive(previous);
      const el = state.rows.get(id);
      if (el) {
        el.classList.add("selected");
        el.setAttribute("aria-current", "true");
        el.classList.remove("unread");
        el.querySelector(".unread-dot")?.remove();
      }
      if (id) state.cursor = id;
    },
    applyLive,
    refresh: () => reload({ keepRows: true }),
    moveCursor,
    cursor: () => state.cursor ?? state.selected,
    focusSearch() {
      searchInput.focus();
      searchInput.select();
    },
    neighbour(id) {
      const index = state.items.findIndex((c) => c.id === id);
      return state.items[index + 1]?.id ?? state.items[index - 1]?.id ?? null;
    },
    get view() {
      return state.view;
    },
    destroy() {
      observer.disconnect();
    },
  };
}
