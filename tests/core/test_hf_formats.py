"""Saved Daily Papers web pages and the API's JSON: recognised by content, read safely.

Pages are built by ``tests/hf_builder.py`` from the real item and paper object.
"""

from __future__ import annotations

import contextlib
import html
import json
from dataclasses import replace

import pytest

from readinglist.core.hf_pages import parse_rich_page, parse_saved_page_bytes
from readinglist.core.parse import PageError, ParsedPage, read_page
from readinglist.core.textclean import DecodeError, clean_line, decode_page_bytes
from tests.hf_builder import (
    API_ITEMS,
    CSRF_TOKEN,
    NASTY_TITLE,
    PAPER_OBJECT,
    TODAY,
    USER_NAME,
    item,
    rich,
    saved_page,
    single_file_save,
    write,
)

# -- saved pages ---------------------------------------------------------------------------

VARIANTS = [
    {},
    {"quote": "'"},
    {"order": "props-first"},
    {"order": "raw-angles"},
    {"crlf": True},
    {"complete": True, "base": True},
    {"logged_in": True, "quote": "'", "crlf": True, "order": "props-first"},
]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: ",".join(v) or "plain")
def test_a_saved_page_is_read_whatever_the_browser_did(tmp_path, variant):
    path = write(tmp_path, "page.txt", saved_page(API_ITEMS, **variant))  # content, not name
    page = read_page(path, today=TODAY)
    assert page.listing_date == "2026-03-06"
    assert page.warnings == ()
    [paper] = page.papers
    assert paper.title == "Large Multimodal Models as General In-Context Classifiers"
    assert paper.abstract.startswith("Which multimodal model should we use for classification?")
    assert paper.arxiv_id == "2602.23229"
    assert paper.author_names == (
        "Marco Garosi",
        "Matteo Farina",
        "Alessandro Conti",
        "Massimiliano Mancini",
        "Elisa Ricci",
    )
    assert paper.authors == 5
    assert (paper.org, paper.org_id) == ("Multimedia and Human Understanding Group", "MHUGLab")
    assert (paper.date, paper.date_text, paper.upvotes) == ("2026-03-06", "Mar 6, 2026", 10)
    assert paper.links == (
        "https://github.com/marco-garosi/CIRCLE",
        "https://circle-lmm.github.io/",
    )
    assert (paper.github_repo, paper.github_stars) == ("https://github.com/marco-garosi/CIRCLE", 9)
    assert paper.project_page == "https://circle-lmm.github.io/"
    assert paper.ai_summary and paper.ai_summary.startswith("Large Multimodal Models demonstrate")
    assert paper.keywords[:2] == ("Vision-Language Models", "Large Multimodal Models")
    assert len(paper.keywords) == 9
    assert paper.withdrawn is False


ENCODINGS = {
    "utf-8": lambda page: page.encode(),
    "utf-8 with BOM": lambda page: page.encode("utf-8-sig"),
    "utf-16": lambda page: page.encode("utf-16"),
    "a stray byte": lambda page: page.encode().replace("Aé".encode(), b"A\xe9", 1),
    "Å before the listing": lambda page: page.replace("<main", "<p title=Å", 1).encode(),
}
READ_FROM_BYTES = {"utf-8", "utf-8 with BOM"}


@pytest.mark.parametrize("name", ENCODINGS)
def test_a_saved_page_file_reads_the_same_in_any_encoding(tmp_path, name):
    """Most files are read from their bytes, the rest decoded first: the same papers."""
    page = saved_page([item(title="Aé 大 ok"), *API_ITEMS])
    path = tmp_path / "page.html"
    path.write_bytes(ENCODINGS[name](page))
    read = read_page(path, today=TODAY)
    expected = rich(page)
    assert read.papers == expected.papers  # é in Windows-1252 is é
    stray = ("1 byte is not UTF-8; read as Windows-1252",)
    assert read.warnings == (stray if b"A\xe9" in path.read_bytes() else ())
    assert (parse_saved_page_bytes(path.read_bytes()) is not None) == (name in READ_FROM_BYTES)


def read_as_text(data: bytes) -> ParsedPage | str:
    """What a page reads as decoded whole first (``read_page`` before it read bytes)."""
    try:
        decoded = decode_page_bytes(data)
        page = parse_rich_page(decoded.text)
    except (DecodeError, PageError) as error:
        return str(error)
    assert page is not None
    return replace(page, warnings=decoded.warnings + page.warnings)


