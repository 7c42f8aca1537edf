// The composer: Reply / Note, canned replies (`/` or the Canned button: canned-picker.js),
// Suggest, Send (Ctrl/⌘+Enter) and Send and resolve. Typing a reply says `typing` (presence);
// a reply is guarded by `after_message_id` (what I had when I opened the conversation): a
// teammate's reply written since stops it with a 409, and collision.js asks what to do.
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { shortDate, contactName } from "../../lib/format.js";
import { announce } from "../../components/announce.js";
import { drafts } from "../../lib/drafts.js";
import { createUploads } from "./uploads.js";
import { scheduledTime, sendLaterMenu } from "./schedule.js";
import { createMentionPicker } from "./mention-picker.js";
import { createCannedPicker } from "./canned-picker.js";
import { askAboutCollision } from "./collision.js";
import { presence } from "../../lib/presence.js";
import { store } from "../../lib/store.js";
import { t, tParts } from "../../lib/i18n.js";

/**
 * `draft`: {reply, note} as drafts.load(id) gave it; every change is kept (lib/drafts.js).
 * `thread`: the messages shown (messages.js), loaded: the reply guard starts from its newest.
 */
export function createComposer({ conversation, draft: initial, thread, onSent }) {
  const id = conversation.id;
  let since = thread ? thread.newestId() : null; // the reply guard: what I have seen
  const draft = { reply: initial?.reply || "", note: initial?.note || "" };
  let mode = initial && !initial.reply && initial.note ? "note" : "reply";
  const textarea = h("textarea", { name: "body", rows: "3", "aria-label": t("composer.reply") });
  const replyTab = h("button.tab", { type: "button", role: "tab", onclick: () => setMode("reply") }, t("composer.reply"));
  const noteTab = h("button.tab", { type: "button", role: "tab", onclick: () => setMode("note") }, icon("lock"), t("composer.note"));
  const source = h("div.suggest-source", { role: "status" });
  const error = h("div.error-text.composer-error", { role: "alert" });
  const suggestBtn = h("button.btn.small.ghost", { type: "button", title: t("composer.suggestTitle"), onclick: suggest },
    icon("sparkle"), t("composer.suggest"));
  const sendBtn = h("button.btn.primary", { type: "button", onclick: () => send(false), title: t("composer.sendTitle") },
    icon("send"), t("composer.send"));
  const sendResolveBtn = h("button.btn", { type: "button", onclick: () => send(true) }, t("composer.sendResolve"));
  const laterBtn = h("button.btn", { type: "button", "aria-haspopup": "menu", title: t("scheduled.sendLater"),
    onclick: () => sendLaterMenu(laterBtn, (sendAt) => send(false, sendAt)) }, icon("pending"), t("scheduled.sendLater"));
  const uploads = createUploads();
  const canned = createCannedPicker({
    textarea,
    conversationId: id,
    onInsert: (item) => {
      keep();
      error.textContent = "";
      grow();
      announce(t("canned.inserted", { shortcut: item.shortcut }));
    },
    onError: (text) => { error.textContent = text; },
  });
  const mentions = createMentionPicker({
    textarea,
    enabled: () => mode === "note",
    onInsert: () => { draft[mode] = textarea.value; grow(); },
  });
  const cannedBtn = h("button.btn.small.ghost", { type: "button", title: t("canned.buttonTitle"),
    onclick: () => canned.open() }, icon("canned"), t("canned.button"));
  const el = h("form.composer", { "aria-label": t("composer.label"), onsubmit: (e) => { e.preventDefault(); send(false); } },
    h("div.composer-tabs", h("div.tab-list", { role: "tablist", "aria-label": t("composer.type") }, replyTab, noteTab),
      h("div.spacer"), cannedBtn, uploads.button, suggestBtn),
    h("div.composer-field", canned.el, mentions.el, textarea), uploads.input, uploads.list, source, error,
    h("div.composer-actions", h("span.meta.hint", tParts("composer.hint", { keys: h("span", h("kbd", "Ctrl"), " + ", h("kbd", "Enter")) })),
      h("div.spacer"), laterBtn, sendResolveBtn, sendBtn));

  for (const tab of [replyTab, noteTab]) {
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      event.preventDefault();
      setMode(mode === "reply" ? "note" : "reply", false);
      (mode === "reply" ? replyTab : noteTab).focus();
    });
  }

  function setMode(next, focus = true) {
    canned.close();
    mode = next;
    textarea.value = draft[mode];
    el.classList.toggle("note-mode", mode === "note");
    for (const [tab, own] of [[replyTab, "reply"], [noteTab, "note"]]) {
      tab.setAttribute("aria-selected", String(mode === own));
      tab.tabIndex = mode === own ? 0 : -1;
    }
    textarea.setAttribute("aria-label", mode === "note" ? t("messages.privateNote") : t("composer.reply"));
    textarea.placeholder = mode === "note"
      ? t("composer.notePlaceholder")
      : t("composer.replyPlaceholder", { name: contactName(conversation.contact) });
    sendBtn.lastChild.textContent = mode === "note" ? t("composer.addNote") : t("composer.send");
    sendResolveBtn.hidden = mode === "note";
    laterBtn.hidden = mode === "note";
    suggestBtn.hidden = mode === "note";
    clear(source);
    error.textContent = "";
    grow();
    if (focus) textarea.focus();
  }

  function grow() {
    textarea.style.height = "auto";
    const max = Math.max(96, (el.parentElement?.clientHeight || 600) * 0.4);
    textarea.style.height = `${Math.min(max, Math.max(64, textarea.scrollHeight + 2))}px`;
  }

  function keep() {
    draft[mode] = textarea.value;
    drafts.change(id, draft);
  }

  textarea.addEventListener("input", () => {
    keep();
    grow();
    if (mode === "reply" && textarea.value.trim()) presence.typing();
  });
  textarea.addEventListener("keydown", (event) => {
    if (canned.onKey(event) || mentions.onKey(event)) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send(false);
    }
  });

  async function suggest() {
    suggestBtn.disabled = true;
    error.textContent = "";
    clear(source, t("composer.drafting"));
    try {
      const result = await api.get("/api/ai-suggest", { conversation_id: id });
      const before = textarea.value;
      textarea.value = result.suggestion;
      keep();
      grow();
      // What the agent had typed is one click away.
      const undo = before.trim() && h("button.link-btn", {
        type: "button",
        onclick: () => {
          textarea.value = before;
          keep();
          clear(source);
          grow();
          textarea.focus();
        },
      }, t("composer.undo"));
      clear(source, icon("sparkle"), sourceLine(result), result.notice ? ` (${result.notice})` : "",
        undo ? [" · ", undo] : null);
      textarea.focus();
    } catch (err) {
      clear(source);
      error.textContent = t("composer.suggestFailed", { error: err.message });
    } finally {
      suggestBtn.disabled = false;
    }
  }

  function sourceLine(result) {
    if (result.source === "llm") return t("composer.fromLlm");
    if (result.source === "template") return t("composer.fromTemplate");
    const ref = result.references?.[0];
    if (!ref) return t("composer.fromPast");
    return describeReference(ref);
  }

  let sending = false;

  async function send(resolve, sendAt = null) {
    if (sending) return; // Ctrl+Enter twice sends once
    const body = textarea.value.trim();
    const attachmentIds = uploads.ids();
    if (uploads.busy()) {
      error.textContent = t("composer.waitUploads");
      return;
    }
    if (uploads.failed()) {
      error.textContent = t("composer.removeFailed");
      return;
    }
    if (!body && !attachmentIds.length) {
      error.textContent = mode === "note" ? t("composer.noteFirst") : t("composer.replyFirst");
      textarea.focus();
      return;
    }
    sending = true;
    canned.close();
    for (const button of [sendBtn, sendResolveBtn, laterBtn]) button.disabled = true;
    error.textContent = "";
    const type = mode === "note" ? "note" : "outgoing";
    const side = mode;
    const typed = textarea.value;
    const payload = { body, type, attachment_ids: attachmentIds };
    if (sendAt) payload.send_at = sendAt;
    const after = type === "outgoing" && thread ? thread.guardAfter(since, store.me?.id) : null;
    if (after !== null) payload.after_message_id = after;
    let collided = null;
    try {
      await drafts.flush(id); // a save still on its way must not bring the sent text back
      const message = await api.post(`/api/conversations/${id}/messages`, payload);
      if (type === "outgoing") {
        since = Math.max(since ?? 0, message.id);
        presence.stopTyping();
      }
      uploads.reset();
      draft[side] = "";
      drafts.sent(id, side); // the server cleared it with the send
      if (mode === side && textarea.value === typed) textarea.value = "";
      else if (mode === side) keep(); // typed on while it went out: that is the new draft
      clear(source);
      grow();
      announce(type === "note" ? t("composer.noteAdded")
        : sendAt ? t("scheduled.announce", { time: scheduledTime(message.send_at) }) : t("composer.replySent"));
      onSent(message, resolve && type === "outgoing");
    } catch (err) {
      // The text stays in the box: nothing typed is lost on a failed send.
      if (err.status === 409 && err.code === "reply_collision" && err.data?.newer?.length) collided = err.data.newer;
      else error.textContent = t("composer.notSent", { error: err.message });
    } finally {
      sending = false;
      for (const button of [sendBtn, sendResolveBtn, laterBtn]) button.disabled = false;
    }
    if (collided) await collision(collided, resolve, sendAt);
  }

  /** A teammate replied since I opened it: show theirs, then send mine anyway, or not. */
  async function collision(newer, resolve, sendAt) {
    for (const message of newer) thread?.live(message); // the thread shows them too
    since = Math.max(since ?? 0, ...newer.map((m) => m.id)); // seen now: they stop mine no more
    const choice = await askAboutCollision(newer);
    if (choice === "send") return send(resolve, sendAt);
    if (choice === "discard") {
      draft.reply = "";
      if (mode === "reply") textarea.value = "";
      drafts.change(id, draft);
      uploads.reset();
      presence.stopTyping();
      clear(source);
      grow();
      await drafts.flush(id); // gone for good: not brought back as a draft
      announce(t("collision.discarded"));
    }
    textarea.focus();
  }

  uploads.dropTarget(el);
  setMode(mode, false);
  return {
    el,
    reply: () => setMode("reply"),
    note: () => setMode("note"),
    focus: () => textarea.focus(),
  };
}

/** "From your reply to Grace on 12 Nov". */
function describeReference(ref) {
  // The API names the customer and the date of the reply it drew from.
  const date = shortDate(ref.created_at);
  if (!ref.contact_name) return t("composer.fromReplyAnyone", { date });
  return t("composer.fromReply", { name: ref.contact_name.split(/\s+/)[0], date });
}
