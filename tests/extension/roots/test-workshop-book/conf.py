"""A workshop book for the tests: episodes in two parts, exercises, notes, a two-day schedule."""

extensions = ["myst_nb", "sphinx_exercise", "sphinx_external_toc", "lesson_book.extension"]
external_toc_path = "_toc.yml"
nb_execution_mode = "off"
myst_enable_extensions = ["colon_fence", "dollarmath", "substitution"]
myst_title_to_header = True
exclude_patterns = ["_build"]
nitpicky = True
mathjax_path = "mathjax/tex-mml-chtml.js"
html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": "https://github.com/o/small-book",
    "repository_branch": "main",
}
# Its episodes are stand-ins whose minutes no material backs; tests/extension/test_extension_timing.py
# turns the check of the minutes on where it tests it.
lesson_minutes_tolerance = None
