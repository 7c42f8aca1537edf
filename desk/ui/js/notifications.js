// Notifications: the rail's bell with my unread count, its panel (All / Mentions, Mark all
// read, my settings), and for each `notification.created` the browser's notification (where
// the agent allowed it and said so in the settings) and an optional tone.
import { api } from "./lib/api.js";
import { h, clear } from "./lib/dom.js";
import { store } from "./lib/store.js";
import { go, inboxHash } from "./lib/router.js";
import { icon } from "./components/icons.js";
import { relativeTime } from "./lib/format.js";
import { t } from "./lib/i18n.js";
import { toast } from "./components/toast.js";

const SETTINGS = {
  new_conversations: "notifications.setting.new_conversations",
  assigned_replies: "notifications.setting.assigned_replies",
  mentions: "notifications.setting.mentions",
  desktop: "notifications.setting.desktop",
  sound: "notifications.setting.sound",
};
const KINDS = {
  new_conversation: "notifications.kind.new_conversation",
  assigned_reply: "notifications.kind.assigned_reply",
  mention: "notifications.kind.mention",
};

export function createBell() {
  let unread = 0;
  let settings = null;
  let tab = "all";
  let panel = null;
  const count = h("span.bell-count", { hidden: true });
  const button = h("button.rail-link.bell", {
    type: "button", "aria-haspopup": "dialog", "aria-expanded": "false",
    title: t("notifications.title"), onclick: () => (panel ? closePanel() : openPanel()),
  }, icon("bell"), count);

  function setUnread(n) {
    unread = Math.max(0, n);
    count.hidden = unread === 0;
    count.textContent = unread > 99 ? "99+" : String(unread);
    button.setAttribute("aria-label", unread ? t("notifications.labelUnread", { count: unread }) : t("notifications.title"));
    store.emit("notifications-unread", unread);
  }

  async function refresh() {
    try {
      const page = await api.get("/api/notifications", { per_page: 1 });
      setUnread(page.unread);
      settings = await api.get("/api/notifications/settings");
    } catch {
      /* the bell waits for the next event */
    }
  }

  function describe(item) {
    return t(KINDS[item.kind] || KINDS.new_conversation, { actor: item.actor || "?" });
  }

  function openItem(item) {
    closePanel();
    go(inboxHash("open", item.conversation_id));
  }

  async function openPanel() {
    const list = h("div.notif-list", { role: "list" });
    const tabs = ["all", "mention"].map((name) => h("button.tab", {
      type: "button", role: "tab", "aria-selected": String(tab === name),
      onclick: () => { tab = name; fill(); for (const b of tabs) b.setAttribute("aria-selected", String(b === tabs[name === "all" ? 0 : 1])); },
    }, name === "all" ? t("notifications.all") : t("notifications.mentions")));
    const markAll = h("button.link-btn", { type: "button", onclick: async () => {
      try {
        setUnread((await api.post("/api/notifications/read", { all: true })).unread);
        fill();
      } catch (err) {
        toast(err.message, { error: true });
      }
    } }, t("notifications.markAll"));
    const prefs = h("details.notif-settings", h("summary", t("notifications.settings")),
      ...Object.entries(SETTINGS).map(([key, label]) => {
        const box = h("input", { type: "checkbox", name: key });
        box.checked = Boolean(settings?.[key]);
        box.addEventListener("change", async () => {
          if (key === "desktop" && box.checked && "Notification" in window && Notification.permission === "default") {
            await Notification.requestPermission();
          }
          try {
            settings = await api.patch("/api/notifications/settings", { [key]: box.checked });
          } catch (err) {
            box.checked = !box.checked;
            toast(err.message, { error: true });
          }
        });
        return h("label.check", box, t(label));
      }),
      "Notification" in window && Notification.permission === "denied"
        ? h("p.meta", t("notifications.blocked")) : null);
    panel = h("div.notif-panel", { role: "dialog", "aria-label": t("notifications.title") },
      h("div.notif-head", h("strong", t("notifications.title")), h("div.spacer"), markAll),
      h("div.tab-list", { role: "tablist" }, tabs), list, prefs);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.stopPropagation(); closePanel(); button.focus(); }
    });
    document.body.append(panel);
    const rect = button.getBoundingClientRect();
    panel.style.left = `${rect.right + 8}px`;
    panel.style.bottom = `${Math.max(8, innerHeight - rect.bottom)}px`;
    button.setAttribute("aria-expanded", "true");
    async function fill() {
      clear(list, h("div.meta", t("notifications.loading")));
      try {
        const page = await api.get("/api/notifications", { per_page: 30, kind: tab === "all" ? undefined : "mention" });
        setUnread(page.unread);
        clear(list, page.items.length ? page.items.map((item) => h("button.notif-item", {
          type: "button", role: "listitem", class: item.read ? "" : "unread", onclick: () => openItem(item),
        }, h("span.notif-what", describe(item)), h("span.notif-preview", item.preview),
        h("time.meta", { datetime: item.created_at }, relativeTime(item.created_at)))) : h("div.meta.notif-empty", t("notifications.none")));
      } catch (err) {
        clear(list, h("div.error-box", err.message));
      }
    }
    await fill();
    tabs[tab === "all" ? 0 : 1].focus();
  }

  function closePanel() {
    panel?.remove();
    panel = null;
    button.setAttribute("aria-expanded", "false");
  }

  document.addEventListener("mousedown", (event) => {
    if (panel && !panel.contains(event.target) && !button.contains(event.target)) closePanel();
  });

  const offs = [
    store.on("notification.created", (item) => {
      setUnread(unread + 1);
      if (settings?.sound) beep();
      if (settings?.desktop && "Notification" in window && Notification.permission === "granted") {
        try {
          const shown = new Notification(describe(item), { body: item.preview, tag: `desk-${item.id}` });
          shown.onclick = () => { window.focus(); openItem(item); shown.close(); };
        } catch {
          /* some browsers allow it only from a service worker: the bell still counts */
        }
      }
    }),
    store.on("resync", refresh),
    store.on("conversation-opened", (id) => seen(id)),
  ];

  /** The agent opened a conversation: its notifications are read. */
  async function seen(conversationId) {
    if (!unread) return;
    try {
      setUnread((await api.post("/api/notifications/read", { conversation_id: conversationId })).unread);
    } catch {
      /* not important enough to bother anyone */
    }
  }

  refresh();
  return {
    el: button,
    destroy() {
      closePanel();
      offs.forEach((off) => off());
    },
  };
}

function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch {
    /* no audio: silence */
  }
}
