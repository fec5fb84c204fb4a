"""Saved Daily Papers web pages and the API's JSON: recognised by content, read safely.

The pages are generated here from the real API item and paper object in
``tests/fixtures/hf-formats`` (copied from ``shared/hf-formats``), varying what browsers
vary: attribute order and quoting, line endings, "complete" saves, a ``<base>``, other
hydrated elements around the listing, and a logged-in header holding a CSRF token.
"""

from __future__ import annotations

import copy
import html
import json
import pickle
import quopri
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.cli import cli
from readinglist.core.hf_pages import parse_rich_page, unescape
from readinglist.core.merge import read_keyed_or_error
from readinglist.core.parse import PageError, read_page
from readinglist.core.service import ReadingList
from readinglist.core.textclean import clean_line, clean_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hf-formats"
API_ITEMS: list[dict[str, Any]] = json.loads((FIXTURES / "daily-papers-api-item.json").read_text())
PAPER_OBJECT: dict[str, Any] = json.loads((FIXTURES / "paper-object.json").read_text())
TODAY = date(2026, 11, 25)
CSRF_TOKEN = "csrf-FAKE-9d41c0e7b2aa4f3c"
USER_NAME = "secret-reader-name"
NASTY_TITLE = (
    'Attention & <Memory> "quoted" it\'s [bold]x[/bold] [/] &amp; \x1b]52;c;ZXZpbA==\x07end'
)


# -- building pages ----------------------------------------------------------------------


def item(**paper_changes: Any) -> dict[str, Any]:
    """The real API item with fields of its paper replaced (None deletes one)."""
    result = copy.deepcopy(API_ITEMS[0])
    for name, value in paper_changes.items():
        if value is None:
            result["paper"].pop(name, None)
        else:
            result["paper"][name] = value
    return result


def hydrater(target: str, props: Any, *, quote: str = '"', order: str = "class-first") -> str:
    """A ``SVELTE_HYDRATER`` element, escaped as a server (or a re-serialising browser) does."""
    text = json.dumps(props, indent=1)
    escaped = text.replace("&", "&amp;").replace(quote, "&quot;" if quote == '"' else "&#39;")
    if order != "raw-angles":  # Firefox's DOM serialiser leaves < and > raw in attributes
        escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    attrs = [
        f"class={quote}SVELTE_HYDRATER contents{quote}",
        f"data-target={quote}{target}{quote}",
        f"data-props={quote}{escaped}{quote}",
    ]
    if order == "props-first":
        attrs.reverse()
    return f"<div {' '.join(attrs)}></div>"


def saved_page(
    items: list[Any],
    *,
    date_string: str = "2026-03-06",
    period: str = "day",
    quote: str = '"',
    order: str = "class-first",
    crlf: bool = False,
    logged_in: bool = False,
    complete: bool = False,
    base: bool = False,
) -> str:
    props = {
        "dateString": date_string,
        "periodType": period,
        "dailyPapers": items,
        "prevDate": "2026-03-05",
        "nextDate": None,
    }
    header = {"csrfToken": CSRF_TOKEN, "user": {"name": USER_NAME, "isPro": False}}
    asset = "./Daily%20Papers_files/" if complete else "/front/build/"
    parts = [
        "<!-- saved from url=(0029)https://huggingface.co/papers -->" if complete else "",
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset=\"utf-8\">",
        '<base href="https://huggingface.co/">' if base else "",
        f'<link rel="stylesheet" href="{asset}style.css">',
        f"<script src='{asset}index.js'></script>",
        # a decoy inside a script is code, not an element
        '<script>const t = \'<div data-target="DailyPapers" data-props="[]">\';</script>',
        "</head><body>",
        hydrater("MainHeader", header if logged_in else {"user": None}, quote=quote, order=order),
        hydrater("SearchBar", {"query": "", "hint": "Search papers"}, quote=quote, order=order),
        '<main class="container">',
        hydrater("DailyPapers", props, quote=quote, order=order),
        "</main>",
        hydrater("Footer", {"links": ["/terms"]}, quote=quote, order=order),
        "</body></html>",
    ]
    page = "\n".join(part for part in parts if part) + "\n"
    return page.replace("\n", "\r\n") if crlf else page


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", newline="")
    return path


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
    assert page.papers[0].date is None and page.papers[1].date == "2026-03-06"


def test_the_top_level_organization_stands_in_for_the_papers():
    entry = item()
    del entry["paper"]["organization"]
    entry["organization"] = {"name": "acme", "fullname": "Acme Research"}
    [paper] = _rich(json.dumps(entry)).papers
    assert (paper.org, paper.org_id) == ("Acme Research", "acme")


