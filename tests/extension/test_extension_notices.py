"""Tests of ``lesson_book.extension.notices``: the licence in the footer and in the learner notebooks, the citation."""

from __future__ import annotations

import pytest
import yaml

from lesson_book.book import ROOT, licence_markdown
from lesson_book.extension import notices


def test_licence_markdown_links_both_licences_at_the_repository():
    text = licence_markdown("https://github.com/o/r", "v1.0.0")
    assert "[CC BY 4.0 licence](https://creativecommons.org/licenses/by/4.0/)" in text
    assert "[MIT licence](https://github.com/o/r/blob/v1.0.0/LICENSE.md)" in text


def test_citation_text_from_the_books_citation_file():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    text = notices.citation_text(citation)
    assert text == (
        f"The CNN lesson book contributors ({citation['date-released'][:4]}). "
        f"*Convolutional neural networks with Keras*, version {citation['version']}. <{citation['url']}>"
    )


def test_citation_text_joins_people_and_needs_a_title_authors_and_version():
    people = {"title": "T", "version": "1", "authors": [
        {"given-names": "Ada", "family-names": "Lovelace"}, {"name": "A Team"}]}
    assert notices.citation_text(people) == "Ada Lovelace, A Team. *T*, version 1."
    for missing in ("title", "authors", "version"):
        with pytest.raises(ValueError, match=f"CITATION.cff needs '{missing}'"):
            notices.citation_text({key: value for key, value in people.items() if key != missing})


def test_every_page_of_a_book_has_the_licence_in_its_footer(small_book, soup):
    for name in ("index.html", "setup.html", "lessons/one.html"):
        footer = soup(small_book / name).select(".lesson-licence a")
        assert [link.get("href", "") for link in footer] == [
            notices.CC_BY, "https://github.com/o/small-book/blob/main/LICENSE.md"
        ], name
