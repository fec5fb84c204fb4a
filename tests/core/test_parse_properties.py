"""Property tests: papers rendered as pages in either layout parse back unchanged."""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from readinglist.core.dates import LISTING_DATE_MARGIN
from readinglist.core.parse import PageError, ParsedPaper, _classify, parse_page
from readinglist.core.textclean import (
    DecodeError,
    clean_text,
    decode_page_bytes,
    is_clean_utf8_page,
    is_printable,
)

TODAY = date(2026, 11, 25)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

word = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Cf", "Zs", "Zl", "Zp", "Co", "Cn"),
    ),
    min_size=1,
    max_size=12,
)
url = st.builds(
    lambda host, path: f"https://{host}.org/{path}",
    st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_-]{0,12}", fullmatch=True),
)


def _prose(min_words: int, max_words: int):
    return st.lists(st.one_of(word, word, word, url), min_size=min_words, max_size=max_words).map(
        " ".join
    )


def _is_prose(line: str) -> bool:
    lowered = line.lower()
    return (
        _classify(line)[0] == "text"
        and lowered not in {"new", "subscribe", "daily papers"}
        and not lowered.startswith(("get trending papers", "subscribe"))
        and "research community" not in lowered
    )


titles = _prose(1, 14).filter(lambda t: len(t) <= 200 and t.count(". ") <= 1 and _is_prose(t))
abstracts = _prose(1, 60).filter(_is_prose)


@st.composite
def metadata(draw):
    month = draw(st.sampled_from(MONTHS))
    day = draw(st.integers(1, 28))
    year = draw(st.one_of(st.none(), st.integers(2015, 2026)))
    upvotes = draw(st.one_of(st.none(), st.integers(1, 999)))
    date_text = f"{month} {day}" + (f", {year}" if year else "")
    org = draw(
        st.one_of(
            st.none(),
            st.tuples(
                st.from_regex(r"[A-Za-z][A-Za-z0-9-]{1,10}", fullmatch=True),
                st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?", fullmatch=True),
            ),
        )
    )
    authors = None if org else draw(st.integers(1, 300))
    return {"date_text": date_text, "upvotes": upvotes, "org": org, "authors": authors}


@st.composite
def papers(draw, with_meta: bool):
    title = draw(titles)
    abstract = draw(abstracts)
    meta = draw(st.one_of(st.none(), metadata())) if with_meta else None
    return title, abstract, meta


def render_spaced(items, listing: str | None) -> str:
    blocks = [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    ]
    if listing:
        blocks.append(listing)
    for title, abstract, meta in items:
        blocks += [title, abstract]
        if meta:
            first = (
                f"{meta['org'][0]} {meta['org'][1]}"
                if meta["org"]
                else f"  • {meta['authors']} authors"
            )
            last = meta["date_text"] + (f" {meta['upvotes']}" if meta["upvotes"] else "")
            blocks.append(f"{first}\n·\n{last}")
    return "\n\n".join(blocks) + "\n"


def render_compact(items) -> str:
    lines = [
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
    ]
    body = [line for title, abstract, _ in items for line in (title, abstract)]
    body[0] = "Subscribe" + body[0]
    return "\n".join(lines + body)


