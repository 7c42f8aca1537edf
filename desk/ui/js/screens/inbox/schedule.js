// Send later: the composer's presets (tomorrow 9:00, Monday 9:00, a chosen time, all in the
// workspace's time zone) and the thread's scheduled replies (their time, Edit, Cancel).
import { api } from "../../lib/api.js";
import { h } from "../../lib/dom.js";
import { store } from "../../lib/store.js";
import { icon } from "../../components/icons.js";
import { showMenu } from "../../components/menu.js";
import { openDialog } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";
import { formatDate, t, tParts } from "../../lib/i18n.js";
import { dateToZonedInput, isoSeconds, zonedDayAt, zonedInputToDate, zonedParts } from "../../lib/zoned.js";

export function workspaceZone() {
  return store.workspace?.timezone || "UTC";
}

/** "Mon 30 Nov, 09:00" in the workspace's zone, naming the zone when it is not the browser's. */
export function scheduledTime(iso) {
  const zone = workspaceZone();
  const label = formatDate(new Date(iso), {
    timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
  const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return mine === zone ? label : `${label} (${zone})`;
}

/** The presets, computed now: [label, Date]. */
export function sendLaterPresets(now = new Date()) {
  const zone = workspaceZone();
  const tomorrow = zonedDayAt(now, 1, 9, 0, zone);
  const weekday = zonedParts(now, zone).weekday; // 0 Sunday … 6 Saturday
  const monday = zonedDayAt(now, ((8 - weekday) % 7) || 7, 9, 0, zone);
  const presets = [[t("scheduled.tomorrow"), tomorrow]];
  if (monday.getTime() !== tomorrow.getTime()) presets.push([t("scheduled.monday"), monday]);
  return presets;
}

/** The "Send later" menu: `onPick(isoString)` with the chosen moment. */
export function sendLaterMenu(anchor, onPick) {
  showMenu(anchor, [
    { heading: t("scheduled.menuHeading", { zone: workspaceZone() }) },
    ...sendLaterPresets().map(([label, date]) => ({
      label, icon: icon("pending"), onSelect: () => onPick(isoSeconds(date)),
    })),
    { label: t("scheduled.pick"), icon: icon("pending"), onSelect: () => pickTime({ title: t("scheduled.sendLater"), onPick }) },
  ], { label: t("scheduled.sendLater") });
}

/** A dialog asking for a time (and, when editing, the text). */
export function pickTime({ title, onPick, initial = null, body = null }) {
  const zone = workspaceZone();
  const start = initial ? new Date(initial) : sendLaterPresets()[0][1];
  const input = h("input", { type: "datetime-local", name: "send_at", required: true,
    value: dateToZonedInput(start, zone), min: dateToZonedInput(new Date(), zone) });
  const text = body === null ? null : h("textarea", { name: "body", rows: "4", "aria-label": t("scheduled.replyText") });
  if (text) text.value = body;
  const error = h("div.error-text", { role: "alert" });
  const save = h("button.btn.primary", { type: "button" }, body === null ? t("scheduled.schedule") : t("scheduled.save"));
  const dialog = openDialog(title, [
    text ? h("label.field", h("span", t("scheduled.text")), text) : null,
    h("label.field", h("span", t("scheduled.sendOn", { zone })), input),
    error,
  ], [h("button.btn", { type: "button", onclick: () => dialog.close() }, t("scheduled.close")), save]);
  save.addEventListener("click", async () => {
    const when = zonedInputToDate(input.value, zone);
    if (!when || when <= new Date()) {
      error.textContent = t("scheduled.future");
      return input.focus();
    }
    save.disabled = true;
    try {
      await onPick(isoSeconds(when), text ? text.value : null);
      dialog.close();
    } catch (err) {
      error.textContent = err.message;
      save.disabled = false;
    }
  });
  input.focus();
  return dialog;
}

/** The line under a scheduled reply: its time, Edit and Cancel. */
export function scheduledLine(msg, onChanged) {
  const edit = h("button.link-btn", { type: "button" }, t("scheduled.edit"));
  const cancel = h("button.link-btn", { type: "button" }, icon("x"), t("scheduled.cancel"));
  edit.addEventListener("click", () => pickTime({
    title: t("scheduled.editTitle"), initial: msg.send_at, body: msg.body,
    onPick: async (sendAt, body) => onChanged(await api.patch(`/api/messages/${msg.id}`, { send_at: sendAt, body })),
  }));
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    try {
      await api.del(`/api/messages/${msg.id}`);
      onChanged(null);
      toast(t("scheduled.cancelled"));
    } catch (err) {
      cancel.disabled = false;
      toast(t("scheduled.cancelFailed", { error: err.message }), { error: true });
    }
  });
  const time = h("time", { datetime: msg.send_at }, scheduledTime(msg.send_at));
  return h("div.delivery.scheduled", { role: "status" },
    h("div.row", icon("pending"), h("span", tParts("scheduled.for", { time })), "·", edit, "·", cancel));
}
