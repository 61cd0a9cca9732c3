"""The all-in-one page in headless Chromium: every episode in order with its figures, notes hidden, formulas typeset, and its PDF."""

from __future__ import annotations

import urllib.request

from lesson_book.book import toc_docnames
from lesson_book.cli.print_pdf import all_in_one_page, pdf_pages
from lesson_book.site import episode_pages

EPISODE_TITLE = """
const heading = document.querySelector("main h1").cloneNode(true);
heading.querySelectorAll("a.headerlink").forEach(link => link.remove());
return heading.textContent.trim();
"""

EPISODE_TITLES_ON_PAGE = """
return [...document.querySelectorAll("div.all-episodes-episode")].map(episode => {
  const heading = episode.querySelector("h2").cloneNode(true);
  heading.querySelectorAll("a.headerlink").forEach(link => link.remove());
  return heading.textContent.trim();
});
"""

# The formulas MathJax typeset on the page, once it has finished.
FORMULAS = """
const done = arguments[arguments.length - 1];
const count = () => done(document.querySelectorAll("mjx-container").length);
if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
  MathJax.startup.promise.then(count);
} else {
  count();
}
"""

PDF_LINKS = "return [...document.querySelectorAll('a.all-in-one-pdf')].map(a => a.href);"


def test_all_in_one_page_has_every_episode_its_figures_and_a_pdf(browser, server, visit, html, scripts) -> None:
    """Every episode's title in order, every figure loaded with its alt text, notes hidden,
    every formula typeset, and the PDF, linked from the page and the landing page."""
    # The images of the page's text (not the header's launch-button logos).
    article_images = scripts.images.replace("document.images", 'document.querySelectorAll("article img")')
    page = all_in_one_page(html).relative_to(html).as_posix()
    episodes = episode_pages(toc_docnames(), html)
    assert len(episodes) >= 2, f"no episode pages in {html}"
    titles, images, notes, formulas = [], [], 0, 0
    for episode in episodes:
        visit(episode)
        browser.set_script_timeout(30)
        browser.execute_async_script(scripts.wait_for_images)
        titles.append(browser.execute_script(EPISODE_TITLE))
        images += browser.execute_script(article_images)
        notes += browser.execute_script(scripts.all_notes)
        formulas += browser.execute_async_script(FORMULAS)

    browser.execute_script("window.localStorage.removeItem('lesson-book-instructor-view');")
    visit(page)
    browser.execute_async_script(scripts.wait_for_images)
    assert browser.execute_script(EPISODE_TITLES_ON_PAGE) == titles
    found = browser.execute_script(article_images)
    assert len(found) == len(images) and len(images) > len(episodes)
    assert [image["src"] for image in found] == [image["src"] for image in images]
    assert [image["alt"] for image in found] == [image["alt"] for image in images]
    not_loaded = [image["src"] for image in found if not image["width"]]
    assert not not_loaded, f"images that did not load on {page}: {not_loaded}"
    assert all(image["alt"] and image["alt"].strip() for image in found)
    assert browser.execute_script(scripts.all_notes) == notes > 0
    assert browser.execute_script(scripts.shown_notes) == 0, "instructor notes shown by default"
    assert browser.execute_async_script(FORMULAS) == formulas, "formulas not typeset"

    pdf_links = set(browser.execute_script(PDF_LINKS))
    visit("intro.html")
    pdf_links |= set(browser.execute_script(PDF_LINKS))
    assert pdf_links == {server + "all-in-one.pdf"}, pdf_links
    with urllib.request.urlopen(server + "all-in-one.pdf") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        pages = pdf_pages(response.read())
    # Each episode starts on a new page; more than 15 pages an episode would
    # mean figures or code blocks pushed one to a page.
    assert len(episodes) < pages <= 15 * len(episodes), f"{pages} pages for {len(episodes)} episodes"