def check(parsed: tuple[ParsedPaper, ...], items) -> None:
    assert len(parsed) == len(items)
    for paper, (title, abstract, meta) in zip(parsed, items, strict=True):
        assert paper.title == title
        assert paper.abstract == abstract
        if meta:
            assert paper.date_text == meta["date_text"]
            assert paper.upvotes == meta["upvotes"]
            assert paper.authors == meta["authors"]
            if meta["org"]:
                assert (paper.org_id, paper.org) == meta["org"]
            month, day, *year = meta["date_text"].replace(",", "").split()
            if year:
                number = MONTHS.index(month) + 1
                assert paper.date == f"{year[0]}-{number:02d}-{int(day):02d}"
            else:
                assert paper.date is not None and paper.date <= TODAY.isoformat()
        else:
            assert paper.date is None and paper.authors is None and paper.org is None


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@SETTINGS
@given(
    st.lists(papers(with_meta=True), min_size=1, max_size=8),
    st.sampled_from([None, "May 12", "Dec 9"]),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_spaced_layout_round_trip(items, listing, newline, bom):
    items = ends_complete(items)
    text = render_spaced(items, listing).replace("\n", newline)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    parsed = parse_page(decode_page_bytes(data).text, today=TODAY)
    check(parsed.papers, items)
    assert parsed.warnings == ()
    if listing:  # a date without a year falls in the year up to the listing date (+ margin)
        latest = date.fromisoformat(parsed.listing_date) + LISTING_DATE_MARGIN
        for paper in parsed.papers:
            if paper.date and "," not in paper.date_text:
                assert latest - timedelta(days=366) < date.fromisoformat(paper.date) <= latest


def ends_complete(items):
    """A last paper without metadata ends its abstract with a full stop, as real
    abstracts do: stopping mid-sentence there is how a cut-off page ends (skipped on a
    page with metadata, warned about on one without)."""
    title, abstract, meta = items[-1]
    if meta is None:
        items = [*items[:-1], (title, abstract + ".", None)]
    return items


@SETTINGS
@given(
    st.lists(papers(with_meta=False), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_compact_layout_round_trip(items, newline, bom):
    text = render_compact(items).replace("\n", newline)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    parsed = parse_page(decode_page_bytes(data).text, today=TODAY)
    check(parsed.papers, items)
    assert parsed.layout == "compact" or len(items) == 1


@SETTINGS
@given(st.text(st.characters(codec="ascii"), max_size=40) | st.text(max_size=40))
@example("a\x7f")
@example("\x00 \x1f")
@example(" ~")
def test_is_printable_is_str_isprintable(text):
    assert is_printable(text) == text.isprintable()


@SETTINGS
@given(
    bom=st.booleans(),
    before=st.integers(0, 6),  # ASCII bytes short of a 64 KiB piece (the check's) or two
    pieces=st.sampled_from([1, 2]),
    middle=st.binary(max_size=8) | st.text(max_size=4).map(str.encode),
    end=st.sampled_from([b"</p>", b"", b"\xe5\xa4"]),  # the last: a character cut short
)
def test_a_page_is_clean_utf8_exactly_when_it_decodes_without_repair(
    bom, before, pieces, middle, end
):
    """Characters across a piece's end, broken ones, and a page cut inside one."""
    data = b"\xef\xbb\xbf" * bom + b"<p>" + b"x" * ((1 << 16) * pieces - 3 - before) + middle + end
    try:
        clean = not decode_page_bytes(data).warnings
    except DecodeError:
        clean = False
    assert is_clean_utf8_page(data) == clean


@SETTINGS
@given(st.text(max_size=300))
def test_clean_text_never_leaves_controls(text):
    cleaned = clean_text(text)
    assert not any(
        (ord(char) < 32 and char not in "\n\t")
        or 0x7F <= ord(char) <= 0x9F
        or char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for char in cleaned
    )


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_parse_or_refuse_cleanly(data):
    from readinglist.core.textclean import DecodeError

    with contextlib.suppress(PageError, DecodeError):
        parse_page(decode_page_bytes(data).text, today=TODAY)


MARKDOWN_MARKS = ["# ", "### ", "- ", "* ", "+ ", "1. ", "12) ", "> ", "```", "~~~"]


@st.composite
def markdown_documents(draw):
    """Notes in Markdown: lines that would read as titles and abstracts, and among them
    at least one heading, list item, quotation, code fence or table row."""
    lines = draw(st.lists(st.one_of(titles, abstracts), max_size=8))
    marked = draw(st.sampled_from([*MARKDOWN_MARKS, "|"])) + draw(titles)
    marked += " |" if marked.startswith("|") else ""
    assume(_is_prose(marked))  # not "- 3 authors", a metadata line
    lines.insert(draw(st.integers(0, len(lines))), marked)
    return draw(st.sampled_from(["\n", "\n\n"])).join(lines) + "\n"


@SETTINGS
@given(markdown_documents())
def test_markdown_without_the_listings_marks_is_never_papers(text):
    try:
        parsed = parse_page(text, today=TODAY)
    except PageError as refused:
        assert str(refused).startswith("not a Daily Papers page: ")
    else:
        raise AssertionError(f"{len(parsed.papers)} papers from Markdown")


# -- junk: control characters, escape fragments, C1 and bidi characters, broken bytes ------

# Removed wherever they stand, leaving what is paired with them.
ANYWHERE = [
    ("\x1b[31m", ""),
    ("\x1b[0m", ""),
    ("\x1b[?25l", ""),
    ("\x1b[38;5;196m", ""),
    ("\x1b]52;c;aGVsbG8=\x07", ""),
    ("\x1b]8;;https://e.org/\x1b\\", ""),
    ("\x1b]0;title\x9c", ""),
    ("\x1bP1$r\x1b\\", ""),
    ("\x9d", ""),
    ("\x90", ""),
    ("\x9b", ""),
    ("\x9e", ""),
    ("\x80", ""),
    ("â€\x9d", "â€"),
    ("\x01", ""),
    ("\x08", ""),
    ("\x0b", ""),
    ("\x0c", ""),
    ("\x7f", ""),
    ("\x00", ""),
    ("\u202e", ""),
    ("\u2066", ""),
    ("\u200f", ""),
    ("\u061c", ""),
]
TERMINATORS = [("\x07", ""), ("\x9c", ""), ("\x1b\\", "")]  # alone: removed too
# Unfinished: they lose their introducer, and may take a character or two with them (ESC
# before "[" or "P"), so they go into abstracts, where only the paper count is checked.
UNFINISHED = ["\x1b", "\x1b]", "\x1b]0;", "\x1bP", "\x1b_", "\x1b[", "\x9b2J", "\x85", "\u2028"]


def insert(text: str, fragments: list[tuple[str, str]], positions: list[int]):
    """``text`` with each fragment at a distinct position, and with what cleaning leaves."""
    dirty, left, last = [], [], 0
    for (fragment, leftover), position in sorted(
        zip(fragments, positions, strict=False), key=lambda pair: pair[1]
    ):
        dirty += [text[last:position], fragment]
        left += [text[last:position], leftover]
        last = position
    return "".join([*dirty, text[last:]]), "".join([*left, text[last:]])


@st.composite
def with_junk(draw, text: str, junk: list[tuple[str, str]], most: int):
    count = draw(st.integers(0, min(most, len(text) + 1)))
    fragments = draw(st.lists(st.sampled_from(junk), min_size=count, max_size=count))
    positions = draw(
        st.lists(st.integers(0, len(text)), min_size=count, max_size=count, unique=True)
    )
    return insert(text, fragments, positions)


@st.composite
def junk_pages(draw):
    """A page (either layout) with junk in titles and abstracts: (text, items, exact)."""
    spaced = draw(st.booleans())
    items = draw(st.lists(papers(with_meta=spaced), min_size=1, max_size=6))
    items = ends_complete(items) if spaced else items
    unfinished = draw(st.booleans())  # or only junk that goes whole, checked exactly
    in_titles = ANYWHERE if unfinished else ANYWHERE + TERMINATORS
    in_abstracts = [(f, "") for f in UNFINISHED] if unfinished else ANYWHERE + TERMINATORS
    dirty, expected = [], []
    for title, abstract, meta in items:
        dirty_title, clean_title = draw(with_junk(title, in_titles, 2))
        dirty_abstract, clean_abstract = draw(with_junk(abstract, in_abstracts, 2))
        dirty.append((dirty_title, dirty_abstract, meta))
        expected.append((" ".join(clean_title.split()), clean_abstract, meta))
    assume_few_nuls_and_breaks(dirty)
    page = render_spaced(dirty, None) if spaced else render_compact(dirty)
    return page, expected, not unfinished


def assume_few_nuls_and_breaks(items) -> None:
    text = "".join(title + abstract for title, abstract, _ in items)
    assume(text.count("\x00") <= 2 and text.count("\x85") + text.count("\u2028") <= 2)


@SETTINGS
@given(junk_pages())
def test_junk_costs_no_paper_and_no_title(page):
    text, expected, exact = page
    parsed = parse_page(text, today=TODAY).papers
    assert [paper.title for paper in parsed] == [title for title, _, _ in expected]
    for paper, (_title, abstract, _meta) in zip(parsed, expected, strict=True):
        assert not CONTROL.search(paper.title + paper.abstract)
        if exact:
            assert paper.abstract == abstract.strip()


JUNK_BYTES = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F]
JUNK_BYTES += list(range(0x80, 0x100))  # each not UTF-8 here: read as Windows-1252
MARK = "\ue000"  # where a junk byte goes (the pages' text has no private-use characters)


@st.composite
def corrupted_pages(draw):
    """A page (either layout) in UTF-8 with stray bytes in its titles and abstracts."""
    spaced = draw(st.booleans())
    items = draw(st.lists(papers(with_meta=spaced), min_size=1, max_size=6))
    items = ends_complete(items) if spaced else items
    marked = []
    for title, abstract, meta in items:
        marked.append(
            (
                draw(with_junk(title, [(MARK, "")], 2))[0],
                draw(with_junk(abstract, [(MARK, "")], 2))[0],
                meta,
            )
        )
    page = (render_spaced(marked, None) if spaced else render_compact(marked)).encode("utf-8")
    pieces = page.split(MARK.encode("utf-8"))
    junk = draw(
        st.lists(st.sampled_from(JUNK_BYTES), min_size=len(pieces) - 1, max_size=len(pieces) - 1)
    )
    assume(junk.count(0) <= 2)
    data = pieces[0] + b"".join(
        bytes([byte]) + piece for byte, piece in zip(junk, pieces[1:], strict=True)
    )
    return data, items


@SETTINGS
@given(corrupted_pages())
def test_stray_bytes_cost_no_paper_and_no_title(page):
    data, items = page
    parsed = read_bytes(data).papers
    assert len(parsed) == len(items)
    for paper, (title, abstract, _meta) in zip(parsed, items, strict=True):
        assert is_subsequence(" ".join(title.split()), paper.title)
        assert is_subsequence(abstract, paper.abstract)
        assert not CONTROL.search(paper.title + paper.abstract)


def read_bytes(data: bytes):
    return parse_page(decode_page_bytes(data).text, today=TODAY)


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether ``needle``'s characters appear in order in ``haystack`` (whitespace aside)."""
    remaining = iter("".join(haystack.split()))
    return all(char in remaining for char in "".join(needle.split()))


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
JUNKY_TEXT = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from([fragment for fragment, _ in ANYWHERE + TERMINATORS] + UNFINISHED),
        st.characters(min_codepoint=0, max_codepoint=0x9F),
        st.sampled_from("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"),
    ),
    max_size=40,
).map("".join)


@SETTINGS
@given(JUNKY_TEXT)
def test_cleaning_leaves_no_control_character(text):
    cleaned = clean_text(text)
    assert not CONTROL.search(cleaned)
    assert clean_text(cleaned) == cleaned  # nothing left to clean
