"""Tags and reading status through the service, and the filters that read them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readinglist.core.query import parse_query
from readinglist.core.service import BadTagError, ReadingList, UnknownPaperError
from readinglist.core.tags import tag_name, tag_or_none


def first_ids(service: ReadingList, n: int) -> list[int]:
    return [row.id for row in service.papers(sort="title", limit=n)]


def test_tag_names_are_trimmed_and_case_insensitive(loaded: ReadingList):
    a, b, c = first_ids(loaded, 3)
    assert loaded.tag([a, b], "  Thesis ") == "thesis"
    loaded.tag([b, c], "THESIS")
    assert loaded.tag_counts() == [("thesis", 3)]
    assert loaded.tags_of([a, b, c]) == {a: ("thesis",), b: ("thesis",), c: ("thesis",)}


@pytest.mark.parametrize("bad", ["", "   ", "two words", 'say"', "a,b", "x" * 41, "bell\x07"])
def test_a_bad_tag_name_is_a_clear_error_that_changes_nothing(loaded: ReadingList, bad: str):
    [a] = first_ids(loaded, 1)
    with pytest.raises(BadTagError, match="bad tag name"):
        loaded.tag([a], bad)
    assert loaded.tag_counts() == []


def test_an_unknown_id_changes_nothing(loaded: ReadingList):
    a, b = first_ids(loaded, 2)
    loaded.tag([a], "keep")
    with pytest.raises(UnknownPaperError, match="424242"):
        loaded.tag([b, 424242], "new")
    with pytest.raises(UnknownPaperError, match="424242"):
        loaded.tag([a, 424242], "keep", False)
    assert loaded.tag_counts() == [("keep", 1)]


def test_untag_takes_the_tag_off_and_an_unused_tag_is_gone(loaded: ReadingList):
    a, b = first_ids(loaded, 2)
    loaded.tag([a, b], "llm")
    loaded.tag([a], "LLM", False)
    assert loaded.tag_counts() == [("llm", 1)]
    loaded.tag([a, b], "llm", False)  # a carries it no more: nothing to take off
    assert loaded.tag_counts() == []


def test_tagging_twice_counts_once(loaded: ReadingList):
    [a] = first_ids(loaded, 1)
    loaded.tag([a], "x")
    loaded.tag([a], "x")
    assert loaded.tag_counts() == [("x", 1)]


def test_tag_and_status_filters_in_lists_searches_and_counts(loaded: ReadingList):
    a, b, c = first_ids(loaded, 3)
    loaded.tag([a, b], "project")
    loaded.set_statuses({a: "reading", c: "read"})
    listed = {row.id for row in loaded.search_rows("tag:project").rows}
    assert listed == {a, b}
    assert {row.id for row in loaded.search_rows("tag:Project is:reading").rows} == {a}
    assert {row.id for row in loaded.search_rows("is:read").rows} == {c}
    assert loaded.count("is:unread") == loaded.count() - 2
    assert loaded.count("tag:project") == 2
    assert loaded.count("tag:nothing") == 0
    title_word = loaded.get(a).title.split()[0]
    hits = loaded.search_rows(f"{title_word} tag:project").rows
    assert a in {row.id for row in hits}
    assert {row.id for row in hits} <= {a, b}


def test_tags_do_not_survive_their_paper_and_imports_keep_them(loaded: ReadingList, sample_pages):
    [a] = first_ids(loaded, 1)
    loaded.tag([a], "kept")
    loaded.import_pages(sample_pages)  # a re-import never touches the reader's tags
    assert loaded.tags_of([a]) == {a: ("kept",)}


def test_parse_query_reads_tag_and_status_filters():
    parsed = parse_query("bert tag:LLM is:reading tag:x tag:llm")
    assert parsed.text == "bert"
    assert parsed.tags == ("llm", "x")
    assert parsed.status == "reading"
    assert parsed.has_filters
    assert parse_query('tag:"two words"').problems == ('tag:"two words"',)
    assert parse_query("is:done").problems == ("is:done",)


def test_tag_name_is_the_one_rule():
    assert tag_name(" ML-Theory ") == "ml-theory"
    with pytest.raises(BadTagError):
        tag_name("a b")


@given(st.text(max_size=60))
def test_any_text_is_a_tag_name_or_a_clear_error(raw: str):
    name = tag_or_none(raw)
    if name is None:
        with pytest.raises(BadTagError, match="bad tag name"):
            tag_name(raw)
        return
    assert tag_name(raw) == name == tag_name(name)  # stored as spelled once
    assert name == name.strip() and 0 < len(name) <= 40
    assert all(char.isprintable() and not char.isspace() for char in name)
    assert parse_query(f"tag:{name}").tags == (name,)  # a filter finds what was tagged
