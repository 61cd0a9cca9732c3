// Works around pydata-sphinx-theme 0.17.1 (lesson_book.workarounds, 6): the theme
// gives a scrollable code output tabindex 0, so that keyboard users can scroll it,
// but it measures once when the page loads, often before the web fonts have
// loaded; a model summary that overflows only in the final font keeps
// tabindex -1 and cannot be reached from the keyboard.  The theme measures again
// on every resize, so one resize event once the page (the theme's own script
// included) has loaded and the fonts are ready fixes it.
//
// The same measurement goes stale when the reader switches colour mode: in dark
// mode the theme pads an HTML output 8 px each side, so a model summary that fits
// in light mode overflows in dark.  So a change of mode is a resize too.
const measureAgain = () => window.dispatchEvent(new Event("resize"));
window.addEventListener("load", () => {
  document.fonts.ready.then(measureAgain);
  new MutationObserver(measureAgain)
    .observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
});

// Works around pydata-sphinx-theme 0.17.1 (lesson_book.workarounds, 6): two of its
// buttons show text that their accessible name (their aria-label) leaves out,
// which fails WCAG 2.5.3, Label in Name: someone who speaks to their computer
// says what they see.  axe-core's label-content-name-mismatch rule, which the
// browser test turns on, reports both.  The search button shows "Search" and the
// shortcut ("Ctrl + K"; on a Mac, a symbol) but is named "Search"; it is named by
// its visible text, once the theme has written the shortcut.  The colour-mode
// button shows the icon of the current mode, titled "Light", "Dark" or "System
// Settings", but is named "Color mode"; it is named "Color mode: " and that
// title, again whenever the mode changes.
function nameButtonsByWhatTheyShow() {
  document.querySelectorAll(".search-button__button").forEach((button) => {
    const visible = button.textContent.replace(/\s+/g, " ").trim();
    if (visible) button.setAttribute("aria-label", visible);
  });
  const mode = document.documentElement.dataset.mode;
  document.querySelectorAll(".theme-switch-button").forEach((button) => {
    const icon = button.querySelector(`[data-mode="${mode}"]`);
    const shown = icon ? (icon.getAttribute("title") || icon.textContent).trim() : "";
    button.setAttribute("aria-label", shown ? `Color mode: ${shown}` : "Color mode");
  });
}
window.addEventListener("load", () => {
  nameButtonsByWhatTheyShow();
  new MutationObserver(nameButtonsByWhatTheyShow)
    .observe(document.documentElement, {attributes: true, attributeFilter: ["data-mode"]});
});
