// Modal dialogs, and the confirmation asked before destroying something.
import { h, clear } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

let dialogs = 0;

/**
 * A modal dialog holding `body` (usually a form). Escape closes it; closed, it goes away and
 * focus returns where it was when it opened (or, if that control is gone, to `returnTo()`).
 */
export function openDialog(title, body, actions, { returnTo } = {}) {
  const id = `dialog-title-${++dialogs}`;
  const dialog = h("dialog", { "aria-labelledby": id },
    h("div.dialog-body", h("h2", { id }, title), body),
    actions && h("div.dialog-actions", actions));
  const opener = document.activeElement;
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    dialog.remove();
    const back = opener?.isConnected && opener !== document.body ? opener : returnTo?.();
    back?.focus();
  });
  dialog.showModal();
  return dialog;
}

/** Ask before destroying something. `run` may throw an ApiError, shown inside the dialog. */
export function confirmDanger({ title, message, confirm, run }) {
  return new Promise((resolve) => {
    const error = h("div.error-box", { role: "alert" });
    const button = h("button.btn.danger.solid", { type: "button" }, confirm);
    const cancel = h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel"));
    const dialog = openDialog(title, [h("p", message), h("div", { style: { height: "12px" } }), error],
      [cancel, button], { returnTo: () => document.getElementById("main") });
    let done = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const result = await run();
        done = true;
        // The control that asked is about to go with what it deleted: focus waits in the screen.
        document.getElementById("main")?.focus();
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
