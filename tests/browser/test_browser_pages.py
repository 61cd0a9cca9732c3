"""Each page of the built book in headless Chromium: console errors, images and alt text, links and anchors, launch links, exercise numbers, screenshots."""

from __future__ import annotations

import pytest

from lesson_book.site import (
    COST_PAGE,
    NOT_BUILT,
    address_problems,
    book_html,
    built_pages,
    cost_page_problems,
    exercise_number_problems,
    image_alt_problem,
    launch_problems,
    learner_exercise_problems,
    link_problem,
    notebook_pages,
)

PAGE_HEIGHT = """
const sidebar = document.querySelector(".bd-sidebar-primary");
return Math.max(document.documentElement.scrollHeight,
                sidebar ? sidebar.scrollHeight + 70 : 0);
"""

LINKS = """
return [...document.querySelectorAll("a[href]")].map(a => a.href);
"""

# The exercise numbers of each episode on the page: the all-in-one page holds
# several episodes (div.all-episodes-episode), each numbered from 1.
EXERCISE_NUMBERS = """
const episodes = document.querySelectorAll("div.all-episodes-episode");
return [...(episodes.length ? episodes : [document])].map(episode =>
  [...episode.querySelectorAll("div.exercise > .admonition-title .caption-number")]
    .map(span => span.textContent.trim()));
"""

TABLES = """
return [...document.querySelectorAll("main table")].map(table =>
  [...table.rows].map(row => [...row.cells].map(cell => cell.innerText.trim())));
"""


@pytest.mark.parametrize("page", built_pages(book_html()))
def test_page(page: str, browser, server, visit, html, screenshots, scripts) -> None:
    assert page != NOT_BUILT, f"no built book in {html}: run `make book` first"
    browser.get_log("browser")  # drop anything left from the page before
    visit(page)
    browser.set_script_timeout(30)
    browser.execute_async_script(scripts.wait_for_images)
    problems: list[str] = []

    for entry in browser.get_log("browser"):
        if entry["level"] == "SEVERE":
            problems.append(f"console error: {entry['message']}")

    for image in browser.execute_script(scripts.images):
        if not image["width"]:
            problems.append(f"image {image['src']} did not load")
        reason = image_alt_problem(image["alt"], image["src"])
        if reason:
            problems.append(f"image {image['src']} {reason}")

    hrefs = browser.execute_script(LINKS)
    for href in hrefs:
        if href.startswith(server):
            reason = link_problem(href, server, html)
            if reason:
                problems.append(reason)

    problems += address_problems(hrefs)
    launch = notebook_pages()
    if page in launch:
        problems += launch_problems(page, hrefs, launch[page])
        if page.startswith("lessons/"):
            learner = [href for href in hrefs if "/_static/learner/" in href]
            if not learner:
                problems.append("no learner notebook link")

    for numbers in browser.execute_script(EXERCISE_NUMBERS):
        problems += exercise_number_problems(numbers)
    if page in launch:  # "do exercise 3" means the same exercise in the learner notebooks
        (numbers,) = browser.execute_script(EXERCISE_NUMBERS)
        problems += learner_exercise_problems(page, numbers)

    if page == COST_PAGE:
        text = browser.execute_script("return document.querySelector('main').innerText;")
        problems += cost_page_problems(browser.execute_script(TABLES), text)

    screenshots.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script(PAGE_HEIGHT)
    browser.set_window_size(1280, min(max(height, 800), 16000))
    browser.save_screenshot(str(screenshots / (page[:-5].replace("/", "__") + ".png")))
    browser.set_window_size(1280, 1000)

    assert not problems, f"{page}:\n  " + "\n  ".join(problems)
