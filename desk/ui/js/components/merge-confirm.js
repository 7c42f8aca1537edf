// The last step of a "Merge into…" dialog (conversations and contacts alike): what will move,
// Back and Merge. Merge posts once; the survivor goes to onMerged and the dialog closes, or the
// error shows and Merge can be pressed again.
import { api } from "../lib/api.js";
import { h, clear } from "../lib/dom.js";

export function mergeConfirm({ dialog, body, actions, error, content, confirmLabel, backLabel, onBack, path, intoId, onMerged }) {
  const merge = h("button.btn.primary", { type: "button" }, confirmLabel);
  const back = h("button.btn", { type: "button", onclick: onBack }, backLabel);
  clear(body, ...content, error);
  clear(actions, back, merge);
  merge.focus();
  merge.addEventListener("click", async () => {
    merge.disabled = true;
    try {
      const survivor = await api.post(path, { into: intoId });
      dialog.close();
      onMerged(survivor);
    } catch (err) {
      clear(error, err.message);
      merge.disabled = false;
    }
  });
}