def test_withdrawn_and_old_style_and_versioned_ids(tmp_path):
    items = [
        item(title="Withdrawn", withdrawnAt="2026-03-07T10:00:00.000Z"),
        item(title="Old style", id="hep-th/9901001v2"),
        item(title="Subject class", id="math.AG/0101001"),
        item(title="Versioned", id="2602.23229v3"),
        item(title="Junk id", id="../../etc/passwd"),
        item(title="Number id", id=2602.23229),
    ]
    papers = read_page(write(tmp_path, "p.html", saved_page(items))).papers
    assert [paper.withdrawn for paper in papers] == [True, False, False, False, False, False]
    assert [paper.arxiv_id for paper in papers] == [
        "2602.23229",
        "hep-th/9901001",
        "math.AG/0101001",
        "2602.23229",
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


def _rich(text: str):
    page = parse_rich_page(text)
    assert page is not None
    return page


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
    assert _rich(json.dumps(items)).listing_date == "2026-03-06"
    undated = [item(title="U", submittedOnDailyAt=None)]
    assert _rich(json.dumps(undated)).listing_date is None


def test_abstracts_unwrap_hard_line_breaks_and_keep_paragraphs():
    paper = dict(PAPER_OBJECT, summary="First line\nwraps here.\r\n\r\n  Second\tparagraph\n")
    [parsed] = _rich(json.dumps(paper)).papers
    assert parsed.abstract == "First line wraps here.\n\nSecond paragraph"
    [real] = _rich(json.dumps(PAPER_OBJECT)).papers
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
    page = _rich(json.dumps(items))
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


def test_text_pages_that_start_like_markup_are_still_text_pages():
    assert parse_rich_page("[Re] Reproducing Attention\nWe reproduce a paper.\n") is None
    assert parse_rich_page("{Braces} in a title\nAn abstract.\n") is None
    assert parse_rich_page("<3 Papers we love\nAn abstract.\n") is None


# -- secrets -------------------------------------------------------------------------------


def test_a_logged_in_pages_token_and_name_go_nowhere(tmp_path, caplog):
    page = write(tmp_path, "page.html", saved_page(API_ITEMS, logged_in=True))
    broken = write(
        tmp_path,
        "broken.html",
        saved_page(API_ITEMS, logged_in=True).replace('data-target="DailyPapers"', ""),
    )
    db = tmp_path / "lib.db"
    runner = CliRunner()
    outputs = [
        runner.invoke(cli, ["--db", str(db), "import", str(page), str(broken)]),
        runner.invoke(cli, ["--db", str(db), "show", "1", "--json"]),
        runner.invoke(cli, ["--db", str(db), "show", "1"]),
        runner.invoke(cli, ["--db", str(db), "list", "--json"]),
    ]
    seen = "".join(result.output + (result.stderr or "") for result in outputs) + caplog.text
    assert "without the DailyPapers listing" in seen
    stored = db.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("lib.db*"))
    for secret in (CSRF_TOKEN, USER_NAME):
        assert secret in page.read_text()
        assert secret not in seen
        assert secret.encode() not in stored
    pickled = pickle.dumps(read_keyed_or_error(page, TODAY))
    assert CSRF_TOKEN.encode() not in pickled


# -- through the service and the CLI -------------------------------------------------------


def test_the_service_imports_saved_pages_and_json(service: ReadingList, tmp_path):
    page = write(tmp_path, "page.html", saved_page(API_ITEMS, logged_in=True, crlf=True))
    array = write(tmp_path, "array.json", json.dumps(API_ITEMS))
    obj = write(tmp_path, "paper.json", json.dumps(PAPER_OBJECT))
    reports = service.import_pages([page, array, obj])
    assert [(r.error, r.papers, r.new) for r in reports] == [
        (None, 1, 1),
        (None, 1, 0),
        (None, 1, 1),
    ]
    assert service.count() == 2


def test_the_cli_imports_a_saved_page_and_shows_it(library_location, tmp_path):
    page = write(tmp_path, "daily.html", saved_page([*API_ITEMS, item(title=NASTY_TITLE)]))
    runner = CliRunner()
    imported = runner.invoke(cli, ["--db", library_location, "import", str(page)])
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.strip().endswith("daily.html: 2 papers, 2 new, 0 updated")
    listed = json.loads(runner.invoke(cli, ["--db", library_location, "list", "--json"]).stdout)
    ids = {paper["title"]: paper["id"] for paper in listed}
    title = "Large Multimodal Models as General In-Context Classifiers"
    shown = runner.invoke(cli, ["--db", library_location, "show", str(ids[title]), "--json"])
    record = json.loads(shown.stdout)
    assert record["title"] == title
    assert (record["authors"], record["upvotes"], record["date"]) == (5, 10, "2026-03-06")
    assert record["links"][:2] == [
        "https://github.com/marco-garosi/CIRCLE",
        "https://circle-lmm.github.io/",
    ]
    assert clean_line(NASTY_TITLE) in ids


