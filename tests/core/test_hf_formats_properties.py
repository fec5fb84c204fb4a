"""Property tests: outside text in saved pages and API JSON is cleaned; junk never crashes."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readinglist.core.hf_html import _plain_tag_end, unescape
from readinglist.core.hf_pages import parse_rich_page, parse_saved_page_bytes
from readinglist.core.parse import PageError
from readinglist.core.textclean import clean_line, clean_text
from tests.hf_builder import (
    API_ITEMS,
    hydrater,
    item,
    rich,
    saved_page,
)

# -- properties ----------------------------------------------------------------------------

outside_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | outside_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["paper", "title", "id", "summary", "name"]), children)
    ),
    max_leaves=12,
)
fields = st.sampled_from(
    ["title", "summary", "id", "authors", "organization", "upvotes", "githubRepo",
     "projectPage", "ai_summary", "ai_keywords", "submittedOnDailyAt", "withdrawnAt"]
)  # fmt: skip


def _abstract_as_cleaned(summary: str) -> str:
    """A summary as the text cleaners make an abstract of it: paragraphs at blank lines,
    each paragraph's lines unwrapped."""
    paragraphs = re.split(r"\n\s*\n", clean_text(summary))
    return "\n\n".join(" ".join(part.split()) for part in paragraphs if part.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=outside_text, summary=outside_text, org=outside_text, name=outside_text)
def test_outside_text_round_trips_cleaned(title, summary, org, name):
    entry = item(title=f"T {title}", summary=summary, authors=[{"name": name}], ai_keywords=[org])
    entry["paper"]["organization"] = {"name": "h", "fullname": org}
    entry["summary"] = summary  # else the item's own abstract stands in for an empty one
    abstract = _abstract_as_cleaned(summary)
    for text in (json.dumps([entry]), saved_page([entry], quote="'", crlf=True)):
        [paper] = rich(text).papers
        assert paper.title == clean_line(f"T {title}")
        assert paper.abstract == abstract
        assert paper.author_names == ((clean_line(name),) if clean_line(name) else ())
        assert paper.org == (clean_line(org) or "h")
        assert paper.keywords == ((clean_line(org),) if clean_line(org) else ())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alphabet=st.sampled_from([" ab", " a\tb\u00a0\u200ec\n\x1b"]), data=st.data())
