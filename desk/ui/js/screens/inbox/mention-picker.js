// Mentions in notes: typing `@` and the first letters of a teammate's name lists the team
// (from the workspace settings), arrows move, Enter or Tab inserts "@Full Name ", Escape
// closes. The server tells the teammates a note names. The textarea keeps the focus.
import { h, clear } from "../../lib/dom.js";
import { store } from "../../lib/store.js";
import { avatar } from "../../lib/format.js";
import { t } from "../../lib/i18n.js";
import { closeOnBlur, listKey, tokenAtCaret } from "../../lib/caret-list.js";

const TOKEN = /(^|\s)@([^\s@]{0,40})$/;
let pickers = 0;

export function createMentionPicker({ textarea, enabled, onInsert }) {
  const listId = `mention-list-${++pickers}`;
  const list = h("div.canned-picker.mention-picker", { id: listId, role: "listbox",
    "aria-label": t("mentions.pickerLabel"), hidden: true });
  let items = [];
  let active = 0;
  let token = null;

  function sync() {
    if (!enabled()) return close();
    token = tokenAtCaret(textarea, TOKEN);
    if (!token) return close();
    const me = store.me?.id;
    items = (store.workspace?.team || [])
      .filter((member) => member.id !== me)
      .filter((member) => member.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(token.query))
        || member.name.toLowerCase().startsWith(token.query))
      .slice(0, 8);
    if (!items.length) return close();
    active = Math.min(active, items.length - 1);
    render();
  }

  function render() {
    list.hidden = false;
    clear(list, items.map((member, i) => h("div.canned-option", {
      id: `${listId}-${i}`, role: "option", "aria-selected": String(i === active),
      onmousedown: (event) => event.preventDefault(),
      onclick: () => choose(i),
    }, avatar(member.name), h("span.canned-title", member.name), h("span.canned-preview", member.email))));
    textarea.setAttribute("aria-controls", listId);
    textarea.setAttribute("aria-activedescendant", `${listId}-${active}`);
  }

  function choose(i) {
    const member = items[i];
    const at = token;
    if (!member || !at) return;
    close();
    textarea.setRangeText(`@${member.name} `, at.start, at.start + 1 + at.query.length, "end");
    textarea.focus();
    onInsert?.(member);
  }

  function close() {
    token = null;
    items = [];
    active = 0;
    list.hidden = true;
    clear(list);
    if (textarea.getAttribute("aria-activedescendant")?.startsWith(listId)) textarea.removeAttribute("aria-activedescendant");
  }

  function onKey(event) {
    return listKey(event, {
      open: !list.hidden,
      move: (by) => { active = (active + by + items.length) % items.length; render(); },
      choose: () => choose(active),
      close,
    });
  }

  textarea.addEventListener("input", sync);
  closeOnBlur(textarea, close);
  return { el: list, onKey, close };
}
