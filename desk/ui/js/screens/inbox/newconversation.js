// "Log a conversation": a phone call or message an agent records by hand.
import { api } from "../../lib/api.js";
import { h, field, showFormError } from "../../lib/dom.js";
import { CHANNEL_LABELS } from "../../components/icons.js";
import { store } from "../../lib/store.js";
import { openDialog } from "../../components/dialog.js";

export function openNewConversation(onCreated) {
  const channels = (store.workspace?.channels || []).filter((c) => c.active);
  if (!channels.length) {
    const dialog = openDialog("Log a conversation", [
      h("p", "There is no channel to log it on yet."),
      h("p.muted", store.isAdmin ? "Add one in Settings → Channels (a Phone channel suits logged calls)."
        : "Ask an admin to add a channel (a Phone channel suits logged calls)."),
    ], [store.isAdmin ? h("a.btn.primary", { href: "#/settings/channels", onclick: () => dialog.close() }, "Add a channel") : null,
      h("button.btn", { type: "button", onclick: () => dialog.close() }, "Close")]);
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
      h("option", { value: "incoming" }, "The contact said"), h("option", { value: "outgoing" }, "We said")),
    message: h("textarea", { name: "message", rows: "4" }),
  };
  const form = h("form#new-conversation", { novalidate: true },
    field("Channel", inputs.channel_id),
    h("div.grid-2", field("Contact name", inputs.name), field("Phone", inputs.phone)),
    field("Email", inputs.email, "An existing contact with this email is reused."),
    field("Subject", inputs.subject),
    field("Who spoke first", inputs.message_type),
    field("Message", inputs.message),
    h("div.error-box", { role: "alert" }));
  const submit = h("button.btn.primary", { type: "submit", form: "new-conversation" }, "Log conversation");
  const dialog = openDialog("Log a conversation", form, [
    h("button.btn", { type: "button", onclick: () => dialog.close() }, "Cancel"), submit]);
  inputs.name.focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const contact = {};
    for (const key of ["name", "email", "phone"]) if (inputs[key].value.trim()) contact[key] = inputs[key].value.trim();
    if (!Object.keys(contact).length) {
      showFormError(form, { message: "Give the contact a name, an email or a phone number.", field: "name" });
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
