// Settings → Canned replies: the team's shared answers. Everyone adds and edits; the author or
// an admin deletes. In the composer, `/` and the shortcut insert one.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { relativeTime, fullTime } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";

const PLACEHOLDER_HINT = "May use {{contact.name}}, {{contact.first_name}}, {{conversation.id}} and {{agent.name}} (you, when you insert it).";

/** The form for a new reply (`reply` null) or for editing one; `done(saved)` after saving. */
function replyForm(reply, done, cancel) {
  const inputs = {
    shortcut: h("input", { type: "text", name: "shortcut", value: reply?.shortcut || "", placeholder: "refund",
      autocomplete: "off", maxlength: "33", spellcheck: "false" }),
    title: h("input", { type: "text", name: "title", value: reply?.title || "", placeholder: "Refund on its way", maxlength: "100" }),
    body: h("textarea", { name: "body", rows: "4", placeholder: "Hi {{contact.first_name}}, …" }),
  };
  inputs.body.value = reply?.body || "";
  const label = reply ? `Edit /${reply.shortcut}` : "New canned reply";
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": label },
    h("h3", label),
    h("div.grid-2", field("Shortcut", inputs.shortcut, "Letters a–z, digits, - and _. Type / and it in a reply."),
      field("Title", inputs.title)),
    field("Text", inputs.body, PLACEHOLDER_HINT),
    h("div.error-box", { role: "alert" }),
    h("div.row", h("button.btn.primary", { type: "submit" }, reply ? "Save" : [icon("plus"), "Add canned reply"]),
      cancel ? h("button.btn", { type: "button", onclick: cancel }, "Cancel") : null));
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
    toast(`Canned reply /${saved.shortcut} added`);
    load();
  });
  body.append(h("div.settings-form", h("h2", "Canned replies"),
    h("p.muted", "Answers the whole team shares. In a reply, type / and the shortcut (or use the Canned button) to insert one with the customer's name filled in.")),
  list, create);

  async function load() {
    try {
      const page = await api.get("/api/canned-replies", { per_page: 100 });
      clear(list, page.items.length ? page.items.map(card) : h("p.muted", "No canned replies yet."));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(reply) {
    const mayDelete = store.isAdmin || reply.created_by.id === store.me.id;
    const el = h("article.item-card.canned-card", { "aria-label": `/${reply.shortcut}` },
      h("div.row", h("code.shortcut", `/${reply.shortcut}`), h("h3", reply.title), h("div.spacer"),
        h("span.meta", { title: fullTime(reply.updated_at) }, `${reply.created_by.name || "Someone"} · ${relativeTime(reply.updated_at)}`),
        h("button.btn.small", { type: "button", onclick: edit, "aria-label": `Edit /${reply.shortcut}` }, "Edit"),
        mayDelete ? h("button.btn.small.danger", { type: "button", onclick: remove, "aria-label": `Delete /${reply.shortcut}` },
          icon("trash"), "Delete") : null),
      h("p.canned-body", reply.body));

    function edit() {
      const form = replyForm(reply, (saved) => {
        toast(`Canned reply /${saved.shortcut} saved`);
        load();
      }, () => form.replaceWith(el));
      el.replaceWith(form);
      form.querySelector("input").focus();
    }

    async function remove() {
      const done = await confirmDanger({
        title: `Delete /${reply.shortcut}?`,
        message: `“${reply.title}” is deleted for the whole team. Replies already sent with it stay as they are.`,
        confirm: "Delete canned reply",
        run: () => api.del(`/api/canned-replies/${reply.id}`),
      });
      if (done) {
        toast(`Canned reply /${reply.shortcut} deleted`);
        load();
      }
    }
    return el;
  }

  load();
}
