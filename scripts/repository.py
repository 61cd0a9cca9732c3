"""Where the book lives and which release it is: the address in _config.yml, the version in pyproject.toml, CITATION.cff.

The repository's address is written once, under ``repository: url`` in
``_config.yml``; the release once, as ``version`` in ``pyproject.toml`` (a
release is the git tag ``v<version>``).  Everything that names them is made
from these two: the launch links and the setup page's commands (the book's
extension), each notebook's install cell and the learner notebooks
(``scripts/sync_notebooks.py``), and the fields of ``CITATION.cff`` that
repeat them (:func:`citation_problems`, :func:`sync_citation`).

A fork changes its address with ``make fork REPOSITORY=https://github.com/OWNER/NAME``
(:func:`set_repository`, then the sync); publishing refuses an address that is
not the workflow's own repository (:func:`foreign_repository`); a release's tag
must be ``v<version>`` with its section in ``CHANGELOG.md``
(:func:`release_problems`).

    python scripts/repository.py fork https://github.com/OWNER/NAME   # then: make notebooks
    python scripts/repository.py expect OWNER/NAME   # exit 1 unless _config.yml names it
    python scripts/repository.py release v0.1.0      # exit 1 unless the tag can be released
    python scripts/repository.py notes v0.1.0        # that release's section of CHANGELOG.md
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import yaml
from book_files import ROOT
from markdown_it import MarkdownIt

sys.path.insert(0, str(ROOT / "_ext"))  # the book's extension, whose check of the address this uses

from lesson_book.links import GITHUB, check_ref, github_url  # noqa: E402

# The url line of the repository: section in _config.yml: "  url: https://...".
CONFIG_URL = re.compile(r"^(?P<indent>[ \t]+)url:[ \t]*(?P<url>\S+)(?P<rest>.*)$", re.MULTILINE)


def read_repository(root: Path = ROOT) -> tuple[str, str]:
    """``(url, branch)`` from the ``repository:`` section of ``root/_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repository = config.get("repository") or {}
    url, branch = repository.get("url"), repository.get("branch")
    return github_url(url, "_config.yml repository url"), check_ref(branch)


def read_version(root: Path = ROOT) -> str:
    """The support package's version, ``[project] version`` in ``root/pyproject.toml``."""
    with open(root / "pyproject.toml", "rb") as file:
        version = tomllib.load(file).get("project", {}).get("version")
    if not isinstance(version, str) or not re.fullmatch(r"\d+(\.\d+)*", version):
        raise ValueError(f"pyproject.toml [project] version must be like 1.2.0, got {version!r}")
    return version


def release_tag(root: Path = ROOT) -> str:
    """The git tag of this release, ``v<version>``: what the install cells install."""
    return f"v{read_version(root)}"


def config_url_line(root: Path = ROOT) -> int:
    """The line number of the repository's ``url:`` in ``root/_config.yml``."""
    text = (root / "_config.yml").read_text(encoding="utf-8")
    url, _ = read_repository(root)
    for number, line in enumerate(text.splitlines(), start=1):
        match = CONFIG_URL.match(line)
        if match and match["url"].rstrip("/") == url:
            return number
    raise ValueError(f"_config.yml: no line 'url: {url}' under repository:")


def set_repository(url: str, root: Path = ROOT) -> None:
    """Write ``url`` as the repository's address in ``root/_config.yml``, keeping the rest as it is."""
    url = github_url(url, "REPOSITORY")
    path = root / "_config.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = config_url_line(root) - 1
    match = CONFIG_URL.match(lines[number].rstrip("\n"))
    lines[number] = f"{match['indent']}url: {url}{match['rest']}\n"
    path.write_text("".join(lines), encoding="utf-8")
    if read_repository(root)[0] != url:  # pragma: no cover - a guard on the edit itself
        raise ValueError(f"_config.yml: could not set the repository url to {url}")


def foreign_repository(expected: str, root: Path = ROOT) -> str | None:
    """Why ``root`` must not be published from GitHub's ``expected`` (``OWNER/NAME``), or None.

    A fork that publishes with the original address would send its learners
    to someone else's notebooks; the message names the line and the fix.
    """
    url, _ = read_repository(root)
    wanted = github_url(f"https://github.com/{expected}", "the workflow's repository")
    if url.lower() == wanted.lower():
        return None
    return (
        f"_config.yml:{config_url_line(root)}: the repository url is {url}, but this book is "
        f"published from {wanted}: its Colab, Binder and install links would open the other "
        f"repository. Run `make fork REPOSITORY={wanted}`, commit and push."
    )


def pages_url(url: str) -> str:
    """Where GitHub Pages publishes the book of the repository ``url``."""
    match = GITHUB.fullmatch(github_url(url))
    return f"https://{match['owner'].lower()}.github.io/{match['name']}/"


def citation_fields(root: Path = ROOT) -> dict[str, str]:
    """The fields of ``CITATION.cff`` that repeat the address and the version."""
    url, _ = read_repository(root)
    return {"version": read_version(root), "repository-code": url, "url": pages_url(url)}


def _citation_field(key: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(key)}:[ \t]*(?P<value>.*)$", re.MULTILINE)


def citation_problems(root: Path = ROOT) -> list[str]:
    """How ``root/CITATION.cff`` disagrees with ``_config.yml`` and ``pyproject.toml`` (none if absent)."""
    path = root / "CITATION.cff"
    if not path.exists():
        return []
    found = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        f"CITATION.cff: {key} is {found.get(key)!r}, the book's is {value!r}"
        for key, value in citation_fields(root).items()
        if str(found.get(key)) != value
    ]


def sync_citation(root: Path = ROOT) -> None:
    """Rewrite the fields of ``root/CITATION.cff`` that :func:`citation_fields` names, in place."""
    path = root / "CITATION.cff"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    for key, value in citation_fields(root).items():
        pattern = _citation_field(key)
        if not pattern.search(text):
            raise ValueError(f"CITATION.cff has no top-level {key}: line")
        text = pattern.sub(lambda _: f'{key}: "{value}"', text, count=1)
    path.write_text(text, encoding="utf-8")


def changelog_sections(root: Path = ROOT) -> dict[str, str]:
    """``root/CHANGELOG.md``'s second-level sections by their heading's first word (``Unreleased``, ``0.1.0``...)."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [
        (tokens[index + 1].content.split()[0], token.map)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2" and tokens[index + 1].content.split()
    ]
    ends = [lines_map[0] for _, lines_map in headings[1:]] + [len(lines)]
    return {
        word: "\n".join(lines[lines_map[1]:end]).strip() + "\n"
        for (word, lines_map), end in zip(headings, ends)
    }


def changelog_versions(root: Path = ROOT) -> list[str]:
    """The versions (and ``Unreleased``) that ``root/CHANGELOG.md`` has sections for, in its order."""
    return list(changelog_sections(root))


def release_problems(tag: str, root: Path = ROOT) -> list[str]:
    """Why the git tag ``tag`` cannot be released from ``root`` (nothing when it can)."""
    problems = []
    if tag != release_tag(root):
        problems.append(f"the tag {tag} is not v + pyproject.toml's version ({release_tag(root)})")
    if read_version(root) not in changelog_versions(root):
        problems.append(f"CHANGELOG.md has no section '## {read_version(root)}'")
    return problems + citation_problems(root)


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
