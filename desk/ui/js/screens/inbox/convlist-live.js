// What a live change to a conversation does to a loaded list: slide in at the top, update in
// place, move to the top, or drop out of the view it no longer fits.

/** Whether a conversation belongs in a list with these filters (null: can't tell, e.g. search). */
export function matchesFilters(conv, params, meId) {
  if (params.search) return null;
  const status = params.status || "";
  if (status && status !== "all" && conv.status !== status) return false;
  if (!status && conv.status === "resolved") return false;
  if (params.assignee === "me" && conv.assignee?.id !== meId) return false;
  if (params.assignee === "unassigned" && conv.assignee) return false;
  if (params.channel_id && conv.channel_id !== Number(params.channel_id)) return false;
  if (params.channel_type && conv.channel_type !== params.channel_type) return false;
  if (params.priority && conv.priority !== params.priority) return false;
  if (params.tag && !(conv.tags || []).includes(params.tag)) return false;
  if (params.failed === "true" && !(conv.failed_count > 0)) return false;
  return true;
}

/**
 * Apply `conv` (as an event or an answer brought it) to `pages`. The open conversation stays
 * even when it no longer fits (it leaves when the agent moves on); a conversation not loaded
 * yet slides in only where the sort puts new activity first.
 */
export function applyLiveChange(pages, conv, { params, sort, selected, meId }) {
  const fits = matchesFilters(conv, params, meId);
  const old = pages.find(conv.id);
  if (fits === false && old && conv.id !== selected) pages.drop(conv.id);
  else if (old) {
    const moved = sort === "last_activity_desc" && old.last_activity_at !== conv.last_activity_at;
    pages.put(conv, { toTop: moved, highlight: moved });
  } else if (fits && (sort === "last_activity_desc" || sort === "created_desc")) {
    pages.put(conv, { toTop: true, highlight: true });
  }
}
