// Boot: first run → wizard; no session → sign in; else the app shell and the routed screen.
//
// The UI is plain ES modules, served as they are (no build step, no third-party code):
//   app.js, routes.js, shell.js, shortcuts.js  the frame: boot, the route table (one entry per
//                                              screen), the rail, the global keys
//   lib/         no widgets: the API client, DOM building, formats, hash links, the shared
//                store (state + events), the live event stream
//   components/  widgets any screen uses: icons, toasts, menus, dialogs, charts
//   screens/     one module per screen, or a folder when a screen has parts (inbox/,
//                contacts/, settings/: the folder's main module is named after it)
// A new module also gets a <link rel="modulepreload"> in index.html (tests/test_ui_modules.py
// checks both ways).
import { api, setUnauthorizedHandler } from "./lib/api.js";
import { store } from "./lib/store.js";
import { startLive, stopLive } from "./lib/live.js";
import { onRoute } from "./lib/router.js";
import { parseRoute } from "./routes.js";
import { renderShell } from "./shell.js";
import { renderSignIn } from "./screens/signin.js";
import { renderWizard } from "./screens/wizard.js";
import { installShortcuts } from "./shortcuts.js";
import { applyTheme } from "./lib/theme.js";
import { clear, h } from "./lib/dom.js";
import { browserLanguage, language, setTimeZone, startingLanguage, t, useLanguage } from "./lib/i18n.js";

const root = document.getElementById("app");
const HINT = "desk.signed-in";
let shell = null;

store.on("workspace", (workspace) => setTimeZone(workspace?.timezone));
// The agent's theme wherever they sign in (theme.js showed this browser's last one already).
store.on("me", (me) => { if (me) applyTheme(me.theme); });
// An admin added, renamed, switched or deleted a channel: every inbox shows the new list.
store.on("channels.changed", ({ channels }) => {
  if (store.workspace && Array.isArray(channels)) store.set("workspace", { ...store.workspace, channels });
});
store.on("resync", () => store.loadWorkspace().catch(() => null)); // what changed while away

async function boot() {
  // The catalogue loads beside the three questions (nothing is drawn before both are in).
  const speaking = useLanguage(startingLanguage());
  try {
    // Only ask who we are when this browser signed in before: a fresh visit goes straight to
    // sign in instead of logging a 401 in the console. The three questions go out together.
    const hinted = localStorage.getItem(HINT) === "1";
    const quietly = (path) => (hinted
      ? api.get(path, undefined, { quiet401: true }).catch((err) => {
        if (err.status === 401) return null;
        throw err;
      })
      : null);
    const [setup, me, workspace] = await Promise.all([
      api.get("/api/setup"), quietly("/api/auth/me"), quietly("/api/settings/workspace"), speaking,
    ]);
    if (setup.needs_setup) {
      return renderWizard(root, {
        onDone: () => {
          localStorage.setItem(HINT, "1");
          boot();
        },
      });
    }
    if (!me) return signIn();
    localStorage.setItem(HINT, "1");
    // The agent's own choice (Settings → Language) wins over this browser's.
    const own = me.agent.language || browserLanguage();
    if (own !== language()) await useLanguage(own);
    store.set("me", me.agent);
    if (workspace) store.set("workspace", workspace);
    else await store.loadWorkspace();
    shell = renderShell(root);
    shell.route(parseRoute());
    startLive();
    store.loadCounts();
    store.loadTags();
    store.loadViews();
  } catch (err) {
    await speaking.catch(() => null); // the words for the error, if the catalogue can come
    clear(root, h("div.card-screen", h("div.card",
      h("h1", t("app.cantStart")),
      h("p.lead", err.message),
      h("button.btn.primary", { type: "button", onclick: () => boot() }, t("common.tryAgain")))));
  }
}

function signIn(message) {
  stopLive();
  shell?.destroy();
  shell = null;
  store.set("me", null);
  store.set("views", null); // the next agent's are their own
  localStorage.removeItem(HINT);
  // The hash is left as it is, so signing in again returns the agent to where they were.
  renderSignIn(root, {
    message,
    onDone: () => {
      localStorage.setItem(HINT, "1");
      boot();
    },
  });
}

setUnauthorizedHandler(() => {
  if (store.me) signIn(t("app.sessionEnded"));
});

onRoute(() => {
  if (shell) shell.route(parseRoute());
});

store.on("signed-out", () => signIn());

// A new language: everything on screen is drawn again in it, on the same screen.
store.on("language", () => {
  if (!shell) return;
  shell.destroy();
  shell = renderShell(root);
  shell.route(parseRoute());
});

installShortcuts();
boot();
