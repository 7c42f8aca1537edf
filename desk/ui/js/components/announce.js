// Words for screen readers when what the eye sees changes without focus moving there ("Reply
// sent", "Assigned to Sam"): one polite live region, #announcer in index.html.
let timer = null;

export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  clearTimeout(timer);
  // Written a moment after clearing, so the same words twice are read twice.
  timer = setTimeout(() => {
    region.textContent = text;
  }, 50);
}
