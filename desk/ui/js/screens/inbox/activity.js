// An activity line ("Sam assigned this to Ada") in the agent's language: the server stores
// what happened as data (message.activity: { kind, params }), worded here by the catalogue's
// "activity.kind.<kind>". A line written before Desk kept that data shows the server's English.
import { fullTime } from "../../lib/format.js";
import { PRIORITY_LABELS } from "../../components/icons.js";
import { formatNumber, has, t } from "../../lib/i18n.js";

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z/g;

/** Who caused the change, as the line names them. */
function actorName(sender) {
  if (sender?.type === "automation") return t("activity.automationActor", { name: sender.name || "" });
  return sender?.name || "Desk";
}

/** The words of an activity message. */
export function activityText(msg) {
  const data = msg.activity;
  const key = data && data.kind ? ["activity.kind", data.kind].join(".") : "";
  if (!key || !has(key)) {
    // The server writes times in ISO; the agent reads them in local time (still as text).
    return msg.body.replace(ISO_TIME, (iso) => fullTime(iso));
  }
  const params = { ...data.params, actor: actorName(msg.sender) };
  if (params.until) params.until = fullTime(params.until);
  if (params.priority) params.priority = PRIORITY_LABELS[params.priority] || params.priority;
  if (params.megabytes !== undefined) {
    params.megabytes = formatNumber(Number(params.megabytes), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }
  if (data.kind === "merged") {
    params.subject = params.subject ? ` ${t("activity.quoted", { text: params.subject })}` : "";
    params.id = String(params.id); // a conversation's number, not a quantity: no grouping
  }
  return t(key, params);
}
