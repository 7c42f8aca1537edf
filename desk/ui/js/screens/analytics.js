import { h } from "../dom.js";
export function mountAnalytics(container) {
  container.append(h("div", "Analytics"));
  return { update() {}, unmount() {} };
}
