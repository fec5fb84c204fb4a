"""Issue 18's query fields: ``author:NAME``, ``has:arxiv``, words of author names and
keywords found by search, and the ``stars`` order; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.core.query import parse_query
from readinglist.core.service import ReadingList
from tests.hf_builder import item, write


def person(name: str) -> dict[str, object]:
    return {"name": name, "hidden": False}


PAPERS = [
    item(
        id="2601.00001",
        title="Scaling Laws for Neural Language Models",
        authors=[person("Jared Kaplan"), person("Sam McCandlish")],
        ai_keywords=["power laws", "compute budget"],
        githubStars=120,
    ),
    item(
        id="2601.00002",
        title="Attention Is All You Need Again",
        authors=[person("Ashish Vaswani"), person("Noam Shazeer")],
        ai_keywords=["transformers", "self-attention"],
        githubStars=None,
    ),
    item(
        id="2601.00003",
        title="Über Residual Streams",
        authors=[person("Jürgen Müller")],
        ai_keywords=["interpretability"],
        githubStars=7,
    ),
]
TEXT_ONLY = "A Paper From a Text Page"


@pytest.fixture
def papers(service: ReadingList, tmp_path: Path) -> ReadingList:
    service.import_pages([write(tmp_path, "day.json", json.dumps(PAPERS))])
    page = f"Daily Papers\n\n{TEXT_ONLY}\n\nAn abstract about kaplan meier curves.\n"
    service.import_pages([write(tmp_path, "text.txt", page)])
    return service


def titles(service: ReadingList, query: str, **options: object) -> list[str]:
    return [row.title for row in service.search_rows(query, **options).rows]  # type: ignore[arg-type]


def test_the_new_filters_are_parsed_with_quotes_and_any_case():
    parsed = parse_query('AUTHOR:"Jared Kaplan" Has:arXiv scaling')
    assert (parsed.author, parsed.has_arxiv, parsed.text) == ("Jared Kaplan", True, "scaling")
    assert parsed.has_filters and not parsed.problems
    assert parse_query("author:").problems == ("author:",)  # no name: said, not ignored


def test_author_filter_finds_part_of_a_name_in_any_case(papers: ReadingList):
    assert titles(papers, "author:kaplan") == ["Scaling Laws for Neural Language Models"]
    assert titles(papers, 'author:"noam shazeer"') == ["Attention Is All You Need Again"]
    assert titles(papers, "author:Müller") == ["Über Residual Streams"]
    assert titles(papers, "author:nobody") == []


def test_author_filter_takes_like_wildcards_literally(papers: ReadingList):
    assert titles(papers, "author:%") == [] and titles(papers, "author:_") == []


def test_has_arxiv_keeps_only_papers_with_an_id(papers: ReadingList):
    found = titles(papers, "has:arxiv")
    assert len(found) == 3 and TEXT_ONLY not in found
    assert TEXT_ONLY in titles(papers, "")


def test_filters_combine_with_words(papers: ReadingList):
    assert titles(papers, "scaling has:arxiv") == ["Scaling Laws for Neural Language Models"]
    assert titles(papers, "page has:arxiv") == []
