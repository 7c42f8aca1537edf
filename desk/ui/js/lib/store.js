// Shared state: who is signed in, the workspace, the inbox counts, the tags, the live stream's
// state; and a tiny event hub. State is read as store.me and written only with
// store.set("me", value), which tells every store.on("me", fn) listener: no screen can change
// shared state without the others hearing of it (a plain assignment throws).
import { api } from "./api.js";

const listeners = new Map();
const state = { me: null, workspace: null, counts: null, tags: [], views: null, live: "connecting" };

export const store = {
  get me() {
    return state.me;
  },
  get workspace() {
    return state.workspace;
  },
  get counts() {
    return state.counts;
  },
  get tags() {
    return state.tags;
  },
  /** The saved views this agent sees, in their order (null until loaded). */
  get views() {
    return state.views;
  },
  get live() {
    return state.live;
  },

  /** The one way to change shared state: set it, then tell the listeners of `key`. */
  set(key, value) {
    if (!Object.hasOwn(state, key)) throw new Error(`The store has no "${key}".`);
    state[key] = value;
    this.emit(key, value);
    return value;
  },

  on(name, fn) {
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name).add(fn);
    return () => listeners.get(name).delete(fn);
  },

  emit(name, detail) {
    for (const fn of [...(listeners.get(name) || [])]) {
      try {
        fn(detail);
      } catch (err) {
        console.warn(`listener for ${name} failed`, err); // keep other listeners going
      }
    }
  },

  get isAdmin() {
    return this.me?.role === "admin";
  },

  teammate(id) {
    return (this.workspace?.team || []).find((member) => member.id === id) || null;
  },

  channel(id) {
    return (this.workspace?.channels || []).find((channel) => channel.id === id) || null;
  },

  async loadWorkspace() {
    return this.set("workspace", await api.get("/api/settings/workspace"));
  },

  async loadCounts() {
    if (!this.me) return; // signed out meanwhile: nothing to ask
    try {
      this.set("counts", await api.get("/api/conversations/counts"));
    } catch (err) {
      if (err.status !== 401) this.emit("counts-error", err);
    }
  },

  async loadViews() {
    if (!this.me) return;
    try {
      const page = await api.get("/api/views", { per_page: 100 });
      this.set("views", page.items);
    } catch (err) {
      if (err.status !== 401) this.emit("views-error", err);
    }
  },

  async loadTags() {
    if (!this.me) return;
    try {
      const page = await api.get("/api/tags", { per_page: 100 });
      this.set("tags", page.items);
    } catch (err) {
      if (err.status !== 401) this.emit("tags-error", err);
    }
  },
};

let countsTimer = null;

/** Refresh counts (and tags) at most every 400 ms however many events arrive. */
export function refreshCountsSoon() {
  if (countsTimer) return;
  countsTimer = setTimeout(() => {
    countsTimer = null;
    store.loadCounts();
    store.loadTags();
  }, 400);
}