LISTING = '<div class="SVELTE_HYDRATER contents" data-target="DailyPapers"'
ODD_BYTES = {
    "a stray byte before the listing": lambda data: data.replace(b"<main", b"<p>caf\xe9</p><main"),
    "a stray byte in a field not read": lambda data: data.replace(
        b"&quot;paper&quot;", b"&quot;mediaUrls&quot;: &quot;\xff&quot;, &quot;paper&quot;", 1
    ),
    "a stray byte after the listing": lambda data: data.replace(b"</body>", b"\xe9</body>"),
    "NULs after the listing": lambda data: data.replace(b"</body>", b"\x00" * 200 + b"</body>"),
    "an unquoted listing with a wide space": lambda data: _unquoted_listing(data),
}


def _unquoted_listing(data: bytes) -> bytes:
    """The listing as compact JSON in an unquoted ``data-props``, a title holding U+3000:
    decoded, the value ends at that space (``\\s``); read as bytes, it would not."""
    props = {"dateString": "2026-03-06", "dailyPapers": [{"paper": {"title": "A\u3000B"}}]}
    value = json.dumps(props, separators=(",", ":"), ensure_ascii=False).replace('"', "&quot;")
    start = data.index(b'data-props="', data.index(LISTING.encode()))
    end = data.index(b'"></div>', start)
    return data[:start] + f"data-props={value}></div>".encode() + data[end + 8 :]


@pytest.mark.parametrize("name", ODD_BYTES)
def test_a_saved_page_reads_from_its_bytes_as_it_reads_decoded(tmp_path, name):
    """Whatever the bytes hold outside the listing's fields, the page reads as it did
    decoded whole: its warnings, a binary file refused, a listing cut short."""
    data = ODD_BYTES[name](saved_page([item(title="A \u3000 B"), *API_ITEMS]).encode())
    assert LISTING.encode() in data
    path = tmp_path / "odd.html"
    path.write_bytes(data)
    expected = read_as_text(data)
    try:
        read: ParsedPage | str = read_page(path, today=TODAY)
    except PageError as error:
        read = str(error)
    assert read == expected


@pytest.mark.parametrize("period", ["week", "month"])
def test_week_and_month_pages_keep_each_papers_own_listing_day(tmp_path, period):
    days = ["2026-03-02", "2026-03-04", "2026-03-04"]
    items = [
        item(title=f"Paper {n}", id=f"2603.0000{n}", submittedOnDailyAt=f"{day}T08:00:00.000Z")
        for n, day in enumerate(days)
    ]
    page = read_page(
        write(tmp_path, "week.html", saved_page(items, period=period, date_string="2026-03-02")),
        today=TODAY,
    )
    assert page.listing_date == "2026-03-02"
    assert [paper.date for paper in page.papers] == days


def test_a_page_whose_listing_date_is_not_a_day_falls_back_to_the_papers_days(tmp_path):
    items = [item(title=f"P{n}", submittedOnDailyAt="2026-03-04T01:00:00Z") for n in range(2)]
    page = read_page(write(tmp_path, "w.html", saved_page(items, date_string="2026-W10")))
    assert page.listing_date == "2026-03-04"


def test_optional_fields_may_be_missing_or_null(tmp_path):
    bare = {"paper": {"id": "2603.11111", "title": "Bare", "summary": "Only an abstract."}}
    nulls = item(
        title="Nulls", organization=None, githubRepo=None, projectPage=None, ai_keywords=None
    )
    nulls["organization"] = None
    nulls["paper"].update(githubStars=None, ai_summary=None, upvotes=None, authors=None)
    page = read_page(write(tmp_path, "p.html", saved_page([bare, nulls])), today=TODAY)
    assert page.warnings == ()
    for paper in page.papers:
        assert (paper.org, paper.org_id, paper.upvotes, paper.authors) == (None, None, None, None)
        assert (paper.github_repo, paper.github_stars, paper.ai_summary) == (None, None, None)
        assert (paper.keywords, paper.author_names, paper.links) == ((), (), ())
    # a day's page: the paper without its own date has the page's
    assert page.papers[0].date == page.papers[1].date == "2026-03-06"


def test_the_top_level_organization_stands_in_for_the_papers():
    entry = item()
    del entry["paper"]["organization"]
    entry["organization"] = {"name": "acme", "fullname": "Acme Research"}
    [paper] = rich(json.dumps(entry)).papers
    assert (paper.org, paper.org_id) == ("Acme Research", "acme")


