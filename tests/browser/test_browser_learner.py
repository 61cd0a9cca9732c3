"""The learner notebook links of each notebook page in headless Chromium: the download menu and the Overview box offer only its learner notebooks."""

from __future__ import annotations

import pytest

from lesson_book.site import learner_link_problems, notebook_pages

LEARNER_LINKS = """
const box = document.querySelector("div.episode-overview");
const pairs = anchors => [...anchors].map(a => [a.textContent.trim(), a.href]);
return {
  menu: pairs(document.querySelectorAll(".dropdown-download-buttons .dropdown-menu a[href]")),
  box: box ? pairs(box.querySelectorAll("a[href]")) : [],
};
"""


@pytest.mark.parametrize("page", sorted(notebook_pages()))
def test_learner_notebook_links(page: str, browser, server, visit, html, screenshots) -> None:
    """The download menu and the Overview box lead only to the page's learner notebooks."""
    from selenium.webdriver.common.by import By

    visit(page)
    found = browser.execute_script(LEARNER_LINKS)
    menu = [href for _, href in found["menu"]]
    box = [href for _, href in found["box"]]
    problems = learner_link_problems(page, menu, box, server, html)
    if page == "lessons/mnist-exercise.html":  # a picture of both, to look at
        browser.find_element(By.CSS_SELECTOR, ".dropdown-download-buttons > button").click()
        screenshots.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(screenshots / "learner-links.png"))
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)
