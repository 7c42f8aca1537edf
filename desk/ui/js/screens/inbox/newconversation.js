// "Log a conversation": a phone call or message an agent records by hand.
import { api } from "../../lib/api.js";
import { h, field, showFormError } from "../../lib/dom.js";
import { CHANNEL_LABELS } from "../../components/icons.js";
import { store } from "../../lib/store.js";
import { openDialog } from "../../components/dialog.js";
import { t } from "../../lib/i18n.js";

export function openNewConversation(onCreated) {
  const channels = (store.workspace?.channels || []).filter((c) => c.active);
  if (!channels.length) {
    const dialog = openDialog(t("newConv.title"), [
      h("p", t("newConv.noChannel")),
      h("p.muted", store.isAdmin ? t("newConv.addOneAdmin") : t("newConv.askAdmin")),
    ], [store.isAdmin ? h("a.btn.primary", { href: "#/settings/channels", onclick: () => dialog.close() }, t("list.addChannel")) : null,
      h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.close"))]);
    return;
  }
  const preferred = channels.find((c) => c.type === "phone") || channels[0];
  const inputs = {
    channel_id: h("select", { name: "channel_id" }, channels.map((c) => h("option",
      { value: c.id, selected: c.id === preferred.id }, `${c.name} (${CHANNEL_LABELS[c.type]})`))),
    name: h("input", { type: "text", name: "name", autocomplete: "off" }),
    email: h("input", { type: "email", name: "email", autocomplete: "off" }),
    phone: h("input", { type: "text", name: "phone", autocomplete: "off" }),
    subject: h("input", { type: "text", name: "subject", maxlength: "200" }),
    message_type: h("select", { name: "message_type" },
      h("option", { value: "incoming" }, t("newConv.theySaid")), h("option", { value: "outgoing" }, t("newConv.weSaid"))),
    message: h("textarea", { name: "message", rows: "4" }),
  };
  const form = h("form#new-conversation", { novalidate: true },
    field(t("newConv.channel"), inputs.channel_id),
    h("div.grid-2", field(t("newConv.contactName"), inputs.name), field(t("panel.phone"), inputs.phone)),
    field(t("common.email"), inputs.email, t("newConv.emailHint")),
    field(t("newConv.subject"), inputs.subject),
    field(t("newConv.first"), inputs.message_type),
    field(t("newConv.message"), inputs.message),
    h("div.error-box", { role: "alert" }));
  const submit = h("button.btn.primary", { type: "submit", form: "new-conversation" }, t("newConv.submit"));
  const dialog = openDialog(t("newConv.title"), form, [
    h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel")), submit]);
  inputs.name.focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const contact = {};
    for (const key of ["name", "email", "phone"]) if (inputs[key].value.trim()) contact[key] = inputs[key].value.trim();
    if (!Object.keys(contact).length) {
      showFormError(form, { message: t("newConv.needContact"), field: "name" });
      return;
    }
    const body = { channel_id: Number(inputs.channel_id.value), contact, message_type: inputs.message_type.value };
    if (inputs.subject.value.trim()) body.subject = inputs.subject.value.trim();
    if (inputs.message.value.trim()) body.message = inputs.message.value.trim();
    submit.disabled = true;
    try {
      const conversation = await api.post("/api/conversations", body);
      dialog.close();
      onCreated(conversation);
    } catch (err) {
      const field = err.field && err.field.startsWith("contact.") ? err.field.slice(8) : err.field;
      showFormError(form, { message: err.message, field });
    } finally {
      submit.disabled = false;
    }
  });
}