def test_withdrawn_and_old_style_and_versioned_ids(tmp_path):
    items = [
        item(title="Withdrawn", withdrawnAt="2026-03-07T10:00:00.000Z"),
        item(title="Old style", id="hep-th/9901001v2"),
        item(title="Subject class", id="math.AG/0101001"),
        item(title="Versioned", id="2602.23229v3"),
        item(title="Capital V", id="2602.23230V2"),
        item(title="Junk id", id="../../etc/passwd"),
        item(title="Number id", id=2602.23229),
    ]
    papers = read_page(write(tmp_path, "p.html", saved_page(items))).papers
    assert [paper.withdrawn for paper in papers] == [True] + [False] * 6
    assert [paper.arxiv_id for paper in papers] == [
        "2602.23229",
        "hep-th/9901001",
        "math.AG/0101001",
        "2602.23229",
        "2602.23230",
        None,
        None,
    ]


def test_titles_keep_entities_markup_and_quotes_literally_but_lose_controls(tmp_path):
    for variant in VARIANTS:
        page = saved_page([item(title=NASTY_TITLE)], **variant)
        [paper] = read_page(write(tmp_path, "p.html", page)).papers
        assert paper.title == clean_line(NASTY_TITLE)
        assert paper.title.startswith(
            'Attention & <Memory> "quoted" it\'s [bold]x[/bold] [/] &amp;'
        )
        assert "\x1b" not in paper.title and "\x07" not in paper.title


def test_links_are_http_only_repo_first_then_project_then_abstract(tmp_path):
    entry = item(
        githubRepo="javascript:alert(1)",
        projectPage="https://example.org/project",
        summary="See https://example.org/project and ftp://files.example.org/x "
        "and https://code.example.org/repo.",
    )
    [paper] = read_page(write(tmp_path, "p.html", saved_page([entry]))).papers
    assert paper.github_repo is None
    assert paper.links == ("https://example.org/project", "https://code.example.org/repo")


# -- the API's JSON ------------------------------------------------------------------------


def test_an_api_array_an_item_and_a_paper_object_are_each_recognised(tmp_path):
    array = read_page(write(tmp_path, "a.dat", json.dumps(API_ITEMS)))
    single = read_page(write(tmp_path, "b", json.dumps(API_ITEMS[0])))
    paper = read_page(write(tmp_path, "c.txt", json.dumps(PAPER_OBJECT, indent=2)))
    assert array.papers == single.papers
    assert array.listing_date == "2026-03-06"
    [hallucinate] = paper.papers
    assert (hallucinate.arxiv_id, hallucinate.date, paper.listing_date) == (
        "2509.04664",
        "2025-09-08",
        "2025-09-08",
    )
    assert hallucinate.author_names[0] == "Adam Tauman Kalai"


def test_the_api_listing_date_is_the_most_common_day():
    days = ["2026-03-05", "2026-03-06", "2026-03-06"]
    items = [item(title=f"T{n}", submittedOnDailyAt=f"{d}T23:59:00Z") for n, d in enumerate(days)]
    assert rich(json.dumps(items)).listing_date == "2026-03-06"
    undated = [item(title="U", submittedOnDailyAt=None)]
    assert rich(json.dumps(undated)).listing_date is None


def test_abstracts_unwrap_hard_line_breaks_and_keep_paragraphs():
    paper = dict(PAPER_OBJECT, summary="First line\nwraps here.\r\n\r\n  Second\tparagraph\n")
    [parsed] = rich(json.dumps(paper)).papers
    assert parsed.abstract == "First line wraps here.\n\nSecond paragraph"
    [real] = rich(json.dumps(PAPER_OBJECT)).papers
    assert "\n" not in real.abstract
    assert real.abstract.startswith("Like students facing hard exam questions, large language")


