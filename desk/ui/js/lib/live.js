// The live event stream: one EventSource, re-opened with backoff, its state in store.live.
import { api } from "./api.js";
import { store, refreshCountsSoon } from "./store.js";

const KINDS = ["conversation.created", "conversation.updated", "message.created", "message.updated",
  "message.deleted", "health.updated", "notification.created", "conversation.merged", "contact.merged",
  "channels.changed", "import.progress", "presence", "views.changed"];

let source = null;
let retryTimer = null;
let retryDelay = 1000;
let wasLost = false;

function setState(state) {
  if (store.live === state) return;
  store.set("live", state);
}

function dispatch(kind, raw) {
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  store.emit(kind, data);
  if (kind.startsWith("conversation.")) refreshCountsSoon();
  if (kind === "views.changed") {
    store.loadViews(); // a teammate's shared view, or this agent's from another tab
    refreshCountsSoon();
  }
}

export function startLive() {
  stopLive();
  source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    retryDelay = 1000;
    setState("live");
    if (wasLost) {
      wasLost = false;
      store.emit("resync"); // events may have been missed while away: reload what is shown
      refreshCountsSoon();
      store.loadViews();
    }
  });
  for (const kind of KINDS) source.addEventListener(kind, (event) => dispatch(kind, event.data));
  source.addEventListener("message", (event) => {
    // Streams that send no `event:` name put the kind inside the data.
    try {
      const parsed = JSON.parse(event.data);
      if (parsed && parsed.kind && parsed.data) store.emit(parsed.kind, parsed.data);
    } catch {
      /* not ours */
    }
  });
  source.addEventListener("error", () => {
    if (!source) return;
    wasLost = true;
    setState("reconnecting");
    if (source.readyState === EventSource.CLOSED) scheduleReopen();
  });
}

function scheduleReopen() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(async () => {
    try {
      await api.get("/api/auth/me"); // a 401 here sends the agent to sign in
      startLive();
    } catch (err) {
      if (err.status === 401) return stopLive();
      scheduleReopen();
    }
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 15000);
}

export function stopLive() {
  clearTimeout(retryTimer);
  if (source) {
    const old = source;
    source = null;
    old.close();
  }
}
