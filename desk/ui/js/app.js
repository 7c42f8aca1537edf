// Boot: first run → wizard; no session → sign in; else the app shell and the routed screen.
import { api, setUnauthorizedHandler } from "./api.js";
import { store } from "./store.js";
import { startLive, stopLive } from "./live.js";
import { onRoute, parseRoute } from "./router.js";
import { renderShell } from "./shell.js";
import { renderSignIn } from "./screens/signin.js";
import { renderWizard } from "./screens/wizard.js";
import { installShortcuts } from "./shortcuts.js";
import { clear, h } from "./dom.js";

const root = document.getElementById("app");
let shell = null;

async function boot() {
  try {
    const setup = await api.get("/api/setup");
    if (setup.needs_setup) return renderWizard(root, { onDone: () => boot() });
    const me = await api.get("/api/auth/me", undefined, { quiet401: true }).catch((err) => {
      if (err.status === 401) return null;
      throw err;
    });
    if (!me) return signIn();
    store.me = me.agent;
    await store.loadWorkspace();
    shell = renderShell(root);
    shell.route(parseRoute());
    startLive();
    store.loadCounts();
    store.loadTags();
  } catch (err) {
    clear(root, h("div.card-screen", h("div.card",
      h("h1", "Desk can't start"),
      h("p.lead", err.message),
      h("button.btn.primary", { type: "button", onclick: () => boot() }, "Try again"))));
  }
}

function signIn(message) {
  stopLive();
  shell = null;
  store.me = null;
  // The hash is left as it is, so signing in again returns the agent to where they were.
  renderSignIn(root, { message, onDone: () => boot() });
}

setUnauthorizedHandler(() => {
  if (store.me) signIn("Your session ended. Sign in again to carry on where you were.");
});

onRoute(() => {
  if (shell) shell.route(parseRoute());
});

store.on("signed-out", () => signIn());

installShortcuts();
boot();