def test_a_page_listing_a_paper_twice_keeps_the_rich_fields(tmp_path):
    twice = [item(githubStars=None), item(summary="")]
    keyed = read_keyed_or_error(write(tmp_path, "p.html", saved_page(twice)), TODAY)
    assert not isinstance(keyed, str)
    [paper] = keyed.papers.values()
    assert (paper.arxiv_id, paper.github_stars, len(paper.author_names)) == ("2602.23229", 9, 5)
    assert pickle.loads(pickle.dumps(keyed)) == keyed  # what the parse worker sends back


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=outside_text, summary=outside_text, org=outside_text, name=outside_text)
def test_outside_text_round_trips_cleaned(title, summary, org, name):
    entry = item(title=f"T {title}", summary=summary, authors=[{"name": name}], ai_keywords=[org])
    entry["paper"]["organization"] = {"name": "h", "fullname": org}
    entry["summary"] = summary  # else the item's own abstract stands in for an empty one
    paragraphs = re.split(r"\n\s*\n", clean_text(summary))
    abstract = "\n\n".join(" ".join(part.split()) for part in paragraphs if part.strip())
    for text in (json.dumps([entry]), saved_page([entry], quote="'", crlf=True)):
        [paper] = _rich(text).papers
        assert paper.title == clean_line(f"T {title}")
        assert paper.abstract == abstract
        assert paper.author_names == ((clean_line(name),) if clean_line(name) else ())
        assert paper.org == (clean_line(org) or "h")
        assert paper.keywords == ((clean_line(org),) if clean_line(org) else ())


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
def test_junk_html_is_an_error_never_a_crash(junk):
    for text in ("<!DOCTYPE html>" + junk, "<div " + junk + saved_page(API_ITEMS)):
        try:
            page = parse_rich_page(text)
        except PageError as error:
            assert str(error) and "\n" not in str(error)
        else:
            assert page is None or page.papers


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
    [paper] = _rich(page).papers
    assert paper.arxiv_id == "2602.23229"


@given(st.text(alphabet="&;#amplgtquox0123479 <>\"'", max_size=80))
def test_unescaping_the_listing_is_html_unescape(text):
    assert unescape(text) == html.unescape(text)


def test_the_saved_page_benchmark_runs_and_prints_its_ratios():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.saved_page", "--papers", "20", "--repeat", "1"],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
        check=True,
    )
    for row in ("parse", "import"):
        assert re.search(rf"^{row} .* ratio [\d.]+$", result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^malformed HTML, 2 MB / 1 MB: [\d.]+x$", result.stdout, re.MULTILINE)


def test_an_empty_listing_says_so(tmp_path):
    with pytest.raises(PageError, match=r"^the Daily Papers listing is empty"):
        read_page(write(tmp_path, "empty.html", saved_page([])))


def single_file_save(page: str) -> str:
    """A page as Chrome's "Webpage, Single File" (MHTML, quoted-printable) saves it."""
    body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    return (
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://huggingface.co/papers\r\n"
        "Subject: Daily Papers - Hugging Face\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----B--x----"\r\n'
        "\r\n------B--x----\r\nContent-Type: text/css\r\nContent-Location: a.css\r\n\r\nb{}\r\n"
        '------B--x----\r\nContent-Type: text/html; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: https://huggingface.co/papers\r\n\r\n{body}\r\n------B--x------\r\n"
    )


def test_a_single_file_save_is_read_like_the_page(tmp_path):
    page = saved_page([*API_ITEMS, item(title=NASTY_TITLE)], logged_in=True)
    archive = write(tmp_path, "page.mhtml", single_file_save(page))
    assert read_page(archive, today=TODAY) == read_page(write(tmp_path, "p.html", page))
    no_page = single_file_save(page).replace("text/html", "text/plain")
    with pytest.raises(PageError, match="MHTML"):
        read_page(write(tmp_path, "other.mhtml", no_page))


def test_ids_links_and_keywords_are_normalised():
    entry = item(
        id="arXiv:2602.23229v2",
        githubRepo="https://github.com/a b",
        projectPage=" https://example.org/p ",
        ai_keywords=["LLMs", " LLMs ", "", "agents"],
    )
    [paper] = _rich(json.dumps(entry)).papers
    assert paper.arxiv_id == "2602.23229"
    assert (paper.github_repo, paper.project_page) == (None, "https://example.org/p")
    assert paper.keywords == ("LLMs", "agents")


def test_raw_control_characters_in_json_strings_are_cleaned_not_fatal():
    text = json.dumps([item(title="Bell TITLE")]).replace("TITLE", "\x1b[31mred\x07")
    [paper] = _rich(text).papers
    assert paper.title == "Bell red"


def test_many_bad_items_give_a_bounded_list_of_warnings():
    page = _rich(json.dumps([*range(50), API_ITEMS[0]]))
    assert len(page.papers) == 1
    assert len(page.warnings) == 21
    assert page.warnings[-1] == "30 more items have problems (not listed)"


@pytest.mark.sqlite_only
def test_saved_pages_cross_the_parse_worker(service: ReadingList, tmp_path, caplog):
    """A batch this large is parsed in another process: the rich papers come back pickled."""
    pages = []
    for page_number in range(4):
        items = [
            item(title=f"Paper {page_number}-{n}", id=f"2603.{page_number}{n:04d}")
            for n in range(260)
        ]
        pages.append(write(tmp_path, f"page-{page_number}.html", saved_page(items)))
    assert sum(page.stat().st_size for page in pages) > 4 * 1024 * 1024
    with caplog.at_level("WARNING"):
        reports = service.import_pages(pages, parallel=True)
    assert [(report.error, report.new) for report in reports] == [(None, 260)] * 4
    assert "another process failed" not in caplog.text
