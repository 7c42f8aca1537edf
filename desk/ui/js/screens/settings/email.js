// Settings → Channels, the parts about connections: each channel's health (with its last
// error), and for an email channel "Test connection" (POST /api/channels/{id}/check, sends
// nothing). Its settings are edited in channel-edit.js.
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { fullTime, relativeTime } from "../../lib/format.js";
import { t, tParts } from "../../lib/i18n.js";

/** One line: healthy or not, since when, and the last error in the server's words. */
export function healthLine(channel) {
  const health = channel.health;
  if (!health || channel.type === "phone" || channel.type === "web_chat") return null;
  const when = (iso) => h("time", { datetime: iso, title: fullTime(iso) }, relativeTime(iso));
  let state;
  if (!channel.active) state = h("span.chip", t("health.paused"));
  else if (channel.type === "api" && health.ok && !health.last_success_at) state = null;
  else if (health.ok) state = h("span.chip.ok", icon("resolved"), channel.type === "api" ? t("health.delivering") : t("health.connected"));
  else if (health.last_error) state = h("span.chip.bad", icon("alert"), t("health.notWorking"));
  else state = h("span.chip", t("health.notChecked"));
  const facts = [];
  if (channel.type === "email" && health.last_poll_at) facts.push(tParts("health.mailboxRead", { when: when(health.last_poll_at) }));
  else if (channel.type === "email") facts.push(t("health.neverRead"));
  else if (health.last_success_at) facts.push(tParts("health.lastDelivered", { when: when(health.last_success_at) }));
  else facts.push(t("health.noneDelivered"));
  if (channel.type === "email" && health.dropped) facts.push(t("health.dropped", { count: health.dropped }));
  // The words before the error are strong, the error itself in the server's words.
  const error = health.last_error
    ? h("div.health-error", { class: health.ok ? "past" : "" },
      tParts(health.ok ? "health.lastError" : "health.error", {
        when: health.last_error_at ? when(health.last_error_at) : h("span"),
        error: h("span", health.last_error),
      }))
    : null;
  return h("div.health", { "aria-label": t("health.connection") }, h("div.row", state,
    facts.map((fact, i) => [i || state ? " · " : "", h("span.meta", fact)])), error);
}

function checkResult(label, side) {
  return h("div.check-side", { class: side.ok ? "ok" : "bad" }, icon(side.ok ? "resolved" : "alert"),
    side.ok ? tParts("health.works", { side: h("strong", label) })
      : tParts("health.fails", { side: h("strong", label), error: h("span", side.error) }));
}

/** The email channel's Test connection button and what it found. */
export function emailTools(channel) {
  const result = h("div.check-result", { role: "status" });
  const test = h("button.btn.small", { type: "button" }, icon("retry"), t("email.test"));
  test.addEventListener("click", async () => {
    test.disabled = true;
    clear(result, t("email.connecting"));
    try {
      const answer = await api.post(`/api/channels/${channel.id}/check`);
      clear(result, checkResult("IMAP", answer.imap), checkResult("SMTP", answer.smtp));
    } catch (err) {
      clear(result, h("div.error-text", err.message));
    } finally {
      test.disabled = false;
    }
  });
  return [h("div.row", test), result];
}
