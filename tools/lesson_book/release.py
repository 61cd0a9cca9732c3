"""The release and the fork: writing the repository's address, the fields of ``CITATION.cff`` that repeat it, the changelog, what a release needs.

The address lives in ``_config.yml`` and the version in ``pyproject.toml``
(:mod:`lesson_book.book` reads both).  A fork changes its address with
``make fork REPOSITORY=https://github.com/OWNER/NAME`` (:func:`set_repository`,
then ``lesson-sync``); publishing refuses an address that is not the
workflow's own repository (:func:`foreign_repository`); a release's tag must
be ``v<version>`` with its section in ``CHANGELOG.md`` and a ``CITATION.cff``
that agrees (:func:`release_problems`).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from lesson_book.book import BOOK_CONFIG, GITHUB, ROOT, github_url, read_repository, read_version, release_tag

# The url line of the repository: section in _config.yml: "  url: https://...".
CONFIG_URL = re.compile(r"^(?P<indent>[ \t]+)url:[ \t]*(?P<url>\S+)(?P<rest>.*)$", re.MULTILINE)


def config_url_line(root: Path = ROOT) -> int:
    """The line number of the repository's ``url:`` in ``root/_config.yml``."""
    text = (root / BOOK_CONFIG).read_text(encoding="utf-8")
    url, _ = read_repository(root)
    for number, line in enumerate(text.splitlines(), start=1):
        match = CONFIG_URL.match(line)
        if match and match["url"].rstrip("/") == url:
            return number
    raise ValueError(f"_config.yml: no line 'url: {url}' under repository:")


def set_repository(url: str, root: Path = ROOT) -> None:
    """Write ``url`` as the repository's address in ``root/_config.yml``, keeping the rest as it is."""
    url = github_url(url, "REPOSITORY")
    path = root / BOOK_CONFIG
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
