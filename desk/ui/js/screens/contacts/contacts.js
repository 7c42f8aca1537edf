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
import { openMergeContact } from "./merge-contact.js";
import { t } from "../../lib/i18n.js";

const PER_PAGE = 50;

export function mountContacts(container, route) {
  const search = h("input", { type: "search", name: "search", placeholder: "Search contacts",
    "aria-label": "Search contacts", autocomplete: "off" });
  const rows = h("div.contact-rows");
  const more = h("div.list-status", { role: "status" });
  const detail = h("section.contact-detail", { "aria-label": "Contact details" });
  const total = h("span.meta");
  const sort = h("select.small-select", { "aria-label": "Sort contacts" },
    h("option", { value: "name" }, "By name"), h("option", { value: "created_desc" }, "Newest first"));
  sort.addEventListener("change", () => reload());
  const list = h("section.contacts-list",
    h("header.list-head", h("div.row", h("h1.list-title", "Contacts"), total, h("div.spacer"),
      h("button.btn.small.primary", { type: "button", onclick: () => go("#/contacts/new") }, icon("plus"), "New contact")),
    h("div.row", h("label.search-box", { style: "flex:1" }, icon("search"), search), sort)),
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
      total.textContent = page.total.toLocaleString();
      state.done = page.items.length < PER_PAGE;
      clear(more, !state.items.length ? h("div.empty", search.value.trim()
        ? h("p", `No contacts match “${search.value.trim()}”.`)
        : h("p.muted", "No contacts yet. They are added as conversations arrive, or by hand.")) : null);
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
      return clear(detail, h("div.thread-empty", icon("contacts"), h("p", "Select a contact"),
        h("p.meta", "Or create one with “New contact”.")));
    }
    clear(detail, h("p.meta.center", "Loading…"));
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
        h("button.btn.small", { type: "button", onclick: () => editForm(contact) }, "Edit"),
        store.isAdmin ? h("button.btn.small", { type: "button", onclick: () => merge(contact) },
          icon("merge"), t("merge.button")) : null,
        store.isAdmin ? h("button.btn.small.danger", { type: "button", onclick: () => remove(contact) },
          icon("trash"), "Delete") : null),
      h("dl.details", dd("Email", contact.email), dd("Phone", contact.phone), dd("Company", contact.company),
        dd("Added", shortDate(contact.created_at))),
      contact.notes ? h("p.contact-notes", contact.notes) : null,
      attrs.length ? [h("h4.panel-heading", "Attributes"), h("dl.details", attrs.map(([k, v]) => dd(k, String(v))))] : null,
      h("h4.panel-heading", `Conversations (${past.total})`),
      past.items.length ? h("ul.past", past.items.map((c) => h("li", h("a", { href: inboxHash("open", c.id) },
        h("span.past-subject", c.subject || c.last_message?.preview || `Conversation #${c.id}`),
        h("span.meta", `${c.status} · ${c.channel_name} · ${relativeTime(c.last_activity_at)}`)))))
        : h("p.muted", "No conversations yet.")));
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
    const form = h("form.detail-inner", { novalidate: true, "aria-label": contact ? "Edit contact" : "New contact" },
      h("h2", contact ? `Edit ${contactName(contact)}` : "New contact"),
      h("div.grid-2", field("Name", inputs.name), field("Company", inputs.company)),
      h("div.grid-2", field("Email", inputs.email), field("Phone", inputs.phone)),
      field("Notes", inputs.notes),
      h("h4.panel-heading", "Attributes"), attributes.el,
      h("div.error-box", { role: "alert" }),
      h("div.row", { style: "margin-top:16px" }, h("div.spacer"),
        h("button.btn", { type: "button", onclick: () => (contact ? show(contact.id) : go("#/contacts")) }, "Cancel"),
        h("button.btn.primary", { type: "submit" }, contact ? "Save" : "Create contact")));
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
        toast(contact ? "Contact saved" : "Contact created");
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
      title: `Delete ${contactName(contact)}?`,
      message: `This erases ${contactName(contact)} and ${plural(count, "count.conversations")} with all their messages. It cannot be undone.`,
      confirm: count ? `Delete contact and ${plural(count, "count.conversations")}` : "Delete contact",
      run: () => api.del(`/api/contacts/${contact.id}`),
    });
    if (done) {
      toast(`${contactName(contact)} was deleted`);
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
