// The route table: for every screen, its hash, how the rest of the hash is read, what it mounts
// and its window title. A new screen is one entry here (and its module under screens/).
//
// mount(container, route) returns { update(route), onKey?(key, event) → handled, unmount?() };
// the shell calls update() while the hash stays on the same screen.
import { mountInbox } from "./screens/inbox/inbox.js";
import { mountContacts } from "./screens/contacts/contacts.js";
import { mountAnalytics } from "./screens/analytics.js";
import { mountSettings } from "./screens/settings/settings.js";
import { t } from "./lib/i18n.js";

export const ROUTES = {
  // #/inbox/<view>[/c/<conversation id>]
  inbox: {
    get label() { return t("nav.inbox"); }, icon: "inbox", goKey: "i", mount: mountInbox, title: () => t("nav.inbox"),
    // #/inbox/<view>[/c/<id>][?q=…&priority=…&channel=…&sort=…&in=view]: the list's search and
    // filters live in the URL, so a reload, back/forward and a copied link keep them.
    parse(parts, query) {
      const at = parts.indexOf("c");
      return { view: parts[0] || "open", conversation: at >= 0 ? Number(parts[at + 1]) || null : null, query };
    },
  },
  // #/contacts[/<contact id> | /new]
  contacts: {
    get label() { return t("nav.contacts"); }, icon: "contacts", goKey: "c", mount: mountContacts,
    title: () => t("nav.contacts"),
    parse: ([id]) => ({ contact: id === "new" ? "new" : Number(id) || null }),
  },
  // #/analytics/<days>
  analytics: {
    get label() { return t("nav.analytics"); }, icon: "analytics", goKey: "a", mount: mountAnalytics,
    title: () => t("nav.analytics"),
    parse: ([days]) => ({ days: Number(days) || 30 }),
  },
  // #/settings/<page>
  settings: {
    get label() { return t("nav.settings"); }, icon: "settings", goKey: "s", mount: mountSettings,
    title: () => t("nav.settings"),
    parse: ([page]) => ({ page: page || "workspace" }),
  },
};

const FALLBACK = "inbox";

function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray "%" typed into the address bar
  }
}

/** The route a hash names: { screen, ...what that screen's parse read }. */
export function parseRoute(hash = location.hash) {
  const text = hash.replace(/^#\/?/, "");
  const at = text.indexOf("?");
  const path = at >= 0 ? text.slice(0, at) : text;
  const query = at >= 0 ? text.slice(at + 1) : "";
  const [name, ...parts] = path.split("/").filter(Boolean).map(decoded);
  const known = Object.hasOwn(ROUTES, name ?? "");
  const screen = known ? name : FALLBACK;
  return { screen, ...ROUTES[screen].parse(known ? parts : [], known ? query : "") };
}
