/* The instructor view: a switch that shows or hides the instructor notes,
   remembered from page to page.  Loaded in the page's head, so that the
   notes are hidden before the page is drawn. */
(function () {
  "use strict";
  var KEY = "lesson-book-instructor-view";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "on";
    } catch (error) {  // storage blocked (private mode, file:// in some browsers)
      return false;
    }
  }

  function remember(on) {
    try {
      window.localStorage.setItem(KEY, on ? "on" : "off");
    } catch (error) {
      /* the choice then lasts for this page only */
    }
  }

  function show(on) {
    root.setAttribute("data-instructor-view", on ? "on" : "off");
  }

  function addSwitch() {
    var button = document.createElement("button");
    button.type = "button";
    button.id = "instructor-view-switch";
    button.className = "instructor-view-switch";
    button.title = "Show or hide the notes for instructors";
    button.textContent = "Instructor view";
    button.setAttribute("aria-pressed", String(remembered()));
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      show(on);
      remember(on);
      button.setAttribute("aria-pressed", String(on));
    });
    // In sphinx-book-theme's article header, before the download and
    // full-screen buttons; elsewhere, at the top of the article.
    var header = document.querySelector(".article-header-buttons");
    var article = document.querySelector("main article") || document.querySelector("main");
    if (header) {
      header.insertBefore(button, header.firstChild);
    } else if (article) {
      article.insertBefore(button, article.firstChild);
    } else {
      document.body.insertBefore(button, document.body.firstChild);
    }
  }

  show(remembered());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addSwitch);
  } else {
    addSwitch();
  }
  // Another tab changed the choice: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    var on = event.newValue === "on";
    show(on);
    var button = document.getElementById("instructor-view-switch");
    if (button) button.setAttribute("aria-pressed", String(on));
  });
})();
