// The health banner: one line per problem /api/health reports (a full disk, a damaged
// database, a channel that cannot connect, ...), above every screen, for every signed-in
// agent, until it passes. What is wrong and what to do, never a modal. It follows the
// `health.updated` live event, reloads after a reconnect, and asks again at once when a
// request answers 507 or 503 (the event may still be on its way).
import { api, setFaultHandler } from "../lib/api.js";
import { h, clear } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { store } from "../lib/store.js";
import { icon } from "./icons.js";

// Problems that stop work (red); the others warn (amber).
const SEVERE = new Set(["disk_full", "database_damaged"]);
const TITLES = {
  disk_full: "banner.diskFull", disk_low: "banner.diskLow",
  database_damaged: "banner.databaseDamaged", backup_failed: "banner.backupFailed",
  channel_down: "banner.channelDown",
};

export function healthBanner() {
  const el = h("div.health-banners", { role: "region", "aria-label": t("banner.region"), hidden: true });
  let shown = "";
  const show = (health) => {
    const problems = (health && health.problems) || [];
    const key = JSON.stringify(problems);
    if (key === shown) return;
    shown = key;
    clear(el, problems.map((problem) => h(
      `div.health-banner.${SEVERE.has(problem.code) ? "severe" : "warn"}`,
      { role: SEVERE.has(problem.code) ? "alert" : "status", "data-code": problem.code },
      icon("alert"),
      h("strong", TITLES[problem.code] ? t(TITLES[problem.code]) : problem.code),
      // The detail is the server's sentence (English, like API errors; issue 17 leaves their
      // translation open): the workspace's own words, not the UI's.
      h("span.health-message", { "data-i18n-skip": "" }, problem.message),
    )));
    el.hidden = problems.length === 0;
  };
  let loading = null;
  const load = () => {
    loading ??= api.get("/api/health").then(show, () => {}).finally(() => { loading = null; });
    return loading;
  };
  const offs = [store.on("health.updated", show), store.on("resync", load)];
  setFaultHandler(load);
  load();
  return {
    el,
    destroy() {
      setFaultHandler(() => {});
      offs.forEach((off) => off());
    },
  };
}
