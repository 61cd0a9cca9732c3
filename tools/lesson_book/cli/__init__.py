"""The command-line tools, each a console script of ``tools/pyproject.toml`` (``lesson-sync``, ``lesson-bench``, ...)."""
