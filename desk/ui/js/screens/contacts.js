import { h } from "../dom.js";
export function mountContacts(container) {
  container.append(h("div", "Contacts"));
  return { update() {}, unmount() {} };
}
