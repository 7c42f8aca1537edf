// Settings → Agents (admin): add teammates, change roles, remove.
import { api } from "../../lib/api.js";
import { h, clear, field, showFormError } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
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
    role: h("select", { name: "role" }, h("option", { value: "agent" }, "Agent"), h("option", { value: "admin" }, "Admin")),
  };
  const form = h("form.settings-form.card-form", { novalidate: true, "aria-label": "Add an agent" },
    h("h3", "Add a teammate"),
    h("div.grid-2", field("Name", inputs.name), field("Email", inputs.email)),
    h("div.grid-2", field("Temporary password", inputs.password, "At least 8 characters."), field("Role", inputs.role)),
    h("div.error-box", { role: "alert" }), h("div.row", h("button.btn.primary", { type: "submit" }, icon("plus"), "Add agent")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const payload = {};
    for (const [key, input] of Object.entries(inputs)) payload[key] = key === "password" ? input.value : input.value.trim();
    try {
      const agent = await api.post("/api/agents", payload);
      toast(`${agent.name} can now sign in`);
      form.reset();
      await Promise.all([load(), store.loadWorkspace()]);
    } catch (err) {
      showFormError(form, err);
    }
  });
  body.append(h("div.settings-form", h("h2", "Agents"), h("p.muted", "Admins manage channels, automations and agents; agents work the inbox.")), list, form);

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
    const role = h("select.small-select", { "aria-label": `Role of ${agent.name}` },
      ["agent", "admin"].map((r) => h("option", { value: r, selected: r === agent.role }, r === "admin" ? "Admin" : "Agent")));
    role.addEventListener("change", async () => {
      error.textContent = "";
      try {
        await api.post(`/api/agents/${agent.id}/role`, { role: role.value });
        toast(`${agent.name} is now ${role.value === "admin" ? "an admin" : "an agent"}`);
        store.loadWorkspace();
      } catch (err) {
        role.value = agent.role;
        error.textContent = err.message;
      }
    });
    const me = agent.id === store.me.id;
    return h("article.item-card", { "aria-label": agent.name },
      h("div.row", avatar(agent.name), h("div", h("h3", agent.name, me ? " (you)" : ""), h("div.meta", agent.email)),
        h("div.spacer"), h("span.meta", agent.last_seen_at ? `Seen ${shortDate(agent.last_seen_at)}` : "Never signed in"),
        role, me ? null : h("button.btn.small.danger", { type: "button", onclick: () => remove(agent) }, icon("trash"), "Remove")),
      error);
  }

  async function remove(agent) {
    const done = await confirmDanger({
      title: `Remove ${agent.name}?`,
      message: `${agent.name} will be signed out and can no longer sign in. Their conversations become unassigned; their messages keep their name.`,
      confirm: "Remove agent",
      run: () => api.del(`/api/agents/${agent.id}`),
    });
    if (done) {
      toast(`${agent.name} was removed`);
      await Promise.all([load(), store.loadWorkspace()]);
    }
  }

  load();
}
