"""Each page of the built book audited by axe-core in headless Chromium, in light and dark mode: no serious or critical WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest

from lesson_book.site import NOT_BUILT, accessibility_problems, book_html, built_pages

# WCAG 2.1, levels A and AA: the rules axe-core runs; a serious or critical violation fails.
# label-content-name-mismatch (WCAG 2.5.3, Label in Name) is one of them that axe
# leaves off unless asked, as experimental: it is turned on (the theme's search and
# colour-mode buttons failed it; lesson_book.extension.workarounds, 6).
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                   rules: {"label-content-name-mismatch": {enabled: true}}})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(node => node.target.join(" ")).slice(0, 5), count: v.nodes.length,
  }))));
"""

# The web fonts, then the theme's measuring of scrollable outputs: 300 ms after a
# resize, which static/theme-fixes.js sends once the fonts are ready, the theme
# gives each element of its list (pydata-sphinx-theme 0.17.1's, below) tabindex 0
# if it scrolls, -1 if not.  A fixed wait was too short on a loaded CI machine
# (axe then found a scrolling output without tabindex 0); so wait until every such
# element agrees with its tabindex, for 10 s at most: what still disagrees then,
# axe reports.
WAIT_FOR_LAYOUT = """
const done = arguments[arguments.length - 1];
const measured = ["pre", ".nboutput > .output_area", ".cell_output > .output",
                  ".jp-RenderedHTMLCommon", ".pst-scrollable-table-container"].join(", ");
const agree = () => [...document.querySelectorAll(measured)].every(element =>
  (element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight)
  === (element.tabIndex === 0));
document.fonts.ready.then(() => {
  const started = Date.now();
  const poll = () => agree() || Date.now() - started > 10000 ? setTimeout(done, 300) : setTimeout(poll, 100);
  poll();
});
"""

# The colour mode a reader's system asks for (the book follows it, default_mode
# auto): the theme reads it into data-theme, which is what is set here.
SET_MODE = "document.documentElement.dataset.theme = arguments[0];"


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", built_pages(book_html()))
def test_accessibility(page: str, mode: str, browser, visit, axe, html, screenshots, scripts) -> None:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation, in either colour mode."""
    assert page != NOT_BUILT, f"no built book in {html}: run `make book` first"
    visit(page)
    browser.set_script_timeout(60)
    browser.execute_async_script(scripts.wait_for_images)
    browser.execute_script(SET_MODE, mode)
    browser.execute_async_script(WAIT_FOR_LAYOUT)
    browser.execute_script(axe)
    problems = accessibility_problems(browser.execute_async_script(AXE_RUN))
    if mode == "dark":  # the light screenshot is test_page's (test_browser_pages.py)
        screenshots.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(screenshots / (page[:-5].replace("/", "__") + "--dark.png")))
    assert not problems, f"{page} ({mode}):\n  " + "\n  ".join(problems)
