// The composer's canned-reply picker: typing `/` at the start of a word opens it, the letters
// after it filter (`/ref` → `/refund`), arrows move, Enter or Tab inserts the reply rendered
// for this conversation (the contact's name filled in), Escape closes. The textarea keeps the
// focus throughout (a combobox: aria-activedescendant names the highlighted option).
import { api } from "../../lib/api.js";
import { h, clear } from "../../lib/dom.js";
import { t } from "../../lib/i18n.js";
import { closeOnBlur, listKey, tokenAtCaret } from "../../lib/caret-list.js";

const TOKEN = /(^|\s)\/([a-z0-9_-]{0,32})$/i;
let pickers = 0;

export function createCannedPicker({ textarea, conversationId, onInsert, onError }) {
  const listId = `canned-list-${++pickers}`;
  const list = h("div.canned-picker", { id: listId, role: "listbox", "aria-label": t("canned.title"), hidden: true });
  let items = [];
  let active = 0;
  let token = null; // {start, query}: the `/word` being typed, while the picker is open
  let asked = 0;
  let timer = null;

  textarea.setAttribute("aria-controls", listId);
  textarea.setAttribute("aria-autocomplete", "list");

  function sync() {
    const found = tokenAtCaret(textarea, TOKEN);
    if (!found) return close();
    const changed = !token || token.query !== found.query;
    token = found;
    if (changed) {
      clearTimeout(timer);
      timer = setTimeout(load, 80);
    }
  }

  async function load() {
    const ask = ++asked;
    const query = token?.query ?? "";
    try {
      const page = await api.get("/api/canned-replies", { search: query, per_page: 8 });
      if (ask !== asked || !token) return;
      items = page.items;
      active = 0;
      render(query);
    } catch (err) {
      if (ask === asked) onError?.(t("canned.loadFailed", { error: err.message }));
      close();
    }
  }

  function render(query) {
    list.hidden = false;
    if (!items.length) {
      textarea.removeAttribute("aria-activedescendant");
      clear(list, h("div.canned-empty", query ? t("canned.noMatch", { query }) : t("canned.none"), " ",
        h("a", { href: "#/settings/canned" }, t("canned.manage"))));
      return;
    }
    clear(list, items.map((item, i) => h("div.canned-option", {
      id: `${listId}-${i}`, role: "option", "aria-selected": String(i === active),
      onmousedown: (event) => event.preventDefault(), // keep the focus in the textarea
      onclick: () => choose(i),
    }, h("span.canned-shortcut", `/${item.shortcut}`), h("span.canned-title", item.title),
    h("span.canned-preview", item.body.replace(/\s+/g, " ").slice(0, 90)))));
    textarea.setAttribute("aria-activedescendant", `${listId}-${active}`);
  }

  function move(by) {
    if (!items.length) return;
    active = (active + by + items.length) % items.length;
    for (const [i, option] of [...list.children].entries()) option.setAttribute("aria-selected", String(i === active));
    textarea.setAttribute("aria-activedescendant", `${listId}-${active}`);
    list.children[active]?.scrollIntoView({ block: "nearest" });
  }

  async function choose(i) {
    const item = items[i];
    const at = token;
    if (!item || !at) return;
    close();
    try {
      const { body } = await api.get(`/api/canned-replies/${item.id}/render`, { conversation_id: conversationId });
      const end = at.start + 1 + at.query.length;
      // Only replace the `/word` if it is still there as typed.
      const still = textarea.value.slice(at.start, end).toLowerCase() === `/${at.query}`;
      const [from, to] = still ? [at.start, end] : [textarea.selectionStart, textarea.selectionEnd];
      textarea.setRangeText(body, from, to, "end");
      textarea.focus();
      onInsert?.(item);
    } catch (err) {
      onError?.(t("canned.insertFailed", { shortcut: item.shortcut, error: err.message }));
    }
  }

  function close() {
    clearTimeout(timer);
    asked++;
    token = null;
    items = [];
    list.hidden = true;
    clear(list);
    textarea.removeAttribute("aria-activedescendant");
  }

  /** Handle a key while the picker is open; true when it was the picker's. */
  function onKey(event) {
    return listKey(event, {
      open: !list.hidden,
      move,
      choose: () => choose(active),
      canChoose: items.length > 0,
      close,
    });
  }

  /** The composer's button: start a `/` at the caret (on a word of its own) and open the list. */
  function open() {
    const caret = textarea.selectionStart ?? textarea.value.length;
    const before = textarea.value.slice(0, caret);
    textarea.focus();
    textarea.setRangeText(before && !/\s$/.test(before) ? " /" : "/", caret, textarea.selectionEnd ?? caret, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  textarea.addEventListener("input", sync);
  textarea.addEventListener("click", sync);
  closeOnBlur(textarea, close);

  return { el: list, onKey, open, close };
}
