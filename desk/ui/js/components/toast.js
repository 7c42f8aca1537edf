// Toasts (brief notes at the bottom, errors with a retry) and copying to the clipboard.
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";

export function toast(message, { error = false, action, onAction, timeout = 6000 } = {}) {
  const host = document.getElementById("toasts");
  const close = () => item.remove();
  const item = h("div.toast", { class: error ? "error" : "", role: error ? "alert" : "status" },
    h("span", message),
    action && h("button", { type: "button", onclick: () => { close(); onAction(); } }, action),
    h("button", { type: "button", "aria-label": t("common.dismiss"), onclick: close }, "×"));
  host.append(item);
  if (timeout) setTimeout(close, action ? timeout * 2 : timeout);
  return close;
}

/** Copy text to the clipboard, with a fallback for non-secure contexts. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h("textarea", { style: { position: "fixed", opacity: "0" } });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(t("common.copied"));
}
