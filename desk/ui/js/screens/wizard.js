// First run: the workspace and its first admin, then a channel, then teammates.
import { api } from "../lib/api.js";
import { h, clear, field, showFormError } from "../lib/dom.js";
import { CHANNEL_LABELS, ROLES } from "../components/icons.js";
import { brand } from "./signin.js";
import { toast } from "../components/toast.js";
import { t } from "../lib/i18n.js";

function steps(at) {
  return h("div.steps", h("span.sr-only", t("wizard.step", { at, total: 3 })),
    [1, 2, 3].map((n) => h("span.step", { class: n <= at ? "done" : null, "aria-hidden": "true" })));
}

function card(root, at, title, lead, body) {
  clear(root, h("div.card-screen", h("div.card", brand(), steps(at), h("h1", title),
    h("p.lead", lead), body)));
  root.querySelector("input, select")?.focus();
}

export function renderWizard(root, { onDone }) {
  const inputs = {
    workspace_name: h("input", { type: "text", name: "workspace_name", required: true, value: "" }),
    name: h("input", { type: "text", name: "name", autocomplete: "name", required: true }),
    email: h("input", { type: "email", name: "email", autocomplete: "username", required: true }),
    password: h("input", { type: "password", name: "password", autocomplete: "new-password" }),
    setup_token: h("input", { type: "text", name: "setup_token", autocomplete: "off" }),
  };
  const tokenField = field(t("wizard.setupToken"), inputs.setup_token, t("wizard.setupTokenHint"));
  tokenField.hidden = true;
  const submit = h("button.btn.primary", { type: "submit" }, t("wizard.createWorkspace"));
  const form = h("form", { novalidate: true, "aria-label": t("wizard.createWorkspaceForm") },
    field(t("wizard.workspaceName"), inputs.workspace_name, t("wizard.workspaceNameHint")),
    field(t("wizard.yourName"), inputs.name),
    field(t("wizard.yourEmail"), inputs.email),
    field(t("common.password"), inputs.password, t("wizard.passwordHint")),
    tokenField,
    h("div.error-box", { role: "alert" }),
    h("div.actions", submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const body = {};
    for (const [key, input] of Object.entries(inputs)) body[key] = input.value.trim();
    body.password = inputs.password.value;
    if (!body.setup_token) delete body.setup_token;
    submit.disabled = true;
    try {
      await api.post("/api/setup", body, { quiet401: true });
      const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (timezone) {
        await api.post("/api/settings/workspace", { timezone }).catch((err) => {
          toast(t("wizard.timezoneNotSaved", { error: err.message }), { error: true });
        });
      }
      channelStep(root, onDone);
    } catch (err) {
      if (err.status === 403) tokenField.hidden = false;
      showFormError(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  card(root, 1, t("wizard.setUp"), t("wizard.setUpLead"), form);
}

function channelStep(root, onDone) {
  const name = h("input", { type: "text", name: "name", value: CHANNEL_LABELS.phone });
  const type = h("select", { name: "type" },
    ["phone", "api", "web_chat"].map((kind) => h("option", { value: kind }, CHANNEL_LABELS[kind])));
  type.addEventListener("change", () => {
    if (Object.values(CHANNEL_LABELS).includes(name.value) || !name.value) {
      name.value = CHANNEL_LABELS[type.value];
    }
  });
  const form = h("form", { novalidate: true, "aria-label": t("wizard.addChannel") },
    field(t("wizard.channelType"), type, t("wizard.channelTypeHint")),
    field(t("wizard.channelName"), name, t("wizard.channelNameHint")),
    h("div.error-box", { role: "alert" }),
    h("div.actions",
      h("button.btn.ghost", { type: "button", onclick: () => inviteStep(root, onDone) }, t("wizard.skip")),
      h("button.btn.primary", { type: "submit" }, t("wizard.addChannelButton"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const config = type.value === "web_chat" ? { allowed_origins: [] } : {};
    try {
      await api.post("/api/channels", { name: name.value.trim(), type: type.value, config, active: true });
      inviteStep(root, onDone);
    } catch (err) {
      showFormError(form, err);
    }
  });
  card(root, 2, t("wizard.addChannel"), t("wizard.addChannelLead"), form);
}

function inviteStep(root, onDone) {
  const invited = h("ul.invited");
  const inputs = {
    name: h("input", { type: "text", name: "name" }),
    email: h("input", { type: "email", name: "email" }),
    password: h("input", { type: "text", name: "password", autocomplete: "off" }),
    role: h("select", { name: "role" }, h("option", { value: "agent" }, t("role.agent")),
      h("option", { value: "admin" }, t("role.admin"))),
  };
  const form = h("form", { novalidate: true, "aria-label": t("wizard.inviteForm") },
    invited,
    field(t("common.name"), inputs.name), field(t("common.email"), inputs.email),
    field(t("wizard.tempPassword"), inputs.password, t("wizard.tempPasswordHint")),
    field(t("common.role"), inputs.role),
    h("div.error-box", { role: "alert" }),
    h("div.actions",
      h("button.btn", { type: "submit" }, t("wizard.addTeammate")),
      h("button.btn.primary", { type: "button", onclick: finish }, t("wizard.goToInbox"))));
  function finish() {
    location.hash = "#/inbox";
    onDone();
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    const body = {};
    for (const [key, input] of Object.entries(inputs)) body[key] = input.value.trim();
    try {
      const agent = await api.post("/api/agents", body);
      invited.append(h("li", t("wizard.added", { name: agent.name, email: agent.email, role: ROLES[agent.role] || agent.role })));
      for (const key of ["name", "email", "password"]) inputs[key].value = "";
      inputs.name.focus();
    } catch (err) {
      showFormError(form, err);
    }
  });
  card(root, 3, t("wizard.invite"), t("wizard.inviteLead"), form);
}
