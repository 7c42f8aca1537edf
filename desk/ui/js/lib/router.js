// Moving between hashes: go(), listening with onRoute(), and the links screens build. What each
// hash means is the route table's business (../routes.js).

/** `query`: the list's search and filters as a URL query ("q=refund&priority=high"). */
export function inboxHash(view, conversation, query = "") {
  const base = `#/inbox/${encodeURIComponent(view || "open")}`;
  const path = conversation ? `${base}/c/${conversation}` : base;
  return query ? `${path}?${query}` : path;
}

export function go(hash, { replace = false } = {}) {
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, "", hash);
  else history.pushState(null, "", hash);
  window.dispatchEvent(new Event("routechange"));
}

export function onRoute(fn) {
  window.addEventListener("hashchange", fn);
  window.addEventListener("popstate", fn);
  window.addEventListener("routechange", fn);
}
