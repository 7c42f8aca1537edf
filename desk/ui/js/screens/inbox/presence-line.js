// "Sam is viewing" / "Sam is typing…" above the composer: the teammates who have this
// conversation open (lib/presence.js), in a polite live region so a screen reader hears it.
import { h, clear } from "../../lib/dom.js";
import { colourFor, initials } from "../../lib/format.js";
import { presence } from "../../lib/presence.js";
import { store } from "../../lib/store.js";
import { t, formatList } from "../../lib/i18n.js";

const firstName = (name) => String(name || "").trim().split(/\s+/)[0] || name;

export function createPresenceLine(conversationId) {
  const el = h("div.presence-line", { role: "status", "aria-live": "polite", "aria-atomic": "true" });

  function draw() {
    const others = presence.others(conversationId);
    const typing = others.filter((o) => o.state === "typing").map((o) => firstName(o.agent.name));
    const viewing = others.filter((o) => o.state !== "typing").map((o) => firstName(o.agent.name));
    const parts = [];
    if (typing.length) parts.push(t("presence.typing", { names: formatList(typing), count: typing.length }));
    if (viewing.length) parts.push(t("presence.viewing", { names: formatList(viewing), count: viewing.length }));
    el.classList.toggle("active", parts.length > 0);
    el.classList.toggle("typing", typing.length > 0);
    clear(el, parts.length ? [
      h("span.presence-faces", { "aria-hidden": "true" }, others.slice(0, 3).map(({ agent }) => {
        const face = h("span.viewer", { title: agent.name }, initials(agent.name));
        face.style.background = colourFor(agent.name);
        return face;
      })),
      h("span.presence-text", parts.join(" · ")),
    ] : null);
  }

  const off = store.on("presence-changed", (id) => id === conversationId && draw());
  draw();
  return { el, destroy: off };
}
