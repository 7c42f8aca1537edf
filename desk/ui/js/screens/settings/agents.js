// Settings → Agents (admin): add teammates, change roles, remove.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon, ROLES } from "../../components/icons.js";
import { t } from "../../lib/i18n.js";
import { avatar, shortDate } from "../../lib/format.js";
import { store } from "../../lib/store.js";
import { confirmDanger } from "../../components/dialog.js";
import { toast } from "../../components/toast.js";

export function agentsPage(body) {
  const list = h("div.cards");
  const inputs = {
    name: h("input", { type: "text", name: "name" }),
    email: h("input", { type: "email", name: "email" }),
    password: h("input", { type: "text", name: "password", autocomplete: "off" }),
    role: h("select", { name: "role" }, h("option", { value: "agent" }, ROLES.agent), h("option", { value: "admin" }, ROLES.admin)),
  };
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": t("agents.form") },
    h("h3", t("agents.addTeammate")),
    h("div.grid-2", field(t("common.name"), inputs.name), field(t("common.email"), inputs.email)),
    h("div.grid-2", field(t("wizard.tempPassword"), inputs.password, t("wizard.passwordHint")),
      field(t("common.role"), inputs.role)),
    h("div.error-box", { role: "alert" }), h("div.row", h("button.btn.primary", { type: "submit" }, icon("plus"), t("agents.add"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const payload = {};
    for (const [key, input] of Object.entries(inputs)) payload[key] = key === "password" ? input.value : input.value.trim();
    try {
      const agent = await api.post("/api/agents", payload);
      toast(t("agents.canSignIn", { name: agent.name }));
      form.reset();
      await Promise.all([load(), store.loadWorkspace()]);
    } catch (err) {
      showFormError(form, err);
    }
  });
  body.append(h("div.settings-form", h("h2", t("settings.agents")), h("p.muted", t("agents.lead"))), list, form);

  async function load() {
    try {
      const page = await api.get("/api/agents", { per_page: 100 });
      clear(list, page.items.map(card));
    } catch (err) {
      clear(list, h("div.error-box", err.message));
    }
  }

  function card(agent) {
    const error = h("div.error-text", { role: "alert" });
    const role = h("select.small-select", { "aria-label": t("agents.roleOf", { name: agent.name }) },
      ["agent", "admin"].map((r) => h("option", { value: r, selected: r === agent.role }, ROLES[r])));
    role.addEventListener("change", async () => {
      error.textContent = "";
      try {
        await api.post(`/api/agents/${agent.id}/role`, { role: role.value });
        toast(t(role.value === "admin" ? "agents.nowAdmin" : "agents.nowAgent", { name: agent.name }));
        store.loadWorkspace();
      } catch (err) {
        role.value = agent.role;
        error.textContent = err.message;
      }
    });
    const me = agent.id === store.me.id;
    return h("article.item-card", { "aria-label": agent.name },
      h("div.row", avatar(agent.name), h("div", h("h3", agent.name, me ? t("agents.you") : ""), h("div.meta", agent.email)),
        h("div.spacer"), h("span.meta", agent.last_seen_at ? t("agents.seen", { date: shortDate(agent.last_seen_at) }) : t("agents.never")),
        role, me ? null : h("button.btn.small.danger", { type: "button", onclick: () => remove(agent) }, icon("trash"), t("agents.remove"))),
      error);
  }

  async function remove(agent) {
    const done = await confirmDanger({
      title: t("agents.removeTitle", { name: agent.name }),
      message: t("agents.removeMessage", { name: agent.name }),
      confirm: t("agents.removeConfirm"),
      run: () => api.del(`/api/agents/${agent.id}`),
    });
    if (done) {
      toast(t("agents.removed", { name: agent.name }));
      await Promise.all([load(), store.loadWorkspace()]);
    }
  }

  load();
}
