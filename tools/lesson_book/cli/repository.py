"""``lesson-repository``: point the book at a fork, check the address before publishing, check a release's tag, print its notes.

The work is done by :mod:`lesson_book.release`::

    lesson-repository fork https://github.com/OWNER/NAME   # then: make notebooks
    lesson-repository expect OWNER/NAME   # exit 1 unless _config.yml names it
    lesson-repository release v0.1.0      # exit 1 unless the tag can be released
    lesson-repository notes v0.1.0        # that release's section of CHANGELOG.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lesson_book.book import ROOT, read_repository
from lesson_book.release import (
    changelog_sections,
    config_url_line,
    foreign_repository,
    release_problems,
    set_repository,
)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    """The command line (see the module's docstring); exit status 1 on a problem."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fork", help="write URL as the repository's address in _config.yml").add_argument("url")
    commands.add_parser("expect", help="check that _config.yml names OWNER/NAME").add_argument("repository")
    commands.add_parser("release", help="check that TAG can be released").add_argument("tag")
    commands.add_parser("notes", help="print TAG's section of CHANGELOG.md").add_argument("tag")
    args = parser.parse_args(argv)
    if args.command == "notes":
        sections = changelog_sections(root)
        version = args.tag.removeprefix("v")
        if version not in sections:
            print(f"CHANGELOG.md has no section '## {version}'", file=sys.stderr)
            return 1
        print(sections[version], end="")
        return 0
    if args.command == "fork":
        set_repository(args.url, root)
        print(f"_config.yml:{config_url_line(root)}: url: {read_repository(root)[0]}")
        return 0
    problems = (
        [problem] if args.command == "expect" and (problem := foreign_repository(args.repository, root))
        else release_problems(args.tag, root) if args.command == "release" else []
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
