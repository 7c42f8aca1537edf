// The contact panel beside the thread: details, custom attributes, past conversations.
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { avatar, contactName, shortDate } from "../../lib/format.js";
import { inboxHash } from "../../lib/router.js";
import { STATUS_LABELS } from "../../components/icons.js";
import { t } from "../../lib/i18n.js";

export function createContactPanel({ view, onClose }) {
  const body = h("div.contact-body");
  const el = h("aside.contact-panel", { "aria-label": t("panel.contact") },
    h("div.contact-close", h("button.btn.small.icon-only.ghost", {
      type: "button", "aria-label": t("panel.hide"), onclick: onClose,
    }, icon("x"))), body);
  let current = 0;

  function row(label, value) {
    return value ? [h("dt", label), h("dd", value)] : null;
  }

  async function load(conversation) {
    const id = conversation.contact?.id;
    current = id;
    if (!id) return clear(body, h("p.muted", t("panel.none")));
    clear(body, h("div.contact-top", avatar(contactName(conversation.contact)),
      h("h3", contactName(conversation.contact))), h("p.meta", t("common.loading")));
    try {
      const [contact, past] = await Promise.all([
        api.get(`/api/contacts/${id}`),
        api.get("/api/conversations", { contact_id: id, status: "all", per_page: 10 }),
      ]);
      if (current !== id) return;
      const attrs = Object.entries(contact.custom_attributes || {});
      clear(body,
        h("div.contact-top", avatar(contactName(contact)),
          h("div", h("h3", contactName(contact)), contact.company ? h("div.muted", contact.company) : null)),
        h("dl.details", row(t("common.email"), contact.email), row(t("panel.phone"), contact.phone),
          row(t("panel.company"), contact.company), row(t("panel.since"), shortDate(contact.created_at))),
        contact.notes ? h("p.contact-notes", contact.notes) : null,
        attrs.length ? [h("h4.panel-heading", t("panel.attributes")),
          h("dl.details", attrs.map(([key, value]) => row(key, String(value))))] : null,
        h("h4.panel-heading", t("panel.conversations", { count: past.total })),
        h("ul.past", past.items.map((c) => h("li", h("a", {
          href: inboxHash(view(), c.id), "aria-current": c.id === conversation.id ? "true" : null,
        }, h("span.past-subject", c.subject || c.last_message?.preview || t("panel.conversationNumber", { id: String(c.id) })),
        h("span.meta", `${STATUS_LABELS[c.status] || c.status} · ${shortDate(c.last_activity_at)}`))))),
        h("a.btn.small", { href: `#/contacts/${contact.id}` }, t("panel.openInContacts")));
    } catch (err) {
      if (current === id) clear(body, h("div.error-box", err.message));
    }
  }

  return { el, load };
}
