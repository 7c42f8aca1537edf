// What the conversation list says when it has no rows: no match for a search (with "Did you
// mean …?"), no conversations at all yet (with the first steps), or an empty view.
import { h } from "../../lib/dom.js";
import { icon } from "../../components/icons.js";
import { t } from "../../lib/i18n.js";
import { store } from "../../lib/store.js";

/** The list's `state`; `meant`: the search's suggested word; onMeant(word) searches for it. */
export function emptyState(state, { meant, onNew, onMeant }) {
  if (state.search) {
    return h("div.empty", h("p", t("list.noMatch", { search: state.search })),
      meant ? h("p.did-you-mean", t("search.didYouMean"), " ",
        h("button.link-btn", { type: "button", onclick: () => onMeant(meant) }, meant), "?") : null,
      h("p.muted", state.scoped ? t("search.tryEverywhere") : t("search.tryFewer")));
  }
  if (state.view === "open" && !store.counts?.open_only && !state.priority && !state.channelType) {
    const channels = store.workspace?.channels || [];
    return h("div.empty",
      h("h3", t("list.noneYet")),
      h("p.muted", channels.length ? t("list.noneYetChannels") : t("list.noneYetNoChannels")),
      h("div.row.center",
        channels.length ? h("button.btn.primary", { type: "button", onclick: onNew }, icon("plus"), t("list.logTitle")) : null,
        store.isAdmin ? h("a.btn", { href: "#/settings/channels" }, t("list.addChannel")) : null));
  }
  return h("div.empty", h("p.muted", t("list.nothingHere")));
}
