/* The all-in-one page as lesson-pdf prints it (opened with "?pdf"):
   a link to another page or file of the book would point, in the PDF, into
   the folder it was printed from, so it becomes plain text.  Links within
   the page (the PDF's own) and to other sites stay. */
(function () {
  "use strict";
  if (!new URLSearchParams(window.location.search).has("pdf")) {
    return;
  }
  function unlink() {
    document.querySelectorAll("a[href]").forEach(function (link) {
      if (!link.getAttribute("href").startsWith("#") && link.protocol === window.location.protocol) {
        link.removeAttribute("href");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", unlink);
  } else {
    unlink();
  }
})();
