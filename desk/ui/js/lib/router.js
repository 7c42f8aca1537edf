// Hash routes: #/inbox/<view>[/c/<id>], #/contacts[/<id>], #/analytics/<days>, #/settings/<page>.

export function parseRoute(hash = location.hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const screen = parts[0] || "inbox";
  if (screen === "inbox") {
    const view = parts[1] || "open";
    const at = parts.indexOf("c");
    const id = at > 0 ? Number(parts[at + 1]) || null : null;
    return { screen, view, conversation: id };
  }
  if (screen === "contacts") return { screen, contact: Number(parts[1]) || null };
  if (screen === "analytics") return { screen, days: Number(parts[1]) || 30 };
  if (screen === "settings") return { screen, page: parts[1] || "workspace" };
  return { screen: "inbox", view: "open", conversation: null };
}

export function inboxHash(view, conversation) {
  const base = `#/inbox/${encodeURIComponent(view || "open")}`;
  return conversation ? `${base}/c/${conversation}` : base;
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
