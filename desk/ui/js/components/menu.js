// Popover menus under a button: arrow keys move, Escape or Tab closes, and focus goes back
// where it was before the menu opened (the button, or wherever a shortcut opened it from).
import { h } from "../lib/dom.js";

let openMenu = null;

export function closeMenu() {
  if (!openMenu) return;
  const { el, anchor, returnTo } = openMenu;
  openMenu = null;
  el.remove();
  anchor.setAttribute("aria-expanded", "false");
  (returnTo?.isConnected && returnTo !== document.body ? returnTo : anchor).focus();
}

/** A popover menu under `anchor`: items are {label, icon, onSelect} | "-" | {heading}. */
export function showMenu(anchor, items, { label } = {}) {
  if (openMenu && openMenu.anchor === anchor) return closeMenu();
  closeMenu();
  const returnTo = document.activeElement;
  const el = h("div.menu", { role: "menu", "aria-label": label || anchor.textContent });
  for (const item of items) {
    if (item === "-") el.append(h("hr"));
    else if (item.heading) el.append(h("div.menu-label", item.heading));
    else if (item.element) el.append(item.element);
    else {
      el.append(h("button", {
        type: "button", role: "menuitem",
        onclick: () => { closeMenu(); item.onSelect(); },
      }, item.icon, item.label));
    }
  }
  document.body.append(el);
  const rect = anchor.getBoundingClientRect();
  const width = el.offsetWidth;
  el.style.left = `${Math.max(8, Math.min(rect.left, innerWidth - width - 8))}px`;
  const below = rect.bottom + 4;
  el.style.top = `${below + el.offsetHeight > innerHeight - 8 ? Math.max(8, rect.top - el.offsetHeight - 4) : below}px`;
  anchor.setAttribute("aria-expanded", "true");
  openMenu = { el, anchor, returnTo };
  el.querySelector("button, input")?.focus();
  el.addEventListener("keydown", (event) => {
    const buttons = [...el.querySelectorAll("button, input")];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown") buttons[(at + 1) % buttons.length].focus();
    else if (event.key === "ArrowUp") buttons[(at - 1 + buttons.length) % buttons.length].focus();
    else if (event.key === "Home") buttons[0].focus();
    else if (event.key === "End") buttons[buttons.length - 1].focus();
    else if (event.key === "Escape" || event.key === "Tab") closeMenu();
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  return el;
}

document.addEventListener("mousedown", (event) => {
  if (openMenu && !openMenu.el.contains(event.target) && !openMenu.anchor.contains(event.target)) {
    const { el, anchor } = openMenu;
    openMenu = null;
    el.remove();
    anchor.setAttribute("aria-expanded", "false");
  }
});

export function isMenuOpen() {
  return Boolean(openMenu) || Boolean(document.querySelector("dialog[open]"));
}
