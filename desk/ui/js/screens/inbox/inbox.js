// The inbox: views | conversation list | thread (+ contact panel), live and keyboard-driven.
// This module routes and wires the parts: views.js (the views pane), convlist*.js (the list:
// view, pages, live rule, row), controls.js (the thread header), messages.js, composer.js,
// contactpanel.js, newconversation.js (the "Log a conversation" dialog).
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { store, refreshCountsSoon } from "../../lib/store.js";
import { go, inboxHash } from "../../lib/router.js";
import { toast } from "../../components/toast.js";
import { drafts } from "../../lib/drafts.js";
import { createViewsPane, describeView } from "./views.js";
import { createConversationList } from "./convlist.js";
import { createControls } from "./controls.js";
import { createMessages } from "./messages.js";
import { createComposer } from "./composer.js";
import { createContactPanel } from "./contactpanel.js";
import { openNewConversation } from "./newconversation.js";
import { openMergeConversation } from "./merge.js";
import { createSelection } from "./selection.js";
import { createPresenceLine } from "./presence-line.js";
import { presence } from "../../lib/presence.js";
import { t, tParts } from "../../lib/i18n.js";

const RESOLVE_WAIT_MS = 2000; // "Send and resolve" waits this long for the delivery outcome

export function mountInbox(container, route) {
  const views = createViewsPane();
  const list = createConversationList({
    onNew: () => openNewConversation(opened),
    // The search and filters live in the URL: a reload, back/forward and a copied link keep them.
    onQuery: (query, { replace }) => {
      current.query = query;
      go(inboxHash(current.view, current.id, query), { replace });
    },
  });
  const selection = createSelection(list); // rows picked for a bulk action (selection.js)
  const threadPane = h("section.thread", { "aria-label": t("inbox.conversation") });
  const contactPanel = createContactPanel({ view: () => current.view, onClose: () => toggleContact(false) });
  const layout = h("div.inbox", views.el, list.el, threadPane, contactPanel.el);
  container.append(layout);

  // `id` is the conversation asked for; `shown` the one whose controls, messages and composer are
  // on screen (they differ while the next one loads: keys and events act only on what is shown).
  const current = { view: null, query: "", id: undefined, shown: null, controls: null, messages: null, composer: null, presenceLine: null, loading: 0 };
  let early = []; // live messages for the conversation being loaded, replayed once it is shown
  const mergedHere = new Set(); // conversations this agent merged (their event needs no toast)

  function opened(conversation) {
    refreshCountsSoon();
    list.applyLive(conversation);
    go(inboxHash(current.view, conversation.id, current.query));
  }

  function toggleContact(force) {
    layout.classList.toggle("show-contact", force);
  }

  function emptyThread() {
    clear(threadPane, h("div.thread-empty",
      icon("inbox"), h("p", t("inbox.select")),
      h("p.meta", tParts("inbox.keysHint", {
        j: h("kbd", "j"), k: h("kbd", "k"), enter: h("kbd", "Enter"), help: h("kbd", "?"),
      }))));
    contactPanel.el.hidden = true;
  }

  async function openConversation(id) {
    const token = ++current.loading;
    current.id = id;
    early = [];
    list.select(id);
    current.presenceLine?.destroy();
    current.presenceLine = null;
    if (!id) {
      presence.open(null);
      current.controls = current.messages = current.composer = current.shown = null;
      return emptyThread();
    }
    if (!threadPane.querySelector(".thread-head")) clear(threadPane, h("div.thread-loading", h("span.sk-line"), h("span.sk-line.short")));
    try {
      const conversation = await api.get(`/api/conversations/${id}`);
      if (token !== current.loading) return;
      const controls = createControls({
        onChange: (conv) => {
          list.applyLive(conv);
          refreshCountsSoon();
        },
        onToggleContact: () => toggleContact(),
        onMerge: (conv) => openMergeConversation(conv, (survivor) => {
          mergedHere.add(conv.id);
          presence.forget(conv.id);
          list.dropRow(conv.id);
          list.applyLive(survivor);
          refreshCountsSoon();
          toast(t("merge.done", { from: conv.id, into: survivor.id }));
          go(inboxHash(current.view, survivor.id));
        }),
      });
      controls.set(conversation);
      const messages = createMessages(id);
      const [draft] = await Promise.all([drafts.load(id), messages.load()]);
      if (token !== current.loading) return;
      const composer = createComposer({
        conversation,
        draft,
        thread: messages,
        onSent: async (message, resolve) => {
          messages.sent(message);
          if (resolve) {
            // Resolve only a reply that did not fail at once (one that fails later reopens the
            // conversation by itself): a failed reply must not leave with the conversation.
            if (await messages.outcome(message.id, RESOLVE_WAIT_MS) === "failed") {
              toast(t("composer.failedStaysOpen"), { error: true });
              return;
            }
            const next = list.neighbour(id);
            if (await controls.setStatus("resolved") && current.id === id && next) go(inboxHash(current.view, next, current.query));
          }
        },
      });
      const presenceLine = createPresenceLine(id);
      Object.assign(current, { controls, messages, composer, presenceLine, shown: id });
      store.emit("conversation-opened", id); // its notifications are read
      presence.open(id); // teammates see me here (and `left` where I was)
      for (const msg of early.splice(0)) messages.live(msg);
      clear(threadPane, controls.el, messages.el, presenceLine.el, composer.el);
      messages.el.querySelector(".thread-scroll").scrollTop = 1e9;
      contactPanel.el.hidden = false;
      contactPanel.load(conversation);
      list.applyLive(conversation);
      refreshCountsSoon();
    } catch (err) {
      if (token !== current.loading) return;
      presence.open(null);
      clear(threadPane, h("div.thread-empty", icon("alert"), h("p", t("inbox.couldNotOpen")),
        h("p.error-text", err.message),
        h("button.btn", { type: "button", onclick: () => openConversation(id) }, t("common.tryAgain"))));
    }
  }

  let readTimer = null;
  /** The agent is looking at it: opening it again (GET) marks the new message read. */
  function markReadSoon(id) {
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      if (current.id === id) api.get(`/api/conversations/${id}`).then((conv) => list.applyLive(conv)).catch(() => null);
    }, 600);
  }

  /** After a lost stream: bring the open thread up to date without rebuilding the composer. */
  async function refreshThread() {
    const { shown: id, controls, messages } = current;
    if (!id || id !== current.id) return;
    try {
      const conversation = await api.get(`/api/conversations/${id}`);
      if (current.id !== id) return;
      controls.set(conversation);
      await messages.load();
    } catch (err) {
      toast(t("inbox.couldNotRefresh", { error: err.message }), {
        error: true, action: t("common.retry"), onAction: refreshThread,
      });
    }
  }

  function update(next) {
    const query = next.query || "";
    if (next.view !== current.view) {
      current.view = next.view;
      current.query = query;
      views.setActive(next.view);
      if (!showView()) {
        toast(t("savedViews.gone"));
        return go(inboxHash("open"), { replace: true });
      }
    } else if (query !== current.query) {
      current.query = query;
      list.setQuery(query);
    }
    if (next.conversation !== current.id) openConversation(next.conversation);
  }

  let shownSaved = null; // the saved view the list shows, as it was when shown (JSON)

  /** Give the list the current view; false when it is a saved view that no longer exists. */
  function showView() {
    const { title, params, saved } = describeView(current.view);
    if (saved && !saved.pending && !saved.filters) return false;
    shownSaved = saved ? JSON.stringify(saved) : null;
    list.setView(current.view, params, title, current.query, saved || null);
    return true;
  }

  /** The saved views changed: the one shown follows (renamed, refiltered) or, deleted, leaves. */
  function savedViewsChanged() {
    if (!current.view?.startsWith("view:")) return;
    const { saved } = describeView(current.view);
    if (JSON.stringify(saved) === shownSaved) return;
    if (!showView()) {
      toast(t("savedViews.gone"));
      go(inboxHash("open"), { replace: true });
    }
  }

  let closeDraftToast = null;
  // Live: rows, counts and the open thread follow the team's changes.
  const offs = [
    store.on("conversation.created", (conv) => list.applyLive(conv)),
    store.on("conversation.updated", (conv) => {
      list.applyLive(conv);
      if (conv.id === current.shown) current.controls.set(conv);
    }),
    store.on("message.created", (msg) => {
      if (msg.conversation_id === current.id && current.shown !== current.id) early.push(msg);
      if (msg.conversation_id !== current.shown) return;
      current.messages.live(msg);
      if (msg.type === "incoming" && document.visibilityState === "visible") markReadSoon(msg.conversation_id);
    }),
    store.on("message.updated", (msg) => {
      if (msg.conversation_id === current.id && current.shown !== current.id) early.push(msg);
      else if (msg.conversation_id === current.shown) current.messages.live(msg);
    }),
    // A teammate merged a conversation: its row goes; an open thread follows the survivor.
    store.on("conversation.merged", ({ id, into }) => {
      list.dropRow(id);
      refreshCountsSoon();
      if (current.id === id) {
        if (!mergedHere.has(id)) toast(t("merge.followed", { from: id, into }));
        go(inboxHash(current.view, into));
      } else if (current.shown === into) refreshThread();
    }),
    store.on("message.deleted", (gone) => {
      if (gone.conversation_id === current.shown) current.messages.remove(gone.id);
    }),
    store.on("resync", () => {
      list.refresh();
      refreshThread();
    }),
    store.on("drafts-error", ({ error, retry }) => {
      closeDraftToast?.(); // one toast however many saves failed
      closeDraftToast = toast(t("inbox.draftNotSaved", { error: error.message }), {
        error: true, action: t("common.retry"), onAction: retry,
      });
    }),
    store.on("views", savedViewsChanged),
    store.on("workspace", () => {
      const { title, params } = describeView(current.view);
      if (current.view.startsWith("channel:")) list.setView(current.view, params, title, current.query);
    }),
  ];

  function onKey(key) {
    const shown = current.shown === current.id;
    const conv = shown ? current.controls?.conversation : null;
    switch (key) {
      case "j":
      case "ArrowDown":
        list.moveCursor(1);
        return true;
      case "k":
      case "ArrowUp":
        list.moveCursor(-1);
        return true;
      case "Enter":
      case "o": {
        const id = list.cursor();
        if (id) go(inboxHash(current.view, id, current.query));
        return Boolean(id);
      }
      case "/":
        list.focusSearch();
        return true;
      case "x":
      case "X":
        return selection.key(key);
      case "Escape":
        if (selection.clear()) return true;
        if (layout.classList.contains("show-contact")) {
          toggleContact(false);
          return true;
        }
        if (current.id) {
          go(inboxHash(current.view, null, current.query));
          return true;
        }
        return false;
      case "r":
        if (shown) current.composer?.reply();
        return shown;
      case "n":
        if (shown) current.composer?.note();
        return shown;
      case "e":
        if (conv && conv.status !== "resolved") current.controls.setStatus("resolved");
        return Boolean(conv);
      case "s":
        if (conv) current.controls.snooze();
        return Boolean(conv);
      case "a":
        if (conv) current.controls.assignToMe().then((ok) => ok && toast(t("inbox.assignedToYou")));
        return Boolean(conv);
      case "t":
        if (conv) current.controls.focusTag();
        return Boolean(conv);
      default:
        return false;
    }
  }

  /** Where the keyboard goes on leaving a field: the list from its search, else the thread. */
  function home(field) {
    const thread = current.shown ? threadPane.querySelector(".thread-scroll") : null;
    return list.el.contains(field) || !thread ? list.tabStop() : thread;
  }

  drafts.loadAll().catch(() => null); // the rows' "Draft" marks; each thread loads its own
  presence.start(); // teammates' presence on the rows and in the thread
  update(route);
  return {
    update,
    onKey,
    home,
    unmount() {
      offs.forEach((off) => off());
      current.presenceLine?.destroy();
      presence.stop(); // and `left` for the conversation I had open
      views.destroy();
      selection.destroy();
      list.destroy();
    },
  };
}
