// Settings → Appearance: the agent's own theme, System / Light / Dark. A choice shows at once
// and is saved with the agent (POST /api/settings/theme), so it follows them to any browser.
import { api } from "../../lib/api.js";
import { h } from "../../lib/dom.js";
import { store } from "../../lib/store.js";
import { applyTheme, THEMES } from "../../lib/theme.js";
import { toast } from "../../components/toast.js";
import { t } from "../../lib/i18n.js";

const WORDS = {
  system: ["theme.system", "theme.systemHint"],
  light: ["theme.light", "theme.lightHint"],
  dark: ["theme.dark", "theme.darkHint"],
};

export function appearancePage(body) {
  const current = store.me.theme || "system";
  const error = h("div.error-box", { role: "alert" });
  const options = THEMES.map((theme) => {
    const name = h("strong", { id: `theme-${theme}` }, t(WORDS[theme][0]));
    const hint = h("span.meta", { id: `theme-${theme}-hint` }, t(WORDS[theme][1]));
    return h("label.theme-choice",
      h("input", { type: "radio", name: "theme", value: theme, checked: theme === current,
        "aria-labelledby": name.id, "aria-describedby": hint.id }),
      h("span.theme-swatch", { class: `swatch-${theme}`, "aria-hidden": "true" }),
      h("span.theme-words", name, hint));
  });
  const group = h("fieldset.theme-choices", h("legend", t("theme.label")), options);
  group.addEventListener("change", async (event) => {
    const chosen = event.target.value;
    const before = store.me.theme || null;
    error.textContent = "";
    applyTheme(chosen); // at once; the save follows
    try {
      const { agent } = await api.post("/api/settings/theme", { theme: chosen === "system" ? null : chosen });
      store.set("me", agent);
      toast(t("theme.saved"));
    } catch (err) {
      applyTheme(before);
      group.querySelector(`input[value="${before || "system"}"]`).checked = true;
      error.textContent = err.message;
    }
  });
  body.append(h("form.settings-form", { novalidate: true, "aria-label": t("theme.form"), onsubmit: (e) => e.preventDefault() },
    h("h2", t("theme.form")), h("p.muted", t("theme.lead")), group, error));
}
