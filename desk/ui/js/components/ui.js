// Shared widgets: toasts, popover menus, dialogs and confirmations.
import { h, clear } from "../lib/dom.js";

export function toast(message, { error = false, action, onAction, timeout = 6000 } = {}) {
  const host = document.getElementById("toasts");
  const close = () => item.remove();
  const item = h("div.toast", { class: error ? "error" : "", role: error ? "alert" : "status" },
    h("span", message),
    action && h("button", { type: "button", onclick: () => { close(); onAction(); } }, action),
    h("button", { type: "button", "aria-label": "Dismiss", onclick: close }, "×"));
  host.append(item);
  if (timeout) setTimeout(close, action ? timeout * 2 : timeout);
  return close;
}

let openMenu = null;

export function closeMenu() {
  if (!openMenu) return;
  const { el, anchor } = openMenu;
  openMenu = null;
  el.remove();
  anchor.setAttribute("aria-expanded", "false");
  anchor.focus();
}

/** A popover menu under `anchor`: items are {label, icon, onSelect} | "-" | {heading}. */
export function showMenu(anchor, items, { label } = {}) {
  if (openMenu && openMenu.anchor === anchor) return closeMenu();
  closeMenu();
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
  openMenu = { el, anchor };
  el.querySelector("button, input")?.focus();
  el.addEventListener("keydown", (event) => {
    const buttons = [...el.querySelectorAll("button, input")];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown") buttons[(at + 1) % buttons.length].focus();
    else if (event.key === "ArrowUp") buttons[(at - 1 + buttons.length) % buttons.length].focus();
    else if (event.key === "Escape") closeMenu();
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

/** A modal dialog holding `body` (usually a form); resolves when closed. */
export function openDialog(title, body, actions) {
  const dialog = h("dialog", { "aria-label": title },
    h("div.dialog-body", h("h2", title), body),
    actions && h("div.dialog-actions", actions));
  document.body.append(dialog);
  dialog.addEventListener("close", () => dialog.remove());
  dialog.showModal();
  return dialog;
}

/** Ask before destroying something. `run` may throw an ApiError, shown inside the dialog. */
export function confirmDanger({ title, message, confirm, run }) {
  return new Promise((resolve) => {
    const error = h("div.error-box", { role: "alert" });
    const button = h("button.btn.danger.solid", { type: "button" }, confirm);
    const cancel = h("button.btn", { type: "button", onclick: () => dialog.close() }, "Cancel");
    const dialog = openDialog(title, [h("p", message), h("div", { style: "height:12px" }), error],
      [cancel, button]);
    let done = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const result = await run();
        done = true;
        dialog.close();
        resolve(result ?? true);
      } catch (err) {
        clear(error, err.message);
        button.disabled = false;
      }
    });
    dialog.addEventListener("close", () => { if (!done) resolve(false); });
    cancel.focus();
  });
}

/** Copy text to the clipboard, with a fallback for non-secure contexts. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h("textarea", { style: "position:fixed;opacity:0" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast("Copied to the clipboard");
}
