// Works around pydata-sphinx-theme 0.17.1 (lesson_book.workarounds, 6): the theme
// gives a scrollable code output tabindex 0, so that keyboard users can scroll it,
// but it measures once when the page loads, often before the web fonts have
// loaded; a model summary that overflows only in the final font keeps
// tabindex -1 and cannot be reached from the keyboard.  The theme measures again
// on every resize, so one resize event once the page (the theme's own script
// included) has loaded and the fonts are ready fixes it.
window.addEventListener("load", () => {
  document.fonts.ready.then(() => window.dispatchEvent(new Event("resize")));
});
