// The agent's theme: "light", "dark", or null for the system's (prefers-color-scheme). It is
// stored with the agent (POST /api/settings/theme) and remembered by this browser, so that
// /theme.js can apply it before the first paint of the next visit.
const KEY = "desk.theme";
export const THEMES = ["system", "light", "dark"];

/** Show `theme` now ("light", "dark"; null or "system": follow the system). */
export function applyTheme(theme) {
  const chosen = theme === "light" || theme === "dark" ? theme : null;
  document.dispatchEvent(new CustomEvent("desk:theme", { detail: chosen })); // /theme.js shows it
  try {
    if (chosen) localStorage.setItem(KEY, chosen);
    else localStorage.removeItem(KEY);
  } catch {
    // storage is off: the choice still holds for this page
  }
}
