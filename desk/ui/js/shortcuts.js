// Keyboard shortcuts (UI.md): global ones here, the screen's own through setScreenKeys.
import { h, isTyping } from "./lib/dom.js";
import { go } from "./lib/router.js";
import { ROUTES } from "./routes.js";
import { isMenuOpen } from "./components/menu.js";
import { openDialog } from "./components/dialog.js";

let screenKeys = null;
let screenHome = null;
let pendingG = 0;

export const SHORTCUTS = [
  ["j / k", "Next / previous conversation"],
  ["Enter or o", "Open the selected conversation"],
  ["r", "Reply"],
  ["n", "Write a private note"],
  ["e", "Resolve"],
  ["s", "Snooze"],
  ["a", "Assign to me"],
  ["t", "Add a tag"],
  ["/", "Search"],
  ["Ctrl/⌘ + Enter", "Send (in the composer)"],
  ["g i", "Go to the inbox"],
  ["g c", "Go to contacts"],
  ["g a", "Go to analytics"],
  ["?", "Show these shortcuts"],
  ["Esc", "Back / close"],
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
    list.append(h("dt", keys.split(" ").map((k) => (k === "/" && keys !== "/") || k === "or" || k === "+"
      ? ` ${k} ` : h("kbd", k))), h("dd", what));
  }
  const dialog = openDialog("Keyboard shortcuts", [
    h("p.muted", "Shortcuts never fire while you type in a field."), list,
  ], [h("button.btn", { type: "button", onclick: () => dialog.close() }, "Close")]);
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
