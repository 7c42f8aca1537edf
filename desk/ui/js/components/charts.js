// SVG charts drawn here: grouped bars per day (new vs resolved) and a 7 × 24 heatmap.
import { h } from "../lib/dom.js";
import { formatDay, formatNumber, t, weekdays } from "../lib/i18n.js";

const NS = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** A round step for about four gridlines, and the axis top that is a multiple of it. */
function niceScale(value) {
  const rough = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  return { step, max: Math.max(step, Math.ceil(value / step) * step) };
}

/** A floating tooltip shared by a chart; `show(event, text)` / `hide()`. */
function tooltip(host) {
  const tip = h("div.chart-tip", { role: "tooltip", hidden: true });
  host.append(tip);
  return {
    show(event, text) {
      tip.textContent = text;
      tip.hidden = false;
      const box = host.getBoundingClientRect();
      const x = Math.min(event.clientX - box.left + 12, box.width - tip.offsetWidth - 4);
      tip.style.left = `${Math.max(4, x)}px`;
      tip.style.top = `${event.clientY - box.top - tip.offsetHeight - 8}px`;
    },
    hide() {
      tip.hidden = true;
    },
  };
}

/** Grouped bars per day, drawn at the container's real width (so text stays 11 px). */
export function barChart(days, { height = 240 } = {}) {
  const wrap = h("div.chart-wrap");
  const legend = h("div.legend", h("span.key.new", t("chart.new")), h("span.key.resolved", t("chart.resolved")));
  let drawn = 0;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(wrap.clientWidth);
    if (!wrap.isConnected) return observer.disconnect();
    if (width > 0 && Math.abs(width - drawn) > 4) {
      drawn = width;
      wrap.querySelector("svg")?.remove();
      wrap.prepend(drawBars(days, width, height, tip));
    }
  });
  const tip = tooltip(wrap);
  observer.observe(wrap);
  return h("div", legend, wrap);
}

function drawBars(days, width, height, tip) {
  const pad = { left: 36, right: 8, top: 12, bottom: 28 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const { step, max } = niceScale(Math.max(1, ...days.map((d) => Math.max(d.new, d.resolved))));
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart", role: "img",
    "aria-label": t("chart.perDay", { days: days.length }) });
  for (let value = 0; value <= max; value += step) {
    const y = pad.top + innerH - (value / max) * innerH;
    svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: "grid" }),
      s("text", { x: pad.left - 6, y: y + 4, class: "axis", "text-anchor": "end" }, formatNumber(Math.round(value))));
  }
  const slot = innerW / Math.max(1, days.length);
  const bar = Math.max(1, Math.min(14, (slot - 2) / 2));
  const labelEvery = Math.ceil(days.length / Math.max(2, Math.floor(innerW / 70)));
  days.forEach((day, i) => {
    const x = pad.left + slot * i + slot / 2;
    const hNew = (day.new / max) * innerH;
    const hRes = (day.resolved / max) * innerH;
    const label = formatDay(day.date);
    const text = t("chart.dayTip", { day: label, new: day.new, resolved: day.resolved });
    const group = s("g", { class: "bar-group", tabindex: "-1" },
      s("title", {}, text),
      s("rect", { x: x - slot / 2, y: pad.top, width: slot, height: innerH, class: "hover-band" }),
      s("rect", { x: x - bar, y: pad.top + innerH - hNew, width: bar, height: hNew, class: "bar-new", rx: 1.5 }),
      s("rect", { x, y: pad.top + innerH - hRes, width: bar, height: hRes, class: "bar-resolved", rx: 1.5 }));
    group.addEventListener("mousemove", (event) => tip.show(event, text));
    group.addEventListener("mouseleave", () => tip.hide());
    svg.append(group);
    if ((days.length - 1 - i) % labelEvery === 0) {
      svg.append(s("text", { x, y: height - 8, class: "axis", "text-anchor": "middle" }, label));
    }
  });
  svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: pad.top + innerH, y2: pad.top + innerH, class: "baseline" }));
  return svg;
}

export function heatmap(hours) {
  const cell = 26;
  const left = 40;
  const top = 18;
  const width = left + cell * 24;
  const height = top + cell * 7;
  const max = Math.max(1, ...hours.flat());
  const WEEKDAYS = weekdays();
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, class: "chart heatmap", role: "img",
    "aria-label": t("chart.busiest") });
  for (let hour = 0; hour < 24; hour += 3) {
    svg.append(s("text", { x: left + hour * cell + cell / 2, y: 12, class: "axis", "text-anchor": "middle" },
      `${String(hour).padStart(2, "0")}:00`));
  }
  const wrap = h("div.chart-wrap");
  const tip = tooltip(wrap);
  hours.forEach((row, day) => {
    svg.append(s("text", { x: left - 8, y: top + day * cell + cell / 2 + 4, class: "axis", "text-anchor": "end" }, WEEKDAYS[day]));
    row.forEach((count, hour) => {
      const text = `${WEEKDAYS[day]} ${String(hour).padStart(2, "0")}:00–${String(hour + 1).padStart(2, "0")}:00: ${count}`;
      const rect = s("rect", {
        x: left + hour * cell + 1, y: top + day * cell + 1, width: cell - 2, height: cell - 2, rx: 3,
        class: count ? "heat" : "heat empty", "fill-opacity": count ? (0.15 + 0.85 * (count / max)).toFixed(2) : 1,
      }, s("title", {}, text));
      rect.addEventListener("mousemove", (event) => tip.show(event, text));
      rect.addEventListener("mouseleave", () => tip.hide());
      svg.append(rect);
    });
  });
  wrap.prepend(svg);
  return wrap;
}
