// The reply guard's warning: a teammate replied after the messages I had when I opened the
// conversation (the API's 409 `reply_collision`). Their replies are shown before mine goes:
// "Send anyway" sends it (guarded by their newest reply), "Discard my reply" throws my text
// away, "Keep editing" (or Escape) goes back to the composer with my text.
import { h, linkified } from "../../lib/dom.js";
import { openDialog } from "../../components/dialog.js";
import { clockTime, fullTime } from "../../lib/format.js";
import { t, formatList } from "../../lib/i18n.js";

/** `newer`: the Messages the 409 named. Resolves "send", "discard" or "edit". */
export function askAboutCollision(newer) {
  return new Promise((resolve) => {
    let choice = "edit";
    const names = [...new Set(newer.map((m) => m.sender?.name || t("messages.unknown")))];
    const replies = h("div.collision-replies", newer.map((m) => h("figure.collision-reply",
      h("figcaption.msg-meta", h("strong", m.sender?.name || t("messages.unknown")),
        h("time", { datetime: m.created_at, title: fullTime(m.created_at) }, clockTime(m.created_at))),
      h("blockquote.bubble", m.body ? linkified(m.body) : t("collision.attachmentsOnly")))));
    const choose = (value) => () => {
      choice = value;
      dialog.close();
    };
    const discard = h("button.btn.danger", { type: "button", onclick: choose("discard") }, t("collision.discard"));
    const edit = h("button.btn", { type: "button", onclick: choose("edit") }, t("collision.edit"));
    const send = h("button.btn.primary", { type: "button", onclick: choose("send") }, t("collision.send"));
    const dialog = openDialog(t("collision.title", { count: names.length, names: formatList(names) }),
      [h("p", t("collision.intro", { count: newer.length })), replies], [discard, h("div.spacer"), edit, send]);
    dialog.classList.add("collision-dialog");
    dialog.addEventListener("close", () => resolve(choice));
    edit.focus();
  });
}
