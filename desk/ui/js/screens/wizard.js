// First run: the workspace and its first admin, then a channel, then teammates.
import { api } from "../lib/api.js";
import { h, clear, field, showFormError } from "../lib/dom.js";
import { CHANNEL_LABELS } from "../components/icons.js";
import { brand } from "./signin.js";
import { toast } from "../components/toast.js";

function steps(at) {
  return h("div.steps", h("span.sr-only", `Step ${at} of 3`),
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
  const tokenField = field("Setup token", inputs.setup_token,
    "Only needed when this browser is not on the computer running Desk: it was printed when Desk started.");
  tokenField.hidden = true;
  const submit = h("button.btn.primary", { type: "submit" }, "Create workspace");
  const form = h("form", { novalidate: true, "aria-label": "Create your workspace" },
    field("Workspace name", inputs.workspace_name, "Your team or company, e.g. “Acme Support”."),
    field("Your name", inputs.name),
    field("Your email", inputs.email),
    field("Password", inputs.password, "At least 8 characters."),
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
          toast(`Your timezone was not saved (${err.message}). Set it in Settings → Workspace.`, { error: true });
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
  card(root, 1, "Set up Desk", "Create your team's workspace and your admin account.", form);
}

function channelStep(root, onDone) {
  const name = h("input", { type: "text", name: "name", value: "Phone" });
  const type = h("select", { name: "type" },
    ["phone", "api", "web_chat"].map((t) => h("option", { value: t }, CHANNEL_LABELS[t])));
  type.addEventListener("change", () => {
    if (Object.values(CHANNEL_LABELS).includes(name.value) || !name.value) {
      name.value = CHANNEL_LABELS[type.value];
    }
  });
  const form = h("form", { novalidate: true, "aria-label": "Add a channel" },
    field("Channel type", type,
      "Phone: log calls by hand. API: other systems post messages in. Web chat: a widget for your site. "
      + "Email is set up later in Settings → Channels."),
    field("Channel name", name, "API and web chat channels show what to wire up in Settings → Channels."),
    h("div.error-box", { role: "alert" }),
    h("div.actions",
      h("button.btn.ghost", { type: "button", onclick: () => inviteStep(root, onDone) }, "Skip"),
      h("button.btn.primary", { type: "submit" }, "Add channel")));
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
  card(root, 2, "Add a channel", "Conversations arrive through channels. Add one now or later.", form);
}

function inviteStep(root, onDone) {
  const invited = h("ul.invited");
  const inputs = {
    name: h("input", { type: "text", name: "name" }),
    email: h("input", { type: "email", name: "email" }),
    password: h("input", { type: "text", name: "password", autocomplete: "off" }),
    role: h("select", { name: "role" }, h("option", { value: "agent" }, "Agent"),
      h("option", { value: "admin" }, "Admin")),
  };
  const form = h("form", { novalidate: true, "aria-label": "Invite teammates" },
    invited,
    field("Name", inputs.name), field("Email", inputs.email),
    field("Temporary password", inputs.password, "Share it with them; they can change it in Settings."),
    field("Role", inputs.role),
    h("div.error-box", { role: "alert" }),
    h("div.actions",
      h("button.btn", { type: "submit" }, "Add teammate"),
      h("button.btn.primary", { type: "button", onclick: finish }, "Go to the inbox")));
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
      invited.append(h("li", `${agent.name} (${agent.email}) added as ${agent.role}`));
      for (const key of ["name", "email", "password"]) inputs[key].value = "";
      inputs.name.focus();
    } catch (err) {
      showFormError(form, err);
    }
  });
  card(root, 3, "Invite your team", "Add the people who answer with you. You can do this later.", form);
}
