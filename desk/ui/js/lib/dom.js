// Building DOM safely: every piece of data becomes a text node, never HTML.

/**
 * h("div.row#id", {onclick, class, style: {marginTop: "8px"}, attrs...}, child, [children], "text")
 * Strings and numbers become text nodes; null/false children are skipped.
 */
export function h(tag, props, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(name || "div");
  for (const part of rest) {
    if (part[0] === ".") el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (props && (typeof props !== "object" || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className += (el.className ? " " : "") + value;
    else if (key === "text") el.textContent = value;
    else if (key === "value") el.value = value;
    else if (key === "checked" || key === "disabled" || key === "selected") el[key] = Boolean(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    // Through the CSSOM, never a style="" attribute: the Content-Security-Policy forbids those.
    else if (key === "style") {
      if (typeof value === "string") el.style.cssText = value; // the CSSOM too, not the attribute
      else Object.assign(el.style, value);
    }
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Text with every match of the search words wrapped in <mark> (as text nodes). */
export function highlighted(text, words) {
  const value = String(text ?? "");
  const terms = (words || []).filter(Boolean).map((w) => w.toLowerCase());
  if (!terms.length) return [value];
  const lower = value.toLowerCase();
  const out = [];
  let at = 0;
  while (at < value.length) {
    let best = -1;
    let len = 0;
    for (const term of terms) {
      const found = lower.indexOf(term, at);
      if (found !== -1 && (best === -1 || found < best)) [best, len] = [found, term.length];
    }
    if (best === -1) break;
    if (best > at) out.push(value.slice(at, best));
    out.push(h("mark", value.slice(best, best + len)));
    at = best + len;
  }
  if (at < value.length) out.push(value.slice(at));
  return out;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Text in which http(s) addresses become links (built as elements, never parsed as HTML). */
export function linkified(text) {
  const value = String(text ?? "");
  const out = [];
  let at = 0;
  for (const match of value.matchAll(URL_PATTERN)) {
    let href = null;
    try {
      const url = new URL(match[0]);
      if (url.protocol === "http:" || url.protocol === "https:") href = url.href;
    } catch {
      href = null;
    }
    if (!href) continue;
    if (match.index > at) out.push(value.slice(at, match.index));
    out.push(h("a", { href, target: "_blank", rel: "noopener noreferrer" }, match[0]));
    at = match.index + match[0].length;
  }
  if (at < value.length) out.push(value.slice(at));
  return out;
}

/** A labelled form field: label + control + inline error slot. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const error = h("div.error-text", { id: `${id}-error`, role: "alert" });
  control.setAttribute("aria-describedby", `${id}-error`);
  const wrap = h("div.field", h("label", { for: id }, label), control, hint && h("div.hint", hint), error);
  wrap.dataset.field = control.name || "";
  return wrap;
}

/** Put an API error next to the field it names, else in the form's error box. */
export function showFormError(form, err) {
  for (const slot of form.querySelectorAll(".error-text")) slot.textContent = "";
  const box = form.querySelector(".error-box");
  if (box) box.textContent = "";
  if (!err) return;
  const named = err.field && form.querySelector(`[name="${CSS.escape(err.field)}"]`);
  const slot = named && form.querySelector(`#${CSS.escape(named.id)}-error`);
  if (slot) {
    slot.textContent = err.message;
    named.focus();
  } else if (box) box.textContent = err.message;
}

export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") out[el.name] = el.checked;
    else out[el.name] = el.value;
  }
  return out;
}

/**
 * Draw `container` again with `draw()`, and give focus back to the control that had it: the
 * new element with the same data-focus key (else `fallback()`), so the keyboard keeps its place.
 */
export function redraw(container, draw, fallback = () => null) {
  const had = container.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
  draw();
  if (had === null) return;
  const again = had !== undefined && container.querySelector(`[data-focus="${CSS.escape(had)}"]`);
  (again || fallback())?.focus();
}

export function isTyping(target) {
  const el = target || document.activeElement;
  if (!el) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}
