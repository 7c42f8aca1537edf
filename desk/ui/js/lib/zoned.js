// Wall-clock times in a named time zone (the workspace's), with Intl only.

/** The parts of `date` as a clock in `timeZone` shows them. */
export function zonedParts(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short",
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return {
    year: Number(get("year")), month: Number(get("month")), day: Number(get("day")),
    hour: Number(get("hour")) % 24, minute: Number(get("minute")), second: Number(get("second")),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday")),
  };
}

function offsetAt(ms, timeZone) {
  const p = zonedParts(new Date(ms), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The moment a clock in `timeZone` shows year-month-day hour:minute (month 1-12). */
export function zonedToDate(year, month, day, hour, minute, timeZone) {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let ms = wall - offsetAt(wall, timeZone);
  ms = wall - offsetAt(ms, timeZone); // once more: the offset may differ across a DST change
  return new Date(ms);
}

/** `days` calendar days after `date`'s day in `timeZone`, at hour:minute there. */
export function zonedDayAt(date, days, hour, minute, timeZone) {
  const p = zonedParts(date, timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return zonedToDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, minute, timeZone);
}

/** "2026-11-30T09:00" (an <input type=datetime-local> value) as a clock in `timeZone`. */
export function zonedInputToDate(value, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
  if (!m) return null;
  return zonedToDate(+m[1], +m[2], +m[3], +m[4], +m[5], timeZone);
}

/** The <input type=datetime-local> value for `date` as a clock in `timeZone` shows it. */
export function dateToZonedInput(date, timeZone) {
  const p = zonedParts(date, timeZone);
  const two = (n) => String(n).padStart(2, "0");
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** An ISO UTC string with second precision, as the API takes it. */
export function isoSeconds(date) {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}
