// Drafts: what this agent typed into a conversation's composer and has not sent, kept on the
// server (PUT /api/conversations/{id}/draft) so it survives switching, reloads, restarts of the
// window and another browser. Typing is saved after a short pause, at once when the composer
// goes away, and on leaving the page (a keepalive request). `has(id)` tells the list which rows
// carry "Draft"; store.emit("drafts", id) tells it a row changed.
import { api } from "./api.js";
import { store } from "./store.js";

const SAVE_AFTER_MS = 600;
const local = new Map(); // conversation id → {reply, note}: the newest text, saved or not
const pending = new Map(); // conversation id → timer of a save not yet sent
const inflight = new Map(); // conversation id → the promise of the save being sent
const withDraft = new Set(); // conversation ids with a draft on the server (or on its way)

function blank(text) {
  return !text || !text.trim();
}

function mark(id, draft) {
  const had = withDraft.has(id);
  const has = !blank(draft.reply) || !blank(draft.note);
  if (has) withDraft.add(id);
  else withDraft.delete(id);
  if (had !== has) store.emit("drafts", id);
}

export const drafts = {
  has: (id) => withDraft.has(id),

  /** Every conversation with a draft of mine (for the list's "Draft" marks). */
  async loadAll() {
    withDraft.clear();
    for (const [id, draft] of local) if (!blank(draft.reply) || !blank(draft.note)) withDraft.add(id);
    for (let page = 1; page <= 20; page += 1) {
      const answer = await api.get("/api/drafts", { page, per_page: 100 });
      for (const d of answer.items) if (!local.has(d.conversation_id)) withDraft.add(d.conversation_id);
      if (page * 100 >= answer.total) break;
    }
    store.emit("drafts", null);
  },

  /** The draft of one conversation: the text typed here if any, else the server's. */
  async load(id) {
    if (local.has(id)) return { ...local.get(id) };
    const saved = await api.get(`/api/conversations/${id}/draft`);
    const draft = { reply: saved.reply, note: saved.note };
    if (!local.has(id)) local.set(id, draft);
    mark(id, draft);
    return { ...local.get(id) };
  },

  /** The composer's text changed: keep it, save it after a pause. */
  change(id, draft) {
    local.set(id, { reply: draft.reply, note: draft.note });
    mark(id, draft);
    clearTimeout(pending.get(id));
    pending.set(id, setTimeout(() => drafts.flush(id), SAVE_AFTER_MS));
  },

  /** Send what is waiting now; resolves once the server has it (or said why not). */
  async flush(id, { keepalive = false } = {}) {
    const waiting = pending.has(id);
    clearTimeout(pending.get(id));
    pending.delete(id);
    await inflight.get(id);
    if (!waiting) return;
    const draft = local.get(id);
    if (!draft) return;
    const body = { reply: draft.reply, note: draft.note };
    const saving = api.put(`/api/conversations/${id}/draft`, body, { keepalive })
      .catch((err) => {
        if (err.status === 404) { // the conversation is gone (erased, merged): so is its draft
          local.delete(id);
          mark(id, { reply: "", note: "" });
          return;
        }
        store.emit("drafts-error", { id, error: err, retry: () => drafts.change(id, local.get(id) || body) });
      })
      .finally(() => inflight.delete(id));
    inflight.set(id, saving);
    await saving;
  },

  /** One side was sent: the server cleared it; so do we. */
  sent(id, side) {
    const draft = local.get(id) || { reply: "", note: "" };
    draft[side] = "";
    local.set(id, draft);
    mark(id, draft);
  },

  /** Save everything waiting (leaving the page). */
  flushAll({ keepalive = false } = {}) {
    for (const id of [...pending.keys()]) drafts.flush(id, { keepalive });
  },
};

// Leaving the page (reload, closing the tab or the window): what is waiting goes out anyway.
window.addEventListener("pagehide", () => drafts.flushAll({ keepalive: true }));
// Another agent signing in on this page starts from their own drafts.
let owner = null;
store.on("me", (me) => {
  if (!me || me.id === owner) return;
  owner = me.id;
  for (const timer of pending.values()) clearTimeout(timer);
  pending.clear();
  local.clear();
  withDraft.clear();
});
