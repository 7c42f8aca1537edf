// Bulk actions on the list's selected conversations: the calls (POST /api/conversations/bulk,
// 100 ids at a time), what each action does to a row before its live event arrives, and the
// calls that undo it (each conversation back to its own previous status, assignee, priority
// or tags).
import { api } from "../../lib/api.js";
import { store } from "../../lib/store.js";

const MAX_IDS = 100; // the API's limit per request

/** Apply `action` to `ids`: every id's result ({id, ok, status?, error?}), in order. */
export async function bulkCall(ids, action) {
  const results = [];
  for (let start = 0; start < ids.length; start += MAX_IDS) {
    const answer = await api.post("/api/conversations/bulk", { ids: ids.slice(start, start + MAX_IDS), action });
    results.push(...answer.results);
  }
  return results;
}

/** The conversation as `action` leaves it (shown at once; its live event confirms it). */
export function applied(conv, action) {
  switch (action.type) {
    case "set_status":
      return { ...conv, status: action.status, snoozed_until: action.snoozed_until ?? null };
    case "assign": {
      const member = action.agent_id === null ? null : store.teammate(action.agent_id);
      return { ...conv, assignee: member ? { id: member.id, name: member.name } : conv.assignee };
    }
    case "set_priority":
      return { ...conv, priority: action.priority };
    case "add_tag":
      return { ...conv, tags: [...new Set([...conv.tags, action.tag])].sort() };
    case "remove_tag":
      return { ...conv, tags: conv.tags.filter((tag) => tag !== action.tag) };
    default:
      return conv;
  }
}

/**
 * The calls that undo `action` on the conversations it changed: `before` maps each id to the
 * conversation as it was. Conversations that were already so need nothing; the rest are
 * grouped by the value they go back to, one call per group: [{ids, action}].
 */
export function undoCalls(action, ids, before, now = Date.now()) {
  const groups = new Map();
  const add = (key, back, id) => {
    if (!groups.has(key)) groups.set(key, { ids: [], action: back });
    groups.get(key).ids.push(id);
  };
  for (const id of ids) {
    const was = before.get(id);
    if (!was) continue;
    const back = previous(action, was, now);
    if (back) add(JSON.stringify(back), back, id);
  }
  return [...groups.values()];
}

/** The action that puts `was` back, or null when `action` did not change it. */
function previous(action, was, now) {
  switch (action.type) {
    case "set_status": {
      if (was.status === action.status && (was.snoozed_until ?? null) === (action.snoozed_until ?? null)) return null;
      // A snooze whose time has passed meanwhile would have woken up: open.
      if (was.status === "snoozed" && was.snoozed_until && Date.parse(was.snoozed_until) > now) {
        return { type: "set_status", status: "snoozed", snoozed_until: was.snoozed_until };
      }
      return { type: "set_status", status: was.status === "snoozed" ? "open" : was.status };
    }
    case "assign": {
      const back = was.assignee?.id ?? null;
      return back === action.agent_id ? null : { type: "assign", agent_id: back };
    }
    case "set_priority":
      return was.priority === action.priority ? null : { type: "set_priority", priority: was.priority };
    case "add_tag":
      return was.tags.includes(action.tag) ? null : { type: "remove_tag", tag: action.tag };
    case "remove_tag":
      return was.tags.includes(action.tag) ? { type: "add_tag", tag: action.tag } : null;
    default:
      return null;
  }
}
