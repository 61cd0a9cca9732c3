"""The lesson book's tooling: the book's model, learner notebooks, the notebook runner, the Sphinx extension, the pytest plugin and the command-line tools.

Everything here serves the people who build, test and publish the book; the
learners' own package is ``cnn_lesson`` (``src/``), which never imports this
one.  The layers, lowest first (``pyproject.toml``'s import-linter contract
keeps them so):

``book``, ``model``, ``release``
    the book as files: its root, ``_config.yml``, the contents of
    ``_toc.yml``, which pages are notebooks, the repository's address and the
    release; the episodes' front-matter fields;
``learner``, ``run``
    the learner notebooks (names, paths, conversion) and the one way a
    notebook is executed (seed and backend, time limits, the build's cache);
``extension``
    the Sphinx extension ``_config.yml`` loads by name;
``pytest_plugin``, ``cli``
    the notebook tests (registered through an entry point) and the console
    scripts (``lesson-sync``, ``lesson-bench``, ``lesson-spread``, ...).
"""
