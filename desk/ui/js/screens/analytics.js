// Analytics: KPI tiles with the change against the previous period, charts, and tables.
import { api } from "../lib/api.js";
import { h, clear, redraw } from "../lib/dom.js";
import { duration, shortDate } from "../lib/format.js";
import { CHANNEL_LABELS } from "../components/icons.js";
import { go } from "../lib/router.js";
import { barChart, heatmap } from "../components/charts.js";

const RANGES = [7, 30, 90, 365];

export function mountAnalytics(container, route) {
  const picker = h("div.segmented", { role: "group", "aria-label": "Range" });
  const body = h("div.analytics-body");
  const heading = h("p.muted");
  container.append(h("div.page", h("header.page-head", h("div", h("h1", "Analytics"), heading), h("div.spacer"), picker), body));
  let days = 0;
  let generation = 0;

  function renderPicker() {
    redraw(picker, () => clear(picker, RANGES.map((n) => h("button.btn.small", {
      type: "button", "aria-pressed": String(n === days), onclick: () => go(`#/analytics/${n}`),
      dataset: { focus: String(n) },
    }, n === 365 ? "1 year" : `${n} days`))));
  }

  async function load(next) {
    days = RANGES.includes(next) ? next : 30;
    renderPicker();
    const token = ++generation;
    body.classList.add("refreshing");
    try {
      const [data, previous] = await Promise.all([
        api.get("/api/analytics", { days }),
        days * 2 <= 365 ? api.get("/api/analytics", { days: days * 2 }).catch(() => null) : null,
      ]);
      if (token !== generation) return;
      render(data, previous);
    } catch (err) {
      if (token === generation) clear(body, h("div.error-box", { role: "alert" }, `Analytics could not be loaded: ${err.message}`));
    } finally {
      if (token === generation) body.classList.remove("refreshing");
    }
  }

  function sumEarlier(previous, key) {
    if (!previous) return null;
    return previous.by_day.slice(0, previous.by_day.length - days).reduce((total, d) => total + d[key], 0);
  }

  function tile(label, value, before, { lowerIsBetter = false, hint } = {}) {
    let change = null;
    if (before !== null && before !== undefined && typeof value === "number") {
      const diff = value - before;
      const pct = before ? Math.round((diff / before) * 100) : null;
      const good = lowerIsBetter ? diff < 0 : diff > 0;
      change = h("span.change", { class: diff === 0 ? "" : good ? "up" : "down" },
        diff === 0 ? "no change" : `${diff > 0 ? "+" : ""}${pct === null ? diff.toLocaleString() : `${pct}%`} vs prior ${days}d`);
    }
    return h("div.kpi", h("div.kpi-label", label),
      h("div.kpi-value", typeof value === "number" ? value.toLocaleString() : value),
      change || h("span.change", hint || "\u00a0"));
  }

  function table(title, columns, rows) {
    return h("section.panel", h("h2", title), rows.length
      ? h("table.data", h("thead", h("tr", columns.map(([label, , numeric]) => h("th", { class: numeric ? "num" : "" }, label)))),
        h("tbody", rows.map((row) => h("tr", columns.map(([, get, numeric]) => h("td", { class: numeric ? "num" : "" }, get(row)))))))
      : h("p.muted", "Nothing in this period."));
  }

  function render(data, previous) {
    const r = data.range;
    heading.textContent = `${shortDate(r.from)} – ${shortDate(r.to)} · ${r.timezone}`;
    const t = data.totals;
    clear(body,
      h("div.kpis",
        tile("New conversations", t.new_conversations, sumEarlier(previous, "new")),
        tile("Resolved", t.resolved, sumEarlier(previous, "resolved")),
        tile("Median first response", duration(data.first_response_seconds.median), null,
          { hint: `p90 ${duration(data.first_response_seconds.p90)} · ${data.first_response_seconds.count} replied` }),
        tile("Median resolution", duration(data.resolution_seconds.median), null,
          { hint: `p90 ${duration(data.resolution_seconds.p90)}` }),
        tile("Open now", t.open_now, null, { hint: `${t.messages_in.toLocaleString()} in · ${t.messages_out.toLocaleString()} out` })),
      h("section.panel", h("h2", "Conversations per day"), barChart(data.by_day)),
      h("div.panels-2",
        h("section.panel", h("h2", "Busiest hours"), h("p.meta", "New incoming messages by weekday and hour, workspace time"),
          heatmap(data.busiest_hours)),
        table("By channel", [["Channel", (c) => c.name], ["Type", (c) => CHANNEL_LABELS[c.channel_type] || c.channel_type],
          ["New", (c) => c.new.toLocaleString(), true]], data.by_channel)),
      h("div.panels-2",
        table("By agent", [["Agent", (a) => a.name], ["Assigned", (a) => a.assigned.toLocaleString(), true],
          ["Resolved", (a) => a.resolved.toLocaleString(), true], ["Replies", (a) => a.replies.toLocaleString(), true], ["First response", (a) => duration(a.first_response_median_seconds), true]], data.by_agent),
        table("By tag", [["Tag", (x) => x.tag], ["Conversations", (x) => x.conversations.toLocaleString(), true]], data.by_tag)));
  }

  load(route.days);
  return { update: (next) => load(next.days) };
}
