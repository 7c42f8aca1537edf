// Before the first paint (a classic script in <head>, not a module): the agent's theme as this
// browser last knew it, so a dark choice never flashes light. lib/theme.js keeps it current.
(function () {
  try {
    var theme = localStorage.getItem("desk.theme");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  } catch (err) {
    // storage is off: the system's theme
  }
})();
