// The app rail (workspace, screens, live state, the agent's menu) and the routed screen.
import { api } from "./lib/api.js";
import { h, clear } from "./lib/dom.js";
import { icon, ROLES } from "./components/icons.js";
import { avatar } from "./lib/format.js";
import { store } from "./lib/store.js";
import { startLive, stopLive } from "./lib/live.js";
import { go } from "./lib/router.js";
import { showMenu } from "./components/menu.js";
import { healthBanner } from "./components/banner.js";
import { toast } from "./components/toast.js";
import { presence } from "./lib/presence.js";
import { setScreenKeys, showShortcuts } from "./shortcuts.js";
import { ROUTES } from "./routes.js";
import { createBell } from "./notifications.js";
import { formatNumber, t } from "./lib/i18n.js";

export function renderShell(root) {
  const main = h("main.screen", { id: "main", tabindex: "-1" }); // focus waits here when its control went
  const links = {};
  const nav = h("nav.rail-nav", { "aria-label": t("nav.screens") });
  for (const [name, screen] of Object.entries(ROUTES)) {
    links[name] = h("a.rail-link", { href: `#/${name}`, title: screen.label, "aria-label": screen.label },
      icon(screen.icon), h("span.rail-label", screen.label));
    nav.append(links[name]);
  }
  const liveBadge = h("div.live-state", { role: "status", "aria-live": "polite" });
  const bell = createBell();
  const me = h("button.rail-me", {
    type: "button", "aria-haspopup": "menu", "aria-label": t("shell.signedInAs", { name: store.me.name }),
    title: store.me.name, onclick: () => agentMenu(me),
  }, avatar(store.me.name));
  const workspaceName = h("div.rail-workspace", { title: store.workspace.name },
    store.workspace.name.slice(0, 2));
  const rail = h("aside.rail", workspaceName, nav, h("div.spacer"), liveBadge, bell.el,
    h("button.rail-link", { type: "button", title: t("shell.shortcutsTitle"),
      "aria-label": t("shortcuts.title"), onclick: showShortcuts }, icon("keyboard")),
    me);
  // The health banner sits above whichever screen is shown.
  const banner = healthBanner();
  clear(root, h("div.shell", rail, h("div.shell-main", banner.el, main)));

  const showLive = (state) => {
    clear(liveBadge, state === "reconnecting" ? [h("span.dot"), t("shell.reconnecting")] : "");
    liveBadge.classList.toggle("on", state === "reconnecting");
  };
  showLive(store.live);
  const offs = [store.on("live", showLive)];
  let countsToast = null;
  offs.push(store.on("counts-error", (err) => {
    countsToast?.();
    countsToast = toast(t("shell.countsFailed", { error: err.message }), {
      error: true, action: t("common.retry"), onAction: () => store.loadCounts(),
    });
  }));
  let current = null;
  let shown = null; // the route on screen
  // "<screen> · <workspace> · Desk"; the tab shows how many conversations wait unread, like a
  // mail client.
  const showTitle = () => {
    const base = shown ? `${ROUTES[shown.screen].title(shown)} · ${store.workspace.name} · Desk` : "Desk";
    const unread = store.counts?.unread || 0;
    document.title = unread ? `(${formatNumber(unread)}) ${base}` : base;
  };
  offs.push(store.on("counts", showTitle));
  offs.push(store.on("workspace", (ws) => {
    workspaceName.textContent = ws.name.slice(0, 2);
    workspaceName.title = ws.name;
    showTitle();
  }));
  return {
    /** Signing out: the screen and every listener go with the shell. */
    destroy() {
      current?.unmount?.();
      current = null;
      setScreenKeys(null);
      banner.destroy();
      offs.forEach((off) => off());
    },
    route(route) {
      for (const [name, link] of Object.entries(links)) {
        if (name === route.screen) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      }
      if (current && shown.screen === route.screen) current.update(route);
      else {
        // Focus inside the old screen would fall to nowhere: it waits on the new one instead.
        const focusWasHere = Boolean(current) && main.contains(document.activeElement);
        current?.unmount?.();
        clear(main);
        current = ROUTES[route.screen].mount(main, route);
        if (focusWasHere && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
        setScreenKeys(current.onKey ? (key, event) => current.onKey(key, event) : null,
          current.home ? (field) => current.home(field) : null);
      }
      shown = route;
      showTitle();
    },
  };
}

function agentMenu(anchor) {
  showMenu(anchor, [
    { heading: `${store.me.name} · ${ROLES[store.me.role] || store.me.role}` },
    { label: t("shell.changePassword"), icon: icon("lock"), onSelect: () => go("#/settings/password") },
    { label: t("shortcuts.title"), icon: icon("keyboard"), onSelect: showShortcuts },
    "-",
    { label: t("shell.signOut"), icon: icon("back"), onSelect: signOut },
  ], { label: t("shell.account") });
}

async function signOut() {
  // Quiet first: no live events and no background refreshes race the ending session.
  const me = store.me;
  await presence.signOff();
  stopLive();
  store.set("me", null);
  try {
    await api.post("/api/auth/logout");
  } catch (err) {
    if (err.status !== 401) {
      store.set("me", me);
      startLive();
      return toast(err.message, { error: true });
    }
  }
  store.emit("signed-out"); // first: the shell is gone before the hash changes
  history.replaceState(null, "", "#/inbox");
}
