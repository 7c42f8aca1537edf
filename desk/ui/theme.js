// Before the first paint (a classic script in <head>, not a module): data-theme on <html> is
// "light" or "dark", the one thing the stylesheet looks at. The agent's choice as this browser
// last knew it wins, else the system's, followed as it changes. lib/theme.js tells of a new
// choice with a "desk:theme" event (detail: "light", "dark" or null for the system's).
(function () {
  var root = document.documentElement;
  var system = matchMedia("(prefers-color-scheme: dark)");
  var chosen = null;
  try {
    chosen = localStorage.getItem("desk.theme");
  } catch (err) {
    // storage is off: the system's theme
  }
  function show() {
    var dark = chosen === "dark" || (chosen !== "light" && system.matches);
    root.dataset.theme = dark ? "dark" : "light";
  }
  system.addEventListener("change", show);
  document.addEventListener("desk:theme", function (event) {
    chosen = event.detail;
    show();
  });
  show();
})();
