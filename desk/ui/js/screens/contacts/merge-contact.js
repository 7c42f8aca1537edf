// "Merge into…" for a contact (admins): search the directory for the contact to keep, then a
// confirmation that says what moves (the conversations) and what the kept contact takes over
// (details and attributes it lacks), then the merge.
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { openDialog } from "../../components/dialog.js";
import { mergeConfirm } from "../../components/merge-confirm.js";
import { contactName, plural } from "../../lib/format.js";
import { t, formatList } from "../../lib/i18n.js";

const DETAILS = ["name", "email", "phone", "company", "notes"];

function describe(contact) {
  return [contact.email, contact.phone, contact.company].filter(Boolean).join(" · ");
}

/** Open the dialog for `contact`; `onMerged(survivor)` after a merge. */
export function openMergeContact(contact, onMerged) {
  const search = h("input", { type: "search", "aria-label": t("mergeContact.search"), placeholder: t("mergeContact.search"), autocomplete: "off" });
  const list = h("div.merge-options", { role: "group", "aria-label": t("mergeContact.candidates") });
  const error = h("div.error-box", { role: "alert" });
  const pick = [h("p", t("mergeContact.pickIntro", { name: contactName(contact) })), search, list];
  const body = h("div.merge-body", pick, error);
  const cancel = h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel"));
  const actions = h("div.merge-actions", cancel);
  const dialog = openDialog(t("mergeContact.title", { name: contactName(contact) }), body, actions);
  let asked = 0;

  async function find() {
    const ask = ++asked;
    try {
      const page = await api.get("/api/contacts", { search: search.value.trim() || undefined, per_page: 20 });
      if (ask !== asked) return;
      const others = page.items.filter((c) => c.id !== contact.id);
      clear(list, others.length ? others.map((c) => h("button.merge-option", { type: "button", onclick: () => confirmStep(c) },
        h("span.merge-subject", contactName(c)), h("span.meta", describe(c) || plural(c.conversation_count, "count.conversations"))))
        : h("p.meta", t("mergeContact.none")));
    } catch (err) {
      clear(error, err.message);
    }
  }

  function confirmStep(into) {
    const fills = DETAILS.filter((name) => !into[name] && contact[name]);
    const attrs = Object.keys(contact.custom_attributes || {}).filter((k) => !Object.hasOwn(into.custom_attributes || {}, k));
    mergeConfirm({
      dialog, body, actions, error,
      content: [
        h("p", t("mergeContact.confirmWhat", { from: contactName(contact), into: contactName(into) })),
        h("ul.merge-moves",
          h("li", plural(contact.conversation_count, "count.conversations")),
          fills.length ? h("li", t("mergeContact.fills", { fields: formatList(fills) })) : null,
          attrs.length ? h("li", t("mergeContact.attributes", { keys: formatList(attrs) })) : null),
        h("p.muted", t("mergeContact.confirmKeeps", { into: contactName(into), from: contactName(contact) })),
      ],
      confirmLabel: t("mergeContact.confirm"),
      backLabel: t("merge.back"),
      onBack: () => { clear(body, pick, error); clear(actions, cancel); search.focus(); },
      path: `/api/contacts/${contact.id}/merge`,
      intoId: into.id,
      onMerged,
    });
  }

  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(find, 150);
  });
  search.focus();
  find();
}
