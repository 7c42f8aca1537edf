// The snooze choices, one set for the thread header and the bulk bar: presets (1 hour, tonight,
// tomorrow 9:00, next week) and "Pick a date…" with its dialog.
import { h, field } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { t, weekdays } from "../../lib/i18n.js";
import { openDialog } from "../../components/dialog.js";

// A preset's time of day on the agent's own clock, as "9:00" and "20:00" in every language.
const clock = (d) => `${d.getHours()}:${String(d.getMinutes()).padStart(2, "0")}`;

export function snoozePresets(now = new Date()) {
  const at = (days, hour) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    d.setHours(hour, 0, 0, 0);
    return d;
  };
  const presets = [[t("snooze.hour"), new Date(now.getTime() + 3600e3)]];
  if (now.getHours() < 18) presets.push([t("snooze.tonight", { time: clock(at(0, 20)) }), at(0, 20)]);
  presets.push([t("snooze.tomorrow", { time: clock(at(1, 9)) }), at(1, 9)]);
  const toMonday = ((8 - now.getDay()) % 7) || 7;
  presets.push([t("snooze.nextWeek", { day: weekdays("long")[0], time: clock(at(toMonday, 9)) }), at(toMonday, 9)]);
  return presets;
}

/**
 * The "Snooze until…" dialog: `onPick(date)` once a date is chosen. A time already past is
 * refused right there, beside the field, and the dialog stays open to fix it.
 */
export function pickSnoozeDate(onPick) {
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
  const input = h("input", { type: "datetime-local", name: "snoozed_until", required: true, min: local(new Date()) });
  const slot = h("div.error-box", { role: "alert" });
  const refuse = (message) => {
    slot.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  };
  const dialog = openDialog(t("snooze.untilDialog"), [field(t("snooze.reopenOn"), input), slot], [
    h("button.btn", { type: "button", onclick: () => dialog.close() }, t("common.cancel")),
    h("button.btn.primary", {
      type: "button",
      onclick: async () => {
        if (!input.value) return refuse(t("snooze.pickPrompt"));
        const until = new Date(input.value);
        if (Number.isNaN(until.getTime()) || until <= new Date()) return refuse(t("snooze.inPast"));
        dialog.close();
        await onPick(until);
      },
    }, t("snooze.snooze")),
  ]);
  input.addEventListener("input", () => {
    slot.textContent = "";
    input.removeAttribute("aria-invalid");
  });
  input.focus();
}

/** The menu items (showMenu) of every snooze choice: `onPick(date)`. */
export function snoozeItems(onPick) {
  return [
    ...snoozePresets().map(([label, date]) => ({ label, icon: icon("snooze"), onSelect: () => onPick(date) })),
    { label: t("snooze.pick"), icon: icon("snooze"), onSelect: () => pickSnoozeDate(onPick) },
  ];
}

/** An ISO time for the API: whole seconds, UTC. */
export function snoozeTime(date) {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}