def test_each_field_is_cleaned_as_alone_whatever_the_others_hold(alphabet, data):
    text = st.text(st.sampled_from(alphabet), max_size=6)
    title, summary_line = data.draw(text), data.draw(text)
    names, keywords = data.draw(st.lists(text, max_size=4)), data.draw(st.lists(text, max_size=4))
    # One check over the item's strings stands for each field's: never a wrong one.
    entry = item(
        title=f"T{title}",
        ai_summary=summary_line,
        authors=[{"name": name} for name in names],
        ai_keywords=keywords,
    )
    [paper] = rich(json.dumps([entry])).papers
    assert paper.title == clean_line(f"T{title}")
    assert paper.ai_summary == (clean_line(summary_line) or None)
    assert paper.author_names == tuple(filter(None, map(clean_line, names)))
    assert paper.keywords == tuple(dict.fromkeys(filter(None, map(clean_line, keywords))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alphabet=st.sampled_from(["a \n", "ab \n\n", " é\n", "a \n\r", "a \n\t\x1b"]),
    data=st.data(),
)
def test_line_breaks_are_unwrapped_as_the_cleaners_unwrap_them(alphabet, data):
    # arXiv's hard line breaks in abstracts (and titles): unwrapped without the cleaners
    # when nothing else needs cleaning, and always to what the cleaners make of them.
    text = st.text(st.sampled_from(alphabet), max_size=12)
    summary, title = data.draw(text), data.draw(text)
    names = data.draw(st.lists(text, max_size=3))
    entry = item(title=f"T{title}", summary=summary, authors=[{"name": name} for name in names])
    entry["summary"] = summary
    for text in (json.dumps([entry]), saved_page([entry])):  # the saved page from its bytes too
        [paper] = rich(text).papers
        assert paper.abstract == _abstract_as_cleaned(summary)
        assert paper.title == clean_line(f"T{title}")
        assert paper.author_names == tuple(filter(None, map(clean_line, names)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=fields, junk=json_junk, top=json_junk)
def test_junk_in_any_field_never_crashes(field, junk, top):
    for shape in ([item(**{field: junk}), top], item(**{field: junk}), top, {"paper": junk}):
        for text in (json.dumps(shape), saved_page(shape if isinstance(shape, list) else [shape])):
            try:
                parse_rich_page(text)  # None for a bare scalar: that is a text page
            except PageError as error:
                assert str(error) and "\n" not in str(error)


@settings(max_examples=100, deadline=None)
@given(junk=st.text(alphabet="<>!-/?&#;'\"= abcdiv\n[]{}", max_size=200))
@example(junk="<![;")  # html.parser's marked sections raised AssertionError
@example(junk="<![x ")
def test_junk_html_is_an_error_never_a_crash(junk):
    for text in ("<!DOCTYPE html>" + junk, "<div " + junk + saved_page(API_ITEMS)):
        for read in (parse_rich_page, lambda text: parse_saved_page_bytes(text.encode())):
            try:
                page = read(text)
            except PageError as error:
                assert str(error) and "\n" not in str(error)
            else:
                assert page is None or page.papers


# Markup around the listing with what ``\s`` reads as a space beyond ASCII (NBSP, NEL,
# ideographic and other spaces), letters whose UTF-8 holds those Latin-1 spaces' bytes
# (à is C3 A0, Å is C3 85), and quotes that may or may not swallow the listing's tag.
_around_listing = st.lists(
    st.sampled_from(
        ["<a", " b", "=", "c", '"', "'", ">", "</a>", "<!--", "-->", "é", "à", "Å", "大",
         "\u00a0", "\u0085", "\u3000", "\u2028", "\u2009", "\u1680", "\u202f", "\u205f",
         "\t", "\n"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_around_listing, after=_around_listing, bom=st.booleans(), stray=st.booleans())
@example(before="<a b=\u3000'", after="'>", bom=False, stray=False)  # text: no listing
@example(before="<a b=à'", after="'>", bom=True, stray=False)
def test_a_saved_page_read_from_its_bytes_is_the_page_read_as_text(before, after, bom, stray):
    """The bytes are read as Latin-1 up to the listing: where that could read the markup
    otherwise than the decoded page does, the page is declined and read as text."""
    props = {"dateString": "2026-03-06", "dailyPapers": [item(title=f"T {after} x")]}
    page = f"<!DOCTYPE html><html><body>{before}{hydrater('DailyPapers', props)}{after}</body>"
    data = (b"\xef\xbb\xbf" if bom else b"") + page.encode()
    if stray:  # a byte that is not UTF-8, in the listing's title
        data = data.replace(b"T ", b"T \xff", 1)
    try:
        from_bytes: object = parse_saved_page_bytes(data)
    except PageError as error:
        from_bytes = str(error)
    try:
        as_text: object = parse_rich_page(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        assert from_bytes is None  # msgspec refused the listing's bytes: read as text
        return
    except PageError as error:
        as_text = str(error)
    assert from_bytes is None or from_bytes == as_text


@given(st.text(alphabet="&;#amplgtquox0123479 <>\"'", max_size=80), st.data())
def test_unescaping_the_listing_is_html_unescape(text, data):
    assert unescape(text) == html.unescape(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert unescape(text, start, end) == html.unescape(text[start:end])  # read in place


def test_unescaping_a_long_listing_in_place_is_html_unescape():
    text = 'x="' + "&quot;a&quot;:&quot;b &amp; c&#39;&quot;, " * 5000 + '"'
    for start, end in ((0, len(text)), (3, len(text) - 1), (20_000, 20_001), (9, 70_000)):
        assert unescape(text, start, end) == html.unescape(text[start:end])


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


# Start tags near the plain shape, and off it by a character or two.
_attribute = _joined(
    st.sampled_from([" ", "  ", "\n", "/", ""]),
    st.sampled_from(["class", "data-props", "a:b", "v", "é", '"', "x'y"]),
    st.sampled_from(["=", "==", "", " = "]),
    st.sampled_from(['"x y"', "'x'", '"a>b"', "x", '"', '"DailyPapers"', '""', '"\n&quot;"']),
)
start_tags = _joined(
    st.sampled_from(["<div", "<a", "<x-y", "<a1", "<é", "<"]),
    st.lists(_attribute, max_size=5).map("".join),
    st.sampled_from([">", "/>", "", " >", "x", ">>"]),
)


@settings(max_examples=300)
@given(start_tags)
@example('<div class="a b" data-target="DailyPapers" data-props="{&quot;a&quot;: 1}">')
@example('<div data-props="x"y>')
@example('<div  a="x">')
def test_a_plain_tag_ends_where_html_parser_ends_it(text):
    """The DailyPapers tag is read by find() where its shape is plain: the same end."""
    end = _plain_tag_end(text, 0)
    if end >= 0:
        parser = HTMLParser()
        parser.rawdata = text
        assert end == parser.check_for_whole_start_tag(0)