def test_malformed_items_are_skipped_with_a_warning_not_the_page():
    items = [
        42,
        None,
        {"paper": {"title": None, "summary": "no title"}},
        {"paper": {"title": ["nested"], "summary": {"junk": 1}}},
        item(title="Good", upvotes=10**30, githubStars=-4, authors="many", ai_keywords=[1, None]),
        item(title="Odd types", upvotes=True, organization=[], withdrawnAt={"x": 1}),
    ]
    page = rich(json.dumps(items))
    assert [paper.title for paper in page.papers] == ["Good", "Odd types"]
    good, odd = page.papers
    assert (good.upvotes, good.github_stars, good.authors, good.keywords) == (None, None, None, ())
    assert (odd.upvotes, odd.withdrawn) == (None, False)
    assert odd.org == "Multimedia and Human Understanding Group"  # the top level's
    assert len(page.warnings) == 4
    assert page.warnings[0] == "item 1: skipped (not an object)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"kind": "model", "id": 3}', "JSON, but not a Daily Papers item"),
        ("[1, 2, 3]", "no readable papers in 3 items"),
        ("[]", "no papers found"),
        ('{"paper": ', "broken JSON"),
        ('{"paper": "cut', "(Unterminated string starting at line 1 column 11)"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[" + "9" * 5000 + "]", "too large"),
        ("<!DOCTYPE html><html><body><p>Hello</p></body></html>", "without the DailyPapers"),
        (saved_page(API_ITEMS).replace("dailyPapers", "other"), "has no list of papers"),
    ],
)
def test_json_or_html_that_is_not_a_listing_is_a_one_line_error(tmp_path, content, reason):
    with pytest.raises(PageError) as raised:
        read_page(write(tmp_path, "x.json", content))
    message = str(raised.value)
    assert message.startswith("not a Daily Papers page: ")
    assert reason in message and "\n" not in message


@pytest.mark.parametrize(("period", "expected"), [("day", "2026-03-06"), ("week", None)])
def test_a_days_paper_without_its_own_date_has_the_pages(tmp_path, period, expected):
    undated = item(title="Undated", submittedOnDailyAt=None)
    page = saved_page([undated, item()], date_string="2026-03-06", period=period)
    papers = read_page(write(tmp_path, "p.html", page), today=TODAY).papers
    assert [paper.date for paper in papers] == [expected, "2026-03-06"]
    assert papers[0].date_text == ("Mar 6, 2026" if expected else None)


def test_a_date_later_than_a_paper_can_be_from_is_dropped(tmp_path):
    future = item(title="From the future", submittedOnDailyAt="9999-12-31T00:00:00.000Z")
    for name, content in (
        ("p.html", saved_page([future, item()], date_string="9999-12-31")),
        ("p.json", json.dumps([future, item()])),
    ):
        page = read_page(write(tmp_path, name, content), today=TODAY)
        assert [paper.date for paper in page.papers] == [None, "2026-03-06"]
        assert page.listing_date in (None, "2026-03-06")


@pytest.mark.parametrize("logged_in", [False, True])
def test_a_page_cut_short_inside_its_listing_says_so(tmp_path, logged_in):
    page = saved_page(API_ITEMS, logged_in=logged_in)
    cut = page[: page.index('contents" data-target="DailyPapers"') + 400]
    with pytest.raises(PageError) as raised:
        read_page(write(tmp_path, "cut.html", cut))
    message = str(raised.value)
    assert message.startswith("the saved page ends inside its Daily Papers listing")
    assert CSRF_TOKEN not in message and USER_NAME not in message


def test_text_pages_that_start_like_markup_are_still_text_pages():
    assert parse_rich_page("[Re] Reproducing Attention\nWe reproduce a paper.\n") is None
    assert parse_rich_page("{Braces} in a title\nAn abstract.\n") is None
    assert parse_rich_page("<3 Papers we love\nAn abstract.\n") is None


@pytest.mark.parametrize(
    "tag",
    [
        '<DIV DATA-PROPS="{props}" Data-Target=DailyPapers CLASS="SVELTE_HYDRATER contents">',
        "<div\n\tclass = 'SVELTE_HYDRATER contents'\r\n data-target = 'DailyPapers'\n"
        "  data-props = '{props}' />",
        '<div data-props="{props}" hidden data-target="DailyPapers">',
    ],
)
def test_the_element_is_found_however_its_tag_is_written(tag):
    props = html.escape(json.dumps({"dateString": "2026-03-06", "dailyPapers": API_ITEMS}))
    page = f"<!DOCTYPE html>\n<body>{tag.format(props=props)}</div></body>"
    [paper] = rich(page).papers
    assert paper.arxiv_id == "2602.23229"


@pytest.mark.parametrize(
    "before", ["<![CDATA[ x", "<![if !IE]><p>old</p><![endif]>", "<![;", "<![ x ]]> <![>"]
)
def test_marked_sections_before_the_element_are_bogus_comments_as_in_a_browser(before):
    page = saved_page(API_ITEMS).replace("<body>", f"<body>{before}", 1)
    [paper] = rich(page).papers
    assert paper.arxiv_id == "2602.23229"


