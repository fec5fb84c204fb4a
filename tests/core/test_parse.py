"""The parser on the real sample pages and on the variations real pages show."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readinglist.core.dates import resolve_date, shown_date
from readinglist.core.links import extract_links
from readinglist.core.parse import PageError, parse_page, read_page
from tests.conftest import SAMPLES, TODAY


def page(name: str):
    return read_page(SAMPLES / f"daily-papers-page-{name}.txt", today=TODAY)


def test_sample_counts_and_layouts():
    assert [len(page(name).papers) for name in "abc"] == [26, 119, 44]
    assert [page(name).layout for name in "abc"] == ["spaced", "compact", "spaced"]
    assert page("a").listing_date == "2026-05-12"
    assert page("c").listing_date == "2025-12-09"
    assert page("b").listing_date is None


def test_organisation_block_and_upvotes_without_year():
    mela = page("a").papers[0]
    assert mela.title == "Mela: Test-Time Memory Consolidation based on Transformation Hypothesis"
    assert mela.abstract.startswith("Memory consolidation, the process")
    assert mela.abstract.endswith("guidance for practical configuration.")
    assert (mela.org, mela.org_id, mela.authors) == ("Musubi", "MusubiAI", None)
    assert (mela.date, mela.date_text, mela.upvotes) == ("2026-05-10", "May 10", 1)


def test_authors_block_with_year_and_upvotes():
    papers = {paper.title: paper for paper in page("a").papers}
    daniel = papers[
        "DANIEL: A fast Document Attention Network for Information Extraction and "
        "Labelling of handwritten documents"
    ]
    assert (daniel.authors, daniel.date, daniel.date_text, daniel.upvotes) == (
        3,
        "2024-07-12",
        "Jul 12, 2024",
        None,
    )
    assert daniel.links == ("https://github.com/Shulk97/daniel",)
    sparsing = next(p for p in papers.values() if p.title.startswith("Sparsing Law"))
    assert (sparsing.date, sparsing.upvotes) == ("2024-11-04", 1)
    reactive = next(p for p in papers.values() if p.title.startswith("Reactive Transformer"))
    assert (reactive.org, reactive.org_id, reactive.upvotes) == ("Reactive AI", "ReactiveAI", 2)


def test_paper_without_metadata_between_others_keeps_alignment():
    papers = page("a").papers
    titles = [paper.title for paper in papers]
    clinical = titles.index(
        "Forecasting Clinical Risk from Textual Time Series: Structuring Narratives for "
        "Temporal AI in Healthcare"
    )
    assert papers[clinical].date is None and papers[clinical].authors is None
    assert papers[clinical + 1].title.startswith("Lean Attention")
    assert papers[clinical + 1].authors == 5


def test_compact_layout_first_title_glued_to_subscribe():
    papers = page("b").papers
    assert papers[0].title.startswith("Linking Theories and Methods in Cognitive Sciences")
    assert papers[-1].title == "HyperMixer: An MLP-based Low Cost Alternative to Transformers"
    assert all(p.date is None and p.authors is None and p.upvotes is None for p in papers)


def test_latex_wrapped_links_are_deduplicated():
    rwkv = next(p for p in page("b").papers if "RWKVInside" in p.abstract)
    assert rwkv.links == (
        "https://github.com/yynil/RWKVInside",
        "https://huggingface.co/RWKV-Red-Team/ARWKV-7B-Preview-0.1",
    )


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("see \\url{https://a.org/x}.", ("https://a.org/x",)),
        ("code (https://a.org/x) and [https://b.org/y].", ("https://a.org/x", "https://b.org/y")),
        (
            "wiki https://en.wikipedia.org/wiki/Foo_(bar), ok",
            ("https://en.wikipedia.org/wiki/Foo_(bar)",),
        ),
        ("at https://github.com/a/b.git.", ("https://github.com/a/b.git",)),
        ("{https://x.io/a}{https://x.io/a}", ("https://x.io/a",)),
        ("javascript:alert(1) file:///etc/passwd ftp://x.org", ()),
        ("<HTTPS://Example.com/Path>;", ("HTTPS://Example.com/Path",)),
        ("http:// nothing and https://", ()),
    ],
)
def test_extract_links(text, links):
    assert extract_links(text) == links


def test_dates_without_a_year_are_anchored_to_the_listing_date():
    """Page c is the listing of Dec 9: imported in November 2026 it is from December 2025,
    so its "Jul 7" paper is from July 2025, not July 2026."""
    c = page("c")
    assert c.listing_date == "2025-12-09"
    assert (c.papers[0].date_text, c.papers[0].date) == ("Jul 7", "2025-07-07")
    assert page("a").papers[0].date == "2026-05-10"  # listing May 12, 2026: "May 10" is before it


@pytest.mark.parametrize(
    ("listing", "imported", "paper", "expected"),
    [
        ("Dec 30", date(2026, 1, 5), "Jan 2", "2026-01-02"),  # a few days after the listing
        ("Dec 30", date(2026, 1, 5), "Dec 31", "2025-12-31"),
        ("Dec 30", date(2026, 1, 5), "Jan 4", "2026-01-04"),  # never after the import
        ("Dec 30", date(2026, 1, 5), "Jan 6", "2025-01-06"),
        ("Dec 9", date(2026, 11, 25), "Dec 10", "2025-12-10"),  # within a week of the listing
        ("Dec 9", date(2026, 11, 25), "Dec 20", "2024-12-20"),  # after it: a year before
        ("Dec 9", date(2026, 11, 25), "Nov 25", "2025-11-25"),
        ("Dec 9, 2024", date(2026, 11, 25), "Jul 7", "2024-07-07"),  # a listing date with a year
        ("Mar 1", date(2028, 3, 20), "Feb 29", "2028-02-29"),
        ("Mar 1", date(2027, 3, 20), "Feb 29", "2024-02-29"),
        (None, date(2026, 11, 25), "Jul 7", "2026-07-07"),  # no listing date: the import's day
        (None, date(2026, 11, 25), "Dec 9", "2025-12-09"),
    ],
)
def test_paper_dates_follow_the_listing_date(listing, imported, paper, expected):
    text = "Daily Papers\n\n" + (f"{listing}\n\n" if listing else "")
    text += f"A Paper Title\n\nAn abstract of the paper.\n\n  • 2 authors\n·\n{paper} 3\n"
    parsed = parse_page(text, today=imported)
    assert parsed.papers[0].date == expected


def test_date_without_year_is_latest_not_after_today():
    assert resolve_date("May", 10, None, date(2026, 11, 25)) == date(2026, 5, 10)
    assert resolve_date("Dec", 9, None, date(2026, 11, 25)) == date(2025, 12, 9)
    assert resolve_date("Nov", 25, None, date(2026, 11, 25)) == date(2026, 11, 25)
    assert resolve_date("Feb", 29, None, date(2026, 11, 25)) == date(2024, 2, 29)
    assert resolve_date("Feb", 30, None, date(2026, 11, 25)) is None
    assert resolve_date("Foo", 1, None, date(2026, 11, 25)) is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_encodings_and_line_endings(tmp_path: Path, encoding: str, newline: str):
    original = (SAMPLES / "daily-papers-page-a.txt").read_text(encoding="utf-8")
    if encoding == "cp1252":
        original = original.replace("•", "*").replace("·", "·")
    path = tmp_path / "page.txt"
    path.write_bytes(original.replace("\n", newline).encode(encoding))
    expected = parse_page(original, today=TODAY).papers
    assert read_page(path, today=TODAY).papers == expected


def test_legacy_encoding_accented_title(tmp_path: Path):
    text = "Daily Papers\n\nRésumé générique pour modèles\n\nUne étude des modèles à mémoire.\n"
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    assert read_page(path, today=TODAY).papers[0].title == "Résumé générique pour modèles"


def test_control_characters_stripped_markup_kept():
    text = (
        "Daily Papers\n\n"
        "[bold]Evil[/] \x1b[31mred\x1b[0m \u202etitle\x07\n\n"
        "Abstract \x1b]52;c;aGVsbG8=\x07with\x1b[2J controls\x9b and [link=x]markup[/link].\n"
    )
    paper = parse_page(text, today=TODAY).papers[0]
    assert paper.title == "[bold]Evil[/] red title"
    assert paper.abstract == "Abstract with controls and [link=x]markup[/link]."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n\t \r\n", "blank file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        (b"name,age\nalice,3\nbob,4\n", "not a Daily Papers page"),
        (b"just one line of text\n", "not a Daily Papers page"),
        (b"Daily Papers\n\nSubscribe\n", "no papers found"),
    ],
)
def test_refusals(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(PageError, match=reason):
        read_page(path, today=TODAY)


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(PageError, match="no such file"):
        read_page(tmp_path / "missing.txt")
    with pytest.raises(PageError, match="directory"):
        read_page(tmp_path)


def test_truncated_after_title_imports_complete_papers_and_warns():
    text = (SAMPLES / "daily-papers-page-a.txt").read_text(encoding="utf-8")
    cut = text.index("Spanish TrOCR") + len("Spanish TrOCR: Leveraging")
    parsed = parse_page(text[:cut], today=TODAY)
    assert [p.title[:6] for p in parsed.papers] == ["Mela: ", "DANIEL"]
    assert len(parsed.warnings) == 1 and "ends mid-paper" in parsed.warnings[0]


def test_truncated_inside_metadata_warns_and_skips_last():
    text = (SAMPLES / "daily-papers-page-a.txt").read_text(encoding="utf-8")
    cut = text.index("  • 2 authors") + len("  • 2 authors\n·")
    parsed = parse_page(text[:cut], today=TODAY)
    assert len(parsed.papers) == 2
    assert "ends mid-paper" in parsed.warnings[0]


def test_truncated_compact_page_drops_dangling_title():
    text = (SAMPLES / "daily-papers-page-b.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    parsed = parse_page("\n".join(lines[:-1]), today=TODAY)
    assert len(parsed.papers) == 118
    assert "HyperMixer" in parsed.warnings[0]


def test_multi_paragraph_abstract_and_missing_abstract():
    text = (
        "Daily Papers\n\nFirst Paper Title\n\n"
        + "A long first paragraph of the abstract. " * 5
        + "\n\n"
        + "A second paragraph continues the same abstract. " * 5
        + "\n\n  • 3 authors\n·\nJan 2, 2024\n\n"
        "Second Paper Title\n\n  • 2 authors\n·\nJan 3, 2024\n\n"
        "Third Paper Title\n\nShort abstract.\n"
    )
    papers = parse_page(text, today=TODAY).papers
    assert [p.title for p in papers] == [
        "First Paper Title",
        "Second Paper Title",
        "Third Paper Title",
    ]
    assert papers[0].abstract.count("\n\n") == 1 and papers[0].authors == 3
    assert papers[1].abstract == "" and papers[1].date == "2024-01-03"
    assert papers[2].abstract == "Short abstract."


README = Path(__file__).resolve().parents[2] / "README.md"
NO_MARKS = 'no listing header ("Daily Papers") or paper metadata ("3 authors")'
PAPER_LINES = (
    "A Study of Things\nWe study things at length in this abstract, which is as long as "
    "real abstracts are.\n"
)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("# Notes\n\nA paragraph of my own notes.\n", "line 1 is a Markdown heading"),
        ("\n\nTitle\nA paragraph.\n## More\n", "line 5 is a Markdown heading"),
        ("Setup\n```bash\npip install x\n```\n", "line 2 is a code fence"),
        ("Things to read\n- attention\n- memory\n", "line 2 is a list item"),
        ("Steps\n1. install\n2. run\n", "line 2 is a list item"),
        ("Fields\n| a | b |\n", "line 2 is a table row"),
        ("Quote\n> said someone\n", "line 2 is a quotation"),
        (
            "My notes\n\nI read about transformers today and liked the part on attention.\n",
            f"prose in paragraphs, with {NO_MARKS}",
        ),
        ("shopping\nmilk\neggs\n", "the lines do not read as titles and abstracts"),
    ],
)
def test_text_that_is_not_a_listing_is_refused_saying_why(text: str, why: str):
    with pytest.raises(PageError) as refused:
        parse_page(text, today=TODAY)
    assert str(refused.value).startswith("not a Daily Papers page: ")
    assert why in str(refused.value)


def test_the_projects_readme_is_not_a_listing():
    with pytest.raises(PageError) as refused:
        read_page(README, today=TODAY)
    assert str(refused.value).endswith(f"line 1 is a Markdown heading, and there is {NO_MARKS}")


def test_a_piece_of_the_compact_layout_without_header_is_a_listing():
    """Titles and abstracts on alternate lines, as copying a few papers gives."""
    parsed = parse_page(PAPER_LINES * 3, today=TODAY)
    assert [paper.title for paper in parsed.papers] == ["A Study of Things"] * 3


@pytest.mark.parametrize(
    "first", ["Daily Papers\n\n", "Subscribe\n\n", "  • 2 authors\n·\nJan 5, 2024 3\n\n"]
)
def test_a_header_or_metadata_makes_a_listing_of_titles_with_marks(first: str):
    """With the listing's header or a metadata block, a title may look like Markdown: a
    real title may begin with "#" or "1."."""
    text = first + "# Hashtags in Papers\n\nAn abstract.\n\n1. A Numbered Title\n\nAnother.\n"
    titles = [paper.title for paper in parse_page(text, today=TODAY).papers]
    assert titles[-2:] == ["# Hashtags in Papers", "1. A Numbered Title"]


def test_a_date_is_shown_with_its_year():
    """A text page writes "Oct 28" for this year's days: shown so, a 2025 paper would read
    as this year's. The day is shown whole; a date another client wrote, as it is."""
    assert shown_date("2025-10-28", "Oct 28") == "Oct 28, 2025"
    assert shown_date("2026-03-06", None) == "Mar 6, 2026"
    assert shown_date(None, "Oct 28") == "Oct 28"
    assert shown_date("last week", None) == "last week"
    assert shown_date("2025-10", "Oct 28") == "Oct 28"  # not a day: what the page wrote
    assert shown_date(b"2025", "Oct 28") == "Oct 28"  # a BLOB another client wrote
    assert shown_date(b"2025", None) == shown_date(None, 7) == ""
    assert shown_date(None, None) == ""
