// Keyboard shortcuts (UI.md): global ones here, the screen's own through setScreenKeys.
import { h, isTyping } from "./lib/dom.js";
import { go } from "./lib/router.js";
import { ROUTES } from "./routes.js";
import { isMenuOpen } from "./components/menu.js";
import { openDialog } from "./components/dialog.js";
import { t } from "./lib/i18n.js";

let screenKeys = null;
let screenHome = null;
let pendingG = 0;

// [keys, catalogue key of what they do]
export const SHORTCUTS = [
  ["j / k", "shortcuts.next"],
  ["Enter or o", "shortcuts.open"],
  ["x", "shortcuts.select"],
  ["r", "shortcuts.reply"],
  ["n", "shortcuts.note"],
  ["e", "shortcuts.resolve"],
  ["s", "shortcuts.snooze"],
  ["a", "shortcuts.assign"],
  ["t", "shortcuts.tag"],
  ["/", "shortcuts.search"],
  ["Ctrl/⌘ + Enter", "shortcuts.send"],
  ["g i", "shortcuts.goInbox"],
  ["g c", "shortcuts.goContacts"],
  ["g a", "shortcuts.goAnalytics"],
  ["?", "shortcuts.show"],
  ["Esc", "shortcuts.back"],
];

/** The screen's keys, and home(field): where focus goes when Escape leaves a field. */
export function setScreenKeys(fn, home = null) {
  screenKeys = fn;
  screenHome = home;
}

export function showShortcuts() {
  if (document.querySelector("dialog.shortcuts")) return;
  const list = h("dl.shortcut-list");
  for (const [keys, what] of SHORTCUTS) {
    list.append(h("dt", keys.split(" ").map((k) => {
      if (k === "or") return ` ${t("shortcuts.or")} `;
      return (k === "/" && keys !== "/") || k === "+" ? ` ${k} ` : h("kbd", k);
    })), h("dd", t(what)));
  }
  const dialog = openDialog(t("shortcuts.title"), [
    h("p.muted", t("shortcuts.never")), list,
  ], [h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.close"))]);
  dialog.classList.add("shortcuts");
}

export function installShortcuts() {
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if (isMenuOpen()) return;
      if (isTyping(event.target)) {
        // The keyboard carries on from the screen (the thread, the list), not from nowhere.
        const field = event.target;
        field.blur();
        (screenHome?.(field) || document.getElementById("main"))?.focus();
        return;
      }
      if (screenKeys?.("Escape", event)) event.preventDefault();
      return;
    }
    if (isTyping(event.target) || isMenuOpen()) return;
    const key = event.key;
    // Enter or Space on a focused button or link does what that control does.
    if ((key === "Enter" || key === " ") && event.target.closest?.("button, a[href], summary, [role=button]")) return;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      const target = Object.keys(ROUTES).find((name) => ROUTES[name].goKey === key);
      if (target) {
        event.preventDefault();
        go(`#/${target}`);
        return;
      }
    }
    pendingG = 0;
    if (key === "g") {
      pendingG = Date.now();
      return;
    }
    if (key === "?") {
      event.preventDefault();
      showShortcuts();
      return;
    }
    if (screenKeys?.(key, event)) event.preventDefault();
  });
}