def test_an_empty_listing_says_so(tmp_path):
    with pytest.raises(PageError, match=r"^the Daily Papers listing is empty"):
        read_page(write(tmp_path, "empty.html", saved_page([])))


@pytest.mark.parametrize(
    ("encoding", "charset"),
    [
        ("quoted-printable", "utf-8"),
        ("quoted-printable", None),  # Chrome's: no charset declared
        ("binary", None),
        ("base64", None),
        ("8bit", "windows-1252"),  # a wrong label: the bytes decide, as for a .html file
    ],
)
def test_a_single_file_save_is_read_like_the_page(tmp_path, encoding, charset):
    names = ["Ömer Çağlar", "Jörg Müller", "王小明", "Łukasz Kaiser"]
    entry = item(title="Überraschend: Café – naïve “quotes”", authors=[{"name": n} for n in names])
    page = saved_page([*API_ITEMS, item(title=NASTY_TITLE), entry], logged_in=True)
    archive = tmp_path / "page.mhtml"
    archive.write_bytes(single_file_save(page, encoding=encoding, charset=charset))
    read = read_page(archive, today=TODAY)
    assert read == read_page(write(tmp_path, "p.html", page))
    assert read.papers[-1].author_names == tuple(names) and not read.warnings


def test_a_single_file_save_without_a_page_says_so(tmp_path):
    no_page = single_file_save(saved_page(API_ITEMS)).replace(b"text/html", b"text/plain")
    (tmp_path / "other.mhtml").write_bytes(no_page)
    with pytest.raises(PageError, match="MHTML"):
        read_page(tmp_path / "other.mhtml")


def test_ids_links_and_keywords_are_normalised():
    entry = item(
        id="arXiv:2602.23229v2",
        githubRepo="https://github.com/a b",
        projectPage=" https://example.org/p ",
        ai_keywords=["LLMs", " LLMs ", "", "agents"],
    )
    [paper] = rich(json.dumps(entry)).papers
    assert paper.arxiv_id == "2602.23229"
    assert (paper.github_repo, paper.project_page) == (None, "https://example.org/p")
    assert paper.keywords == ("LLMs", "agents")


def test_raw_control_characters_in_json_strings_are_cleaned_not_fatal():
    text = json.dumps([item(title="Bell TITLE")]).replace("TITLE", "\x1b[31mred\x07")
    [paper] = rich(text).papers
    assert paper.title == "Bell red"


def test_many_bad_items_give_a_bounded_list_of_warnings():
    page = rich(json.dumps([*range(50), API_ITEMS[0]]))
    assert len(page.papers) == 1
    assert len(page.warnings) == 21
    assert page.warnings[-1] == "30 more items have problems (not listed)"


def test_parsing_leaves_the_cycle_collector_as_it_found_it():
    import gc

    good = saved_page(API_ITEMS)
    broken = good.replace("dailyPapers", "other")
    assert gc.isenabled()
    for text in (good, broken, json.dumps(API_ITEMS)):
        with contextlib.suppress(PageError):
            parse_rich_page(text)
        assert gc.isenabled()
    gc.disable()
    try:
        parse_rich_page(good)
        assert not gc.isenabled()  # paused by someone else: theirs to resume
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "odd", ["a  b", " a", "a ", "", " ", "a\u00a0b", "a\tb", "a\n\nb", "a\u200eb"]
)
@pytest.mark.parametrize("where", ["title", "ai_summary", "authors", "ai_keywords"])
def test_one_odd_string_among_clean_ones_is_cleaned(odd, where):
    fields = {"title": "A title", "ai_summary": "One line.", "authors": ["Ann", "Bo"]}
    fields["ai_keywords"] = ["kw one", "kw two"]
    if where in ("authors", "ai_keywords"):
        fields[where] = [*fields[where], odd]  # last: the end of the joined strings
    else:
        fields[where] = f"T {odd} x" if where == "title" and not odd.strip() else odd
    names = fields.pop("authors")
    [paper] = rich(json.dumps([item(authors=[{"name": n} for n in names], **fields)])).papers
    assert paper.title == clean_line(fields["title"])
    assert paper.ai_summary == (clean_line(fields["ai_summary"]) or None)
    assert paper.author_names == tuple(filter(None, map(clean_line, names)))
    assert paper.keywords == tuple(filter(None, map(clean_line, fields["ai_keywords"])))
