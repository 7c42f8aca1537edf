// Editing a contact's custom attributes: rows of key and value (text, number or true/false).
import { h } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { ApiError } from "../../lib/api.js";
import { t } from "../../lib/i18n.js";

export function attributesEditor(initial) {
  const rows = h("div.attr-rows");
  const el = h("div.attributes", rows,
    h("button.btn.small.ghost", { type: "button", onclick: () => add("", "") }, icon("plus"), t("attributes.add")));

  function add(key, value) {
    const k = h("input", { type: "text", "aria-label": t("attributes.name"), value: key, placeholder: "plan" });
    const v = h("input", { type: "text", "aria-label": t("attributes.value"), value: String(value), placeholder: "pro" });
    const row = h("div.attr-row", k, v, h("button.btn.small.icon-only.ghost", {
      type: "button", "aria-label": t("attributes.remove", { name: key }), onclick: () => row.remove(),
    }, icon("x")));
    rows.append(row);
    if (!key) k.focus();
  }

  for (const [key, value] of Object.entries(initial)) add(key, value);

  return {
    el,
    /** The PATCH value: changed keys, and removed keys set to null (the API merges). */
    value(before) {
      const out = {};
      for (const row of rows.children) {
        const [k, v] = row.querySelectorAll("input");
        const key = k.value.trim();
        if (!key) continue;
        if (key in out) throw new ApiError(400, t("attributes.twice", { name: key }), "custom_attributes");
        const text = v.value.trim();
        out[key] = text === "true" ? true : text === "false" ? false
          : text !== "" && !Number.isNaN(Number(text)) ? Number(text) : text;
      }
      for (const key of Object.keys(before)) if (!(key in out)) out[key] = null;
      return out;
    },
  };
}
