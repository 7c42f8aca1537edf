import { h } from "../dom.js";
export function mountSettings(container) {
  container.append(h("div", "Settings"));
  return { update() {}, unmount() {} };
}
