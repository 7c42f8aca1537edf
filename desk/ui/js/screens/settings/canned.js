// Settings → Canned replies: the team's shared answers. Everyone adds and edits; the author or
// an admin deletes. In the composer, `/` and the shortcut insert one.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { relativeTime, fullTime } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";
import { t } from "../../lib/i18n.js";

/** The form for a new reply (`reply` null) or for editing one; `done(saved)` after saving. */
function replyForm(reply, done, cancel) {
  const inputs = {
    shortcut: h("input", { type: "text", name: "shortcut", value: reply?.shortcut || "", placeholder: "refund",
      autocomplete: "off", maxlength: "33", spellcheck: "false" }),
    title: h("input", { type: "text", name: "title", value: reply?.title || "", maxlength: "100" }),
    body: h("textarea", { name: "body", rows: "4", placeholder: "{{contact.first_name}} …" }),
  };
  inputs.body.value = reply?.body || "";
  const label = reply ? t("canned.editLabel", { shortcut: reply.shortcut }) : t("canned.new");
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": label },
    h("h3", label),
    h("div.grid-2", field(t("canned.shortcut"), inputs.shortcut, t("canned.shortcutHint")),
      field(t("canned.titleLabel"), inputs.title)),
    field(t("canned.text"), inputs.body, t("canned.placeholders")),
    h("div.error-box", { role: "alert" }),
    h("div.row", h("button.btn.primary", { type: "submit" }, reply ? t("canned.save") : [icon("plus"), t("canned.add")]),
      cancel ? h("button.btn", { type: "button", onclick: cancel }, t("common.cancel")) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const payload = { shortcut: inputs.shortcut.value.trim(), title: inputs.title.value.trim(), body: inputs.body.value };
    try {
      const saved = reply
        ? await api.patch(`/api/canned-replies/${reply.id}`, payload)
        : await api.post("/api/canned-replies", payload);
      if (!reply) form.reset();
      done(saved);
    } catch (err) {
      showFormError(form, err);
    }
  });
  return form;
}

export function cannedPage(body) {
  const list = h("div.cards");
  const create = replyForm(null, (saved) => {
    toast(t("canned.added", { shortcut: saved.shortcut }));
    load();
  });
  body.append(h("div.settings-form", h("h2", t("canned.title")), h("p.muted", t("canned.intro"))),
  list, create);

  async function load() {
    try {
      const page = await api.get("/api/canned-replies", { per_page: 100 });
      clear(list, page.items.length ? page.items.map(card) : h("p.muted", t("canned.none")));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(reply) {
    const mayDelete = store.isAdmin || reply.created_by.id === store.me.id;
    const el = h("article.item-card.canned-card", { "aria-label": `/${reply.shortcut}` },
      h("div.row", h("code.shortcut", `/${reply.shortcut}`), h("h3", reply.title), h("div.spacer"),
        h("span.meta", { title: fullTime(reply.updated_at) }, t("canned.byWhen", { name: reply.created_by.name || t("canned.someone"), when: relativeTime(reply.updated_at) })),
        h("button.btn.small", { type: "button", onclick: edit, "aria-label": t("canned.editLabel", { shortcut: reply.shortcut }) }, t("canned.edit")),
        mayDelete ? h("button.btn.small.danger", { type: "button", onclick: remove, "aria-label": t("canned.deleteLabel", { shortcut: reply.shortcut }) },
          icon("trash"), t("canned.delete")) : null),
      h("p.canned-body", reply.body));

    function edit() {
      const form = replyForm(reply, (saved) => {
        toast(t("canned.saved", { shortcut: saved.shortcut }));
        load();
      }, () => form.replaceWith(el));
      el.replaceWith(form);
      form.querySelector("input").focus();
    }

    async function remove() {
      const done = await confirmDanger({
        title: t("canned.deleteTitle", { shortcut: reply.shortcut }),
        message: t("canned.deleteMessage", { title: reply.title }),
        confirm: t("canned.deleteConfirm"),
        run: () => api.del(`/api/canned-replies/${reply.id}`),
      });
      if (done) {
        toast(t("canned.deleted", { shortcut: reply.shortcut }));
        load();
      }
    }
    return el;
  }

  load();
}
