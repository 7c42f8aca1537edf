// Presence: which teammates have a conversation open or are typing in it (collision hints).
// Heard from `presence` events and read with GET /api/presence (at start and after a lost
// stream); my own is said with POST /api/conversations/{id}/presence: `viewing` on opening and
// every HEARTBEAT_MS while open (the server ends a state not refreshed for 30 s), `typing` at
// most every TYPING_EVERY_MS while I type (back to `viewing` after TYPING_IDLE_MS), `left` on
// switching away, leaving the inbox or closing the page. store.emit("presence-changed", id)
// tells the list and the thread that a conversation's teammates changed.
import { api } from "./api.js";
import { store } from "./store.js";

const HEARTBEAT_MS = 15000;
const TYPING_EVERY_MS = 3000;
const TYPING_IDLE_MS = 5000;
const STALE_MS = 35000; // a teammate not heard of for this long is gone (their `left` was missed)

const byConversation = new Map(); // conversation id → Map(agent id → {agent, state, heard})
let started = 0;
let offs = [];
let pruneTimer = null;

const mine = { id: null, state: null, heartbeat: null, idle: null, lastTyping: 0 };

function changed(id) {
  store.emit("presence-changed", id);
}

function apply({ conversation_id: id, agent, state }) {
  if (!agent || agent.id === store.me?.id) return; // my own tabs are not teammates
  const here = byConversation.get(id) || new Map();
  const before = here.get(agent.id)?.state;
  if (state === "left") here.delete(agent.id);
  else here.set(agent.id, { agent, state, heard: Date.now() });
  if (here.size) byConversation.set(id, here);
  else byConversation.delete(id);
  if (before !== (state === "left" ? undefined : state)) changed(id);
}

function prune() {
  const now = Date.now();
  for (const [id, here] of byConversation) {
    let gone = false;
    for (const [agentId, entry] of here) {
      if (now - entry.heard > STALE_MS) {
        here.delete(agentId);
        gone = true;
      }
    }
    if (!here.size) byConversation.delete(id);
    if (gone) changed(id);
  }
}

async function reload() {
  try {
    const answer = await api.get("/api/presence", { per_page: 100 });
    const ids = new Set(byConversation.keys());
    byConversation.clear();
    for (const item of answer.items) {
      ids.add(item.conversation_id);
      apply(item);
    }
    for (const id of ids) changed(id);
  } catch {
    /* presence is a hint: without it the inbox works as before */
  }
}

function say(id, state, opts) {
  return api.post(`/api/conversations/${id}/presence`, { state }, opts).catch(() => null);
}

/** Conversation `id` is gone (merged away, erased): nothing more to say about it. */
function gone({ id }) {
  if (byConversation.delete(id)) changed(id);
  if (mine.id !== id) return;
  mine.id = null; // no `left` for it: it would answer 404
  leave();
}

function leave(opts) {
  clearInterval(mine.heartbeat);
  clearTimeout(mine.idle);
  const said = mine.id ? say(mine.id, "left", opts) : Promise.resolve(null);
  Object.assign(mine, { id: null, state: null, heartbeat: null, idle: null, lastTyping: 0 });
  return said;
}

window.addEventListener("pagehide", () => leave({ keepalive: true }));

export const presence = {
  /** Listen (the inbox mounts); each start needs a stop. */
  start() {
    started += 1;
    if (started > 1) return;
    offs = [store.on("presence", apply), store.on("resync", reload),
      store.on("conversation.merged", gone), store.on("conversation.deleted", gone)];
    pruneTimer = setInterval(prune, 5000);
    reload();
  },

  stop() {
    started = Math.max(0, started - 1);
    if (started) return;
    leave();
    offs.forEach((off) => off());
    offs = [];
    clearInterval(pruneTimer);
    byConversation.clear();
  },

  /** Signing out: `left` while the session still holds (after it, the call would answer 401). */
  signOff() {
    return leave();
  },

  /** Conversation `id` is gone (I merged it away): forget it, without a `left` that would 404. */
  forget(id) {
    gone({ id });
  },

  /** Teammates (not me) in conversation `id`: [{agent, state}], typing first, then by name. */
  others(id) {
    const here = [...(byConversation.get(id)?.values() || [])];
    return here.sort((a, b) => (a.state === "typing" ? 0 : 1) - (b.state === "typing" ? 0 : 1)
      || a.agent.name.localeCompare(b.agent.name));
  },

  /** I opened conversation `id` (null: none): `left` for the one before, `viewing` for it. */
  open(id) {
    if (mine.id === id) return;
    leave();
    if (!id) return;
    mine.id = id;
    mine.state = "viewing";
    say(id, "viewing");
    mine.heartbeat = setInterval(() => mine.id === id && say(id, mine.state), HEARTBEAT_MS);
  },

  /** I typed in the open conversation's reply: `typing`, at most every TYPING_EVERY_MS. */
  typing() {
    const id = mine.id;
    if (!id) return;
    const now = Date.now();
    if (mine.state !== "typing" || now - mine.lastTyping >= TYPING_EVERY_MS) {
      mine.state = "typing";
      mine.lastTyping = now;
      say(id, "typing");
    }
    clearTimeout(mine.idle);
    mine.idle = setTimeout(() => presence.stopTyping(), TYPING_IDLE_MS);
  },

  /** I stopped typing (sent, or paused): back to `viewing`. */
  stopTyping() {
    clearTimeout(mine.idle);
    if (!mine.id || mine.state !== "typing") return;
    mine.state = "viewing";
    say(mine.id, "viewing");
  },
};
