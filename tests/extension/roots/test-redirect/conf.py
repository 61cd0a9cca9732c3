"""A one-page book whose root page is not ``index``, with a favicon."""

extensions = ["lesson_book.extension"]
root_doc = "start"
html_favicon = "icon.svg"
project = "Tiny"
html_theme = "sphinx_book_theme"
html_theme_options = {"repository_url": "https://github.com/o/tiny", "repository_branch": "main"}
# Its episodes are stand-ins whose minutes no material backs; tests/extension/test_extension_timing.py
# turns the check of the minutes on where it tests it.
lesson_minutes_tolerance = None
