// Contacts: a searchable directory; create, edit, and (admins) delete with erasure spelled out.
// attributes.js beside it edits a contact's custom attributes.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { avatar, contactName, plural, shortDate, relativeTime } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { go, inboxHash } from "../../lib/router.js";
import { confirmDanger } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";
import { attributesEditor } from "./attributes.js";
import { STATUS_LABELS } from "../../components/icons.js";
import { openMergeContact } from "./merge-contact.js";
import { formatNumber, t } from "../../lib/i18n.js";

const PER_PAGE = 50;

export function mountContacts(container, route) {
  const search = h("input", { type: "search", name: "search", placeholder: t("contacts.search"),
    "aria-label": t("contacts.search"), autocomplete: "off" });
  const rows = h("div.contact-rows");
  const more = h("div.list-status", { role: "status" });
  const detail = h("section.contact-detail", { "aria-label": t("contacts.details") });
  const total = h("span.meta");
  const sort = h("select.small-select", { "aria-label": t("contacts.sort") },
    h("option", { value: "name" }, t("contacts.byName")), h("option", { value: "created_desc" }, t("contacts.newest")));
  sort.addEventListener("change", () => reload());
  const list = h("section.contacts-list",
    h("header.list-head", h("div.row", h("h1.list-title", t("nav.contacts")), total, h("div.spacer"),
      h("button.btn.small.primary", { type: "button", onclick: () => go("#/contacts/new") }, icon("plus"), t("contacts.new"))),
    h("div.row", h("label.search-box", { style: { flex: "1" } }, icon("search"), search), sort)),
    h("div.list-scroll", rows, more));
  container.append(h("div.contacts", list, detail));
  const state = { page: 0, done: false, loading: false, generation: 0, selected: null, items: [] };

  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 250);
  });
  const scroller = list.querySelector(".list-scroll");
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop + scroller.clientHeight > scroller.scrollHeight - 400) loadMore();
  });

  function row(contact) {
    return h("a.contact-row", {
      href: `#/contacts/${contact.id}`, dataset: { id: contact.id },
      "aria-current": contact.id === state.selected ? "true" : null,
    }, avatar(contactName(contact)),
    h("div.conv-main", h("span.conv-name", contactName(contact)),
      h("span.conv-preview", [contact.email, contact.phone, contact.company].filter(Boolean).join(" · ") || "—")),
    h("span.meta", plural(contact.conversation_count, "count.conversations")));
  }

  async function loadMore() {
    if (state.loading || state.done) return;
    state.loading = true;
    const generation = state.generation;
    try {
      const page = await api.get("/api/contacts", { search: search.value.trim(), page: state.page + 1, per_page: PER_PAGE, sort: sort.value });
      if (generation !== state.generation) return;
      state.page += 1;
      state.items.push(...page.items);
      rows.append(...page.items.map(row));
      total.textContent = formatNumber(page.total);
      state.done = page.items.length < PER_PAGE;
      clear(more, !state.items.length ? h("div.empty", search.value.trim()
        ? h("p", t("contacts.noMatch", { search: search.value.trim() }))
        : h("p.muted", t("contacts.noneYet"))) : null);
    } catch (err) {
      if (generation === state.generation) clear(more, h("div.error-box", err.message));
    } finally {
      if (generation === state.generation) state.loading = false;
    }
  }

  function reload() {
    state.generation += 1;
    Object.assign(state, { page: 0, done: false, loading: false, items: [] });
    rows.replaceChildren();
    return loadMore();
  }

  function markSelected(id) {
    state.selected = id;
    for (const el of rows.children) {
      if (Number(el.dataset.id) === id) el.setAttribute("aria-current", "true");
      else el.removeAttribute("aria-current");
    }
  }

  async function show(id) {
    markSelected(id);
    if (id === "new") return editForm(null);
    if (!id) {
      return clear(detail, h("div.thread-empty", icon("contacts"), h("p", t("contacts.select")),
        h("p.meta", t("contacts.orCreate"))));
    }
    clear(detail, h("p.meta.center", t("common.loading")));
    try {
      const [contact, past] = await Promise.all([
        api.get(`/api/contacts/${id}`),
        api.get("/api/conversations", { contact_id: id, status: "all", per_page: 20 }),
      ]);
      if (state.selected !== id) return;
      renderContact(contact, past);
    } catch (err) {
      clear(detail, h("div.thread-empty", h("p.error-text", err.message)));
    }
  }

  function renderContact(contact, past) {
    const attrs = Object.entries(contact.custom_attributes || {});
    const dd = (label, value) => (value ? [h("dt", label), h("dd", value)] : null);
    clear(detail, h("div.detail-inner",
      h("div.contact-top", avatar(contactName(contact)),
        h("div", h("h2", contactName(contact)), contact.company ? h("div.muted", contact.company) : null),
        h("div.spacer"),
        h("button.btn.small", { type: "button", onclick: () => editForm(contact) }, t("contacts.edit")),
        store.isAdmin ? h("button.btn.small", { type: "button", onclick: () => merge(contact) },
          icon("merge"), t("merge.button")) : null,
        store.isAdmin ? h("button.btn.small.danger", { type: "button", onclick: () => remove(contact) },
          icon("trash"), t("contacts.delete")) : null),
      h("dl.details", dd(t("common.email"), contact.email), dd(t("panel.phone"), contact.phone),
        dd(t("panel.company"), contact.company), dd(t("contacts.added"), shortDate(contact.created_at))),
      contact.notes ? h("p.contact-notes", contact.notes) : null,
      attrs.length ? [h("h4.panel-heading", t("panel.attributes")), h("dl.details", attrs.map(([k, v]) => dd(k, String(v))))] : null,
      h("h4.panel-heading", t("panel.conversations", { count: past.total })),
      past.items.length ? h("ul.past", past.items.map((c) => h("li", h("a", { href: inboxHash("open", c.id) },
        h("span.past-subject", c.subject || c.last_message?.preview || t("panel.conversationNumber", { id: String(c.id) })),
        h("span.meta", `${STATUS_LABELS[c.status] || c.status} · ${c.channel_name} · ${relativeTime(c.last_activity_at)}`)))))
        : h("p.muted", t("contacts.noConversations"))));
  }

  function editForm(contact) {
    const inputs = {
      name: h("input", { type: "text", name: "name", value: contact?.name || "" }),
      email: h("input", { type: "email", name: "email", value: contact?.email || "" }),
      phone: h("input", { type: "text", name: "phone", value: contact?.phone || "" }),
      company: h("input", { type: "text", name: "company", value: contact?.company || "" }),
      notes: h("textarea", { name: "notes", rows: "3" }),
    };
    inputs.notes.value = contact?.notes || "";
    const attributes = attributesEditor(contact?.custom_attributes || {});
    const form = h("form.detail-inner", { novalidate: true, "aria-label": contact ? t("contacts.editForm") : t("contacts.new") },
      h("h2", contact ? t("contacts.editTitle", { name: contactName(contact) }) : t("contacts.new")),
      h("div.grid-2", field(t("common.name"), inputs.name), field(t("panel.company"), inputs.company)),
      h("div.grid-2", field(t("common.email"), inputs.email), field(t("panel.phone"), inputs.phone)),
      field(t("contacts.notes"), inputs.notes),
      h("h4.panel-heading", t("panel.attributes")), attributes.el,
      h("div.error-box", { role: "alert" }),
      h("div.row", { style: { marginTop: "16px" } }, h("div.spacer"),
        h("button.btn", { type: "button", onclick: () => (contact ? show(contact.id) : go("#/contacts")) }, t("common.cancel")),
        h("button.btn.primary", { type: "submit" }, contact ? t("contacts.save") : t("contacts.create"))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      showFormError(form, null);
      const body = {};
      for (const [key, input] of Object.entries(inputs)) {
        const value = input.value.trim();
        if (contact || value) body[key] = value || (key === "notes" ? "" : null);
      }
      try {
        body.custom_attributes = attributes.value(contact?.custom_attributes || {});
        const saved = contact
          ? await api.patch(`/api/contacts/${contact.id}`, body)
          : await api.post("/api/contacts", body);
        toast(contact ? t("contacts.saved") : t("contacts.created"));
        reload();
        if (contact) show(saved.id);
        else go(`#/contacts/${saved.id}`);
      } catch (err) {
        showFormError(form, err);
      }
    });
    clear(detail, form);
    inputs.name.focus();
  }

  function merge(contact) {
    openMergeContact(contact, (survivor) => {
      toast(t("mergeContact.done", { from: contactName(contact), into: contactName(survivor) }));
      reload();
      go(`#/contacts/${survivor.id}`);
    });
  }

  async function remove(contact) {
    const count = contact.conversation_count;
    const done = await confirmDanger({
      title: t("contacts.deleteTitle", { name: contactName(contact) }),
      message: t("contacts.deleteMessage", { name: contactName(contact), conversations: plural(count, "count.conversations") }),
      confirm: count ? t("contacts.deleteWith", { conversations: plural(count, "count.conversations") }) : t("contacts.deleteOnly"),
      run: () => api.del(`/api/contacts/${contact.id}`),
    });
    if (done) {
      toast(t("contacts.deleted", { name: contactName(contact) }));
      reload();
      go("#/contacts");
    }
  }

  // A teammate merged contacts: the list follows, and the one shown becomes the survivor.
  const offMerged = store.on("contact.merged", ({ id, into }) => {
    reload();
    if (state.selected === id) go(`#/contacts/${into}`);
    else if (state.selected === into) show(into);
  });

  reload();
  show(route.contact);
  return {
    unmount: offMerged,
    update(next) {
      show(next.contact);
    },
    onKey(key) {
      if (key === "/") {
        search.focus();
        return true;
      }
      if (key === "Escape" && state.selected) {
        go("#/contacts");
        return true;
      }
      return false;
    },
  };
}
