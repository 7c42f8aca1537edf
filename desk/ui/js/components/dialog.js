// Modal dialogs, and the confirmation asked before destroying something.
import { h, clear } from "../lib/dom.js";

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
