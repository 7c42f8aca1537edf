// "Merge into…" for the open conversation: pick another conversation of the same contact
// (filtered as you type), then a confirmation that says what will move, then the merge. The
// survivor keeps its status, assignee and priority; the merged one is gone afterwards.
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { openDialog } from "../../components/dialog.js";
import { mergeConfirm } from "../../components/merge-confirm.js";
import { contactName, relativeTime } from "../../lib/format.js";
import { t, formatList } from "../../lib/i18n.js";

function label(conv) {
  return `#${conv.id} ${conv.subject || conv.last_message?.preview || ""}`.trim();
}

/** Open the dialog for `conv`; `onMerged(survivor)` after a merge. */
export function openMergeConversation(conv, onMerged) {
  const filter = h("input", { type: "search", "aria-label": t("merge.filter"), placeholder: t("merge.filter"), autocomplete: "off" });
  const list = h("div.merge-options", { role: "group", "aria-label": t("merge.candidates") });
  const status = h("p.meta", { role: "status" }, t("merge.loading"));
  const error = h("div.error-box", { role: "alert" });
  const body = h("div.merge-body", h("p", t("merge.pickIntro", { name: contactName(conv.contact) })), filter, status, list, error);
  const cancel = h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel"));
  const actions = h("div.merge-actions", cancel);
  const dialog = openDialog(t("merge.title", { id: conv.id }), body, actions);
  let candidates = [];

  function draw() {
    const words = filter.value.trim().toLowerCase();
    const shown = candidates.filter((c) => !words || label(c).toLowerCase().includes(words.replace(/^#/, "")) || String(c.id) === words.replace(/^#/, ""));
    status.textContent = candidates.length ? "" : t("merge.noOthers", { name: contactName(conv.contact) });
    clear(list, shown.map((c) => h("button.merge-option", { type: "button", onclick: () => confirmStep(c) },
      h("span.merge-subject", label(c)),
      h("span.meta", t("merge.optionMeta", { status: c.status, channel: c.channel_name || "", when: relativeTime(c.last_activity_at) })))));
  }

  async function confirmStep(into) {
    clear(error);
    let count = null;
    try {
      count = (await api.get(`/api/conversations/${conv.id}/messages`, { per_page: 1 })).total;
    } catch {
      count = null;
    }
    const moves = [count === null ? t("merge.itsMessages") : t("merge.messages", { count })];
    if (conv.tags.length) moves.push(t("merge.tags", { tags: formatList(conv.tags) }));
    if (conv.unread_count) moves.push(t("merge.unread", { count: conv.unread_count }));
    mergeConfirm({
      dialog, body, actions, error,
      content: [
        h("p", t("merge.confirmWhat", { from: label(conv), into: label(into) })),
        h("ul.merge-moves", moves.map((m) => h("li", m))),
        h("p.muted", t("merge.confirmKeeps", { into: `#${into.id}`, from: `#${conv.id}` })),
      ],
      confirmLabel: t("merge.confirm"),
      backLabel: t("merge.back"),
      onBack: () => { clear(body, h("p", t("merge.pickIntro", { name: contactName(conv.contact) })), filter, status, list, error); clear(actions, cancel); filter.focus(); },
      path: `/api/conversations/${conv.id}/merge`,
      intoId: into.id,
      onMerged,
    });
  }

  filter.addEventListener("input", draw);
  filter.focus();
  api.get("/api/conversations", { contact_id: conv.contact.id, status: "all", per_page: 100 })
    .then((page) => {
      candidates = page.items.filter((c) => c.id !== conv.id);
      draw();
    })
    .catch((err) => {
      status.textContent = "";
      clear(error, err.message);
    });
}
