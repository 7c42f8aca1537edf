// Analytics: KPI tiles with the change against the previous period, charts, and tables.
import { api } from "../lib/api.js";
import { h, clear, redraw } from "../lib/dom.js";
import { duration, shortDate } from "../lib/format.js";
import { CHANNEL_LABELS } from "../components/icons.js";
import { go } from "../lib/router.js";
import { barChart, heatmap } from "../components/charts.js";
import { formatNumber, t } from "../lib/i18n.js";

const RANGES = [7, 30, 90, 365];

export function mountAnalytics(container, route) {
  const picker = h("div.segmented", { role: "group", "aria-label": t("analytics.range") });
  const body = h("div.analytics-body");
  const heading = h("p.muted");
  container.append(h("div.page", h("header.page-head", h("div", h("h1", t("nav.analytics")), heading), h("div.spacer"), picker), body));
  let days = 0;
  let generation = 0;

  function renderPicker() {
    redraw(picker, () => clear(picker, RANGES.map((n) => h("button.btn.small", {
      type: "button", "aria-pressed": String(n === days), onclick: () => go(`#/analytics/${n}`),
      dataset: { focus: String(n) },
    }, n === 365 ? t("analytics.year") : t("analytics.days", { count: n })))));
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
      if (token === generation) clear(body, h("div.error-box", { role: "alert" }, t("analytics.failed", { error: err.message })));
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
        diff === 0 ? t("analytics.noChange") : t("analytics.vsPrior", {
          change: pct === null
            ? formatNumber(diff, { signDisplay: "exceptZero" })
            : formatNumber(pct / 100, { style: "percent", signDisplay: "exceptZero" }),
          days,
        }));
    }
    return h("div.kpi", h("div.kpi-label", label),
      h("div.kpi-value", typeof value === "number" ? formatNumber(value) : value),
      change || h("span.change", hint || "\u00a0"));
  }

  function table(title, columns, rows) {
    return h("section.panel", h("h2", title), rows.length
      ? h("table.data", h("thead", h("tr", columns.map(([label, , numeric]) => h("th", { class: numeric ? "num" : "" }, label)))),
        h("tbody", rows.map((row) => h("tr", columns.map(([, get, numeric]) => h("td", { class: numeric ? "num" : "" }, get(row)))))))
      : h("p.muted", t("analytics.nothing")));
  }

  function render(data, previous) {
    const r = data.range;
    heading.textContent = `${shortDate(r.from)} – ${shortDate(r.to)} · ${r.timezone}`;
    const totals = data.totals;
    const number = (key) => (row) => formatNumber(row[key]);
    clear(body,
      h("div.kpis",
        tile(t("analytics.newConversations"), totals.new_conversations, sumEarlier(previous, "new")),
        tile(t("analytics.resolved"), totals.resolved, sumEarlier(previous, "resolved")),
        tile(t("analytics.firstResponse"), duration(data.first_response_seconds.median), null, {
          hint: t("analytics.replied", {
            time: duration(data.first_response_seconds.p90), count: data.first_response_seconds.count,
          }),
        }),
        tile(t("analytics.resolution"), duration(data.resolution_seconds.median), null,
          { hint: t("analytics.p90", { time: duration(data.resolution_seconds.p90) }) }),
        tile(t("analytics.openNow"), totals.open_now, null,
          { hint: t("analytics.inOut", { in: totals.messages_in, out: totals.messages_out }) })),
      h("section.panel", h("h2", t("analytics.perDay")), barChart(data.by_day)),
      h("div.panels-2",
        h("section.panel", h("h2", t("analytics.busiest")), h("p.meta", t("analytics.busiestHint")),
          heatmap(data.busiest_hours)),
        table(t("analytics.byChannel"), [[t("analytics.channel"), (c) => c.name],
          [t("analytics.type"), (c) => CHANNEL_LABELS[c.channel_type] || c.channel_type],
          [t("analytics.new"), number("new"), true]], data.by_channel)),
      h("div.panels-2",
        table(t("analytics.byAgent"), [[t("analytics.agent"), (a) => a.name],
          [t("analytics.assigned"), number("assigned"), true], [t("analytics.resolved"), number("resolved"), true],
          [t("analytics.replies"), number("replies"), true],
          [t("analytics.firstResponseShort"), (a) => duration(a.first_response_median_seconds), true]], data.by_agent),
        table(t("analytics.byTag"), [[t("analytics.tag"), (x) => x.tag],
          [t("analytics.conversations"), number("conversations"), true]], data.by_tag)));
  }

  load(route.days);
  return { update: (next) => load(next.days) };
}
