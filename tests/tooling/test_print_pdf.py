"""Tests of ``lesson-pdf`` (lesson_book.cli.print_pdf): finding the all-in-one page, calling Chromium, reading the PDF.

Chromium itself is replaced by small shell scripts here; the real print is
checked by the browser tests (tests/browser/test_browser_all_in_one.py) after ``make test``
prints the real book.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lesson_book.cli import print_pdf
from lesson_book.extension.all_in_one import CONTAINER_CLASS, PDF


def _html(folder: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    return folder


HOLDER = f'<div class="{CONTAINER_CLASS} docutils container"><h2>One</h2></div>'
ELSEWHERE = f'<div class="{CONTAINER_CLASS}-episode other"></div>'


def test_all_in_one_page_is_the_page_that_holds_the_episodes(tmp_path):
    html = _html(tmp_path, {"index.html": "<p>home</p>", "pages/all.html": HOLDER,
                            "lessons/one.html": ELSEWHERE, "_static/copy.html": HOLDER})
    assert print_pdf.all_in_one_page(html) == html / "pages" / "all.html"


@pytest.mark.parametrize("pages", [{"index.html": ELSEWHERE}, {"a.html": HOLDER, "b.html": HOLDER}])
def test_all_in_one_page_wants_exactly_one(tmp_path, pages):
    with pytest.raises(ValueError, match="want one page with every episode"):
        print_pdf.all_in_one_page(_html(tmp_path, pages))


def test_pdf_pages_counts_page_objects_not_the_page_tree():
    pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page /Parent 1 0 R>>"
    assert print_pdf.pdf_pages(pdf) == 2
    with pytest.raises(ValueError, match="not a PDF"):
        print_pdf.pdf_pages(b"<html>")


def test_chromium_command_prints_the_page_headless_with_a_fresh_profile(tmp_path):
    command = print_pdf.chromium_command(Path("/usr/bin/chromium"), tmp_path / "a b.html",
                                         tmp_path / "out.pdf", tmp_path / "profile")
    assert command[0] == "/usr/bin/chromium"
    assert {"--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"} <= set(command)
    assert f"--user-data-dir={tmp_path / 'profile'}" in command
    assert f"--print-to-pdf={tmp_path / 'out.pdf'}" in command
    assert command[-1] == (tmp_path / "a b.html").as_uri() + "?pdf"


def _fake_chromium(folder: Path, body: str) -> Path:
    """An executable that stands in for Chromium: a shell script with ``body``."""
    path = folder / "chromium"
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


WRITES_PDF = 'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4 /Type /Page" > "${a#*=}";; esac; done\n'


def test_print_pdf_replaces_the_pdf_only_when_chromium_succeeds(tmp_path):
    page = _html(tmp_path, {"all.html": HOLDER}) / "all.html"
    pdf = tmp_path / PDF
    seconds = print_pdf.print_pdf(page, pdf, _fake_chromium(tmp_path, WRITES_PDF))
    assert seconds >= 0 and print_pdf.pdf_pages(pdf.read_bytes()) == 1
    failing = _fake_chromium(tmp_path, "echo 'no display' >&2\nexit 3\n")
    with pytest.raises(RuntimeError, match=r"exit status 3\):\nno display"):
        print_pdf.print_pdf(page, pdf, failing)
    assert print_pdf.pdf_pages(pdf.read_bytes()) == 1  # the last good PDF stays
    assert not list(tmp_path.glob("*.part"))


def test_main_prints_into_the_html_folder(tmp_path, monkeypatch, capsys):
    html = _html(tmp_path / "html", {"pages/all.html": HOLDER})
    monkeypatch.setattr(print_pdf, "CHROMIUM", _fake_chromium(tmp_path, WRITES_PDF))
    assert print_pdf.main(["--html", str(html)]) == 0
    assert (html / PDF).is_file()
    assert f"html/{PDF}: 1 page," in capsys.readouterr().out


@pytest.mark.parametrize(("ci", "status"), [("", 0), ("true", 1)])
def test_main_without_chromium_says_the_pdf_was_skipped(tmp_path, monkeypatch, capsys, ci, status):
    monkeypatch.setattr(print_pdf, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", ci)
    assert print_pdf.main(["--html", str(tmp_path)]) == status
    assert "PDF skipped: " in capsys.readouterr().err
    assert "apt-get install -y chromium" in print_pdf.INSTALL
