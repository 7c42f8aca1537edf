// Shared state: who is signed in, the workspace, the inbox counts; and a tiny event hub.
import { api } from "./api.js";

const listeners = new Map();

export const store = {
  me: null,
  workspace: null,
  counts: null,
  tags: [],
  live: "connecting",

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
    this.workspace = await api.get("/api/settings/workspace");
    this.emit("workspace", this.workspace);
    return this.workspace;
  },

  async loadCounts() {
    if (!this.me) return; // signed out meanwhile: nothing to ask
    try {
      this.counts = await api.get("/api/conversations/counts");
      this.emit("counts", this.counts);
    } catch (err) {
      if (err.status !== 401) this.emit("counts-error", err);
    }
  },

  async loadTags() {
    if (!this.me) return;
    try {
      const page = await api.get("/api/tags", { per_page: 100 });
      this.tags = page.items;
      this.emit("tags", this.tags);
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
