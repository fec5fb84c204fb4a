"""Property tests: papers rendered as pages in either layout parse back unchanged."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core.dates import LISTING_DATE_MARGIN
from readinglist.core.parse import ParsedPaper, _classify, parse_page
from readinglist.core.textclean import clean_text, decode_page_bytes

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
    """On a page with metadata, a last paper without any ends its abstract with a full
    stop, as real abstracts do: stopping mid-sentence there is how a cut-off page ends."""
    title, abstract, meta = items[-1]
    if meta is None and any(item[2] for item in items[:-1]):
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
    from readinglist.core.parse import PageError
    from readinglist.core.textclean import DecodeError

    with contextlib.suppress(PageError, DecodeError):
        parse_page(decode_page_bytes(data).text, today=TODAY)
