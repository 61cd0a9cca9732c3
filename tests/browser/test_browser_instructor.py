"""The instructor view in headless Chromium: notes hidden by default, shown by the switch, remembered from page to page, always shown on the notes page."""

from __future__ import annotations

from lesson_book.site import instructor_view_pages

SWITCH = "instructor-view-switch"


def _switch(browser):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, SWITCH)


def _open(visit, browser, page: str, scripts) -> tuple[int, int]:
    """Open ``page``; the numbers of its instructor notes shown and in all."""
    visit(page)
    return browser.execute_script(scripts.shown_notes), browser.execute_script(scripts.all_notes)


def test_instructor_view_switch(browser, visit, html, screenshots, scripts) -> None:
    """Notes hidden by default; the switch shows them, on every page, until it is switched off."""
    episodes, gathered = instructor_view_pages(html)
    assert len(episodes) >= 2 and gathered, f"no episodes with notes or no notes page in {html}"
    first, second = episodes[:2]
    visit(first)
    browser.execute_script("window.localStorage.removeItem('lesson-book-instructor-view');")
    browser.get_log("browser")

    shown, total = _open(visit, browser, first, scripts)
    assert total and shown == 0, f"{first}: {shown} of {total} notes shown by default"
    switch = _switch(browser)
    assert switch.tag_name == "button" and switch.text == "Instructor view"
    assert switch.get_attribute("aria-pressed") == "false"
    assert switch.is_displayed()
    screenshots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(screenshots / "instructor-view-off.png"))
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert browser.execute_script(scripts.shown_notes) == total
    note = browser.execute_script(
        "const n = document.querySelector('div.admonition.instructor');"
        "n.scrollIntoView({block: 'center'}); return n.offsetParent !== null;"
    )
    assert note
    browser.save_screenshot(str(screenshots / "instructor-view-on.png"))

    shown, total = _open(visit, browser, second, scripts)
    assert total and shown == total, f"{second}: the choice was not remembered ({shown}/{total})"
    assert _switch(browser).get_attribute("aria-pressed") == "true"

    shown, total = _open(visit, browser, gathered, scripts)
    assert total and shown == total, f"{gathered}: {shown} of {total} notes shown with the view on"
    _switch(browser).click()  # off, on the notes page itself
    assert _switch(browser).get_attribute("aria-pressed") == "false"
    assert browser.execute_script(scripts.shown_notes) == total, f"{gathered} hid its notes"

    shown, total = _open(visit, browser, first, scripts)
    assert total and shown == 0, f"{first}: {shown} of {total} notes shown after switching off"
    assert _switch(browser).get_attribute("aria-pressed") == "false"
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
