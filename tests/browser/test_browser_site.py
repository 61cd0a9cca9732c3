"""The built site as a whole: its address opens the table of contents' root page, and every MyST notebook is a page of the book."""

from __future__ import annotations

from lesson_book.book import toc_docnames
from lesson_book.site import notebook_pages, redirect_target


def test_index_redirects_to_the_root_page(browser, server, html) -> None:
    """The site's address opens the table of contents' root page, in the browser too."""
    assert html.joinpath("index.html").exists(), f"no built book in {html}: run `make book`"
    root = toc_docnames()[0] + ".html"
    assert redirect_target(html / "index.html") == root
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    WebDriverWait(browser, 30).until(lambda driver: driver.current_url == server + root)


def test_every_notebook_page_is_in_the_book(html) -> None:
    """Each MyST notebook in the notebook folders is a page of the built book."""
    assert html.joinpath("index.html").exists(), f"no built book in {html}: run `make book`"
    missing = [page for page in notebook_pages() if not (html / page).exists()]
    assert not missing, f"notebooks not in the book (add them to _toc.yml): {missing}"
