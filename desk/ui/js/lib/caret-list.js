// What the composer's pickers (canned replies on `/`, mentions on `@`) share: the word being
// typed at the caret, the keys of a list that keeps the focus in the textarea, and closing
// when the textarea loses the focus.

/** The `pattern` match ending at the caret ({start, query}; group 2 is the query), or null. */
export function tokenAtCaret(textarea, pattern) {
  const end = textarea.selectionStart;
  if (end !== textarea.selectionEnd) return null;
  const match = pattern.exec(textarea.value.slice(0, end));
  return match ? { start: end - match[2].length - 1, query: match[2].toLowerCase() } : null;
}

/** Arrows move, Enter or Tab choose, Escape closes; true when the key was the list's. */
export function listKey(event, { open, move, choose, close, canChoose = true }) {
  if (!open) return false;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") move(event.key === "ArrowDown" ? 1 : -1);
  else if ((event.key === "Enter" || event.key === "Tab") && !event.ctrlKey && !event.metaKey && canChoose) choose();
  else if (event.key === "Escape") close();
  else return false;
  event.preventDefault();
  event.stopPropagation();
  return true;
}

/** Close the list once the focus has left the textarea (not for a click on an option). */
export function closeOnBlur(textarea, close) {
  textarea.addEventListener("blur", () => setTimeout(() => {
    if (document.activeElement !== textarea) close();
  }, 150));
}
