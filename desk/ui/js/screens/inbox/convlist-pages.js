// The conversation list's data: the loaded conversations in order, paged in from the API, and
// the changes live events make to them. It draws nothing: the view passed in hears each change
// (reset, append, replace, put, drop) and every change of the loading state (status).
import { api } from "../../lib/api.js";

export const PER_PAGE = 50;

/**
 * params(): the list's filters for /api/conversations. wantsMore(): whether the view has room
 * for another page right now (its end is near the visible area).
 */
export function createConversationPages({ params, wantsMore, view }) {
  const state = { items: [], page: 0, total: 0, loading: false, done: false, error: null, generation: 0,
    didYouMean: null };

  function fetchPage(page) {
    return api.get("/api/conversations", { ...params(), page, per_page: PER_PAGE });
  }

  async function loadMore() {
    if (state.loading || state.done) return;
    state.loading = true;
    state.error = null;
    view.status();
    const generation = state.generation;
    try {
      const page = await fetchPage(state.page + 1);
      if (generation !== state.generation) return;
      state.page += 1;
      state.total = page.total;
      state.didYouMean = page.did_you_mean ?? null;
      const fresh = page.items.filter((c) => !find(c.id));
      state.items.push(...fresh);
      view.append(fresh);
      state.done = page.items.length < PER_PAGE || state.items.length >= page.total;
    } catch (err) {
      if (generation !== state.generation) return;
      state.error = err.message;
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        view.status();
        if (!state.done && !state.error && wantsMore()) queueMicrotask(loadMore);
      }
    }
  }

  /** Start again from page 1; keepRows: keep the old rows visible until it arrives. */
  function reload({ keepRows = false } = {}) {
    Object.assign(state, { generation: state.generation + 1, error: null, page: 0, done: false, loading: false });
    if (!keepRows) {
      state.items = [];
      view.reset();
      return loadMore();
    }
    const generation = state.generation;
    state.loading = true;
    return fetchPage(1).then((page) => {
      if (generation !== state.generation) return;
      Object.assign(state, { items: [...page.items], page: 1, total: page.total, didYouMean: page.did_you_mean ?? null });
      view.replace(state.items);
      state.done = page.items.length < PER_PAGE;
    }).catch((err) => {
      state.error = err.message;
    }).finally(() => {
      if (generation === state.generation) {
        state.loading = false;
        view.status();
      }
    });
  }

  function find(id) {
    return state.items.find((c) => c.id === id) || null;
  }

  /** A conversation changed or arrived: in place, or (toTop) moved to the top. */
  function put(conv, { toTop = false, highlight = false } = {}) {
    const index = state.items.findIndex((c) => c.id === conv.id);
    if (index === -1) state.total += 1;
    if (index >= 0 && !toTop) state.items[index] = conv;
    else {
      if (index >= 0) state.items.splice(index, 1);
      state.items.unshift(conv);
    }
    view.put(conv, { toTop: index === -1 || toTop, highlight });
  }

  /** A conversation left this list. */
  function drop(id) {
    state.items = state.items.filter((c) => c.id !== id);
    state.total = Math.max(0, state.total - 1);
    view.drop(id);
  }

  return {
    loadMore, reload, find, put, drop,
    get items() {
      return state.items;
    },
    get total() {
      return state.total;
    },
    get loading() {
      return state.loading;
    },
    get done() {
      return state.done;
    },
    get error() {
      return state.error;
    },
    /** For a search that found nothing: a corrected search that finds something, or null. */
    get didYouMean() {
      return state.didYouMean;
    },
  };
}
