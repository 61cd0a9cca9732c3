"""A small book for the tests: two episodes, a setup page, a glossary, a schedule page."""

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
    "launch_buttons": {
        "notebook_interface": "jupyterlab",
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
    },
}
html_copy_source = False  # as the book's _config.yml: the sources hold the hidden checks
# Its episodes are stand-ins whose minutes no material backs; tests/extension/test_extension_timing.py
# turns the check of the minutes on where it tests it.
lesson_minutes_tolerance = None
