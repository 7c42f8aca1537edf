// Sign in. An expired session lands here and returns to where the agent was.
import { api } from "../lib/api.js";
import { h, clear, field, showFormError } from "../lib/dom.js";
import { icon } from "../components/icons.js";
import { t, tParts } from "../lib/i18n.js";

export function brand() {
  return h("div.brand", icon("logo"), "Desk");
}

export function renderSignIn(root, { message, onDone }) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", {
    type: "password", name: "password", autocomplete: "current-password", required: true,
  });
  const submit = h("button.btn.primary", { type: "submit" }, t("signin.submit"));
  const form = h("form", { novalidate: true, "aria-label": t("signin.title") },
    field(t("signin.email"), email), field(t("signin.password"), password),
    h("div.error-box", { role: "alert" }),
    h("div.actions", submit));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showFormError(form, null);
    if (!email.value.trim() || !password.value) {
      showFormError(form, { message: t("signin.enterBoth") });
      return;
    }
    submit.disabled = true;
    try {
      await api.post("/api/auth/login", { email: email.value.trim(), password: password.value },
        { quiet401: true });
      onDone();
    } catch (err) {
      const wait = err.status === 429 && err.retryAfter
        ? ` ${t("signin.tryAgainIn", { count: Math.ceil(Number(err.retryAfter) / 60) })}` : "";
      showFormError(form, { message: err.message + wait });
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  clear(root, h("div.card-screen", h("div.card",
    brand(),
    h("h1", t("signin.title")),
    h("p.lead", message || t("signin.welcome")),
    form,
    h("p.meta", { style: { marginTop: "16px" } },
      tParts("signin.forgot", { command: h("code.mono", "desk create-admin") })))));
  email.focus();
}
