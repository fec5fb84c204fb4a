"""BibTeX and RIS exports: one entry per paper, stable keys, hostile text kept inside its value.

The BibTeX is read back with bibtexparser 2 (a parser we do not write with), the RIS with
rispy. Citations are built directly and through library records (``citation_for``).
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from readinglist.cli import cli
from readinglist.core.bibtex import render_bibtex
from readinglist.core.citations import Citation, citation_for, citation_keys
from readinglist.core.export import FORMAT_BY_SUFFIX, FORMATS, format_for, render
from readinglist.core.models import PaperRecord
from readinglist.core.ris import render_ris
from readinglist.core.service import ReadingList
from readinglist.core.textclean import for_display
from tests.hf_builder import NASTY_TITLE, item

KAPLAN = Citation(
    title="Scaling Laws for Neural Language Models",
    author_names=("Jared Kaplan", "Sam McCandlish", "Tom Henighan"),
    arxiv_id="2001.08361",
    date="2020-01-24",
)
NO_ID = Citation(
    title="Scaling Up Everything: {a} 100% #1 & $5 _x ^y ~z \\end @misc{evil,",
    date="2024-05-01",
    links=("javascript:alert(1)", "https://github.com/a/b"),
)
HOSTILE_TEXT = [
    "}",
    "{",
    "}}}, title = {smuggled}} @misc{evil, title={x}}",
    "\\",
    "\\}",
    "%",
    "# @comment{",
    '"',
    "@misc{x,\n title={y}}\n",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[31mred\x1b[0m",
    "\x00\x07\x85\u202e",
    NASTY_TITLE,
    "and",
    "A, B, C, D",
    "others",
    "Ünïcödé — “quoted” ½ α ∑ 日本語",
]


def _decoder() -> LatexNodes2Text:
    """pylatexenc's LaTeX-to-text reader, knowing the text macros the writer uses and
    leaving TeX's ligatures (-- and quotes) as typed, as the writer does."""
    context = get_default_latex_context_db().filter_context(
        exclude_categories=["nonascii-specials"]
    )
    macros = {"textbraceleft": "{", "textbraceright": "}", "textasciicircum": "^"}
    macros["textbar"] = "|"
    context.add_context_category(
        "bibtex-text", prepend=True, macros=[MacroTextSpec(n, t) for n, t in macros.items()]
    )
    return LatexNodes2Text(latex_context=context)


DECODER = _decoder()


def parse(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [block.error for block in library.failed_blocks]
    assert library.strings == [] and library.preambles == []
    return library


def one_line(text: str) -> str:
    """What a RIS value should read as: the cleaned text on one line."""
    return for_display(text, one_line=True)


def shown(text: str) -> str:
    """What a BibTeX value should read as: the cleaned text on one line, composed (NFC), a
    straight double quote as TeX's closing quotes (the only double quote LaTeX's default
    font has)."""
    return unicodedata.normalize("NFC", one_line(text)).replace('"', "''")


def decoded(latex: str) -> str:
    return DECODER.latex_to_text(latex)


# -- records: the one function that makes a citation ------------------------------------------


def record(paper_id: int = 1, title: str = "A paper", **fields: object) -> PaperRecord:
    base: dict[str, object] = dict(
        id=paper_id,
        title=title,
        abstract="",
        authors=None,
        org=None,
        org_id=None,
        date="2024-03-05",
        date_text=None,
        upvotes=None,
        links=(),
        starred=False,
        note="",
        status="unread",
        added_at="2024-03-05T00:00:00",
    )
    base.update(fields)
    return PaperRecord(**base)  # type: ignore[arg-type]


def test_citation_for_reads_the_record():
    paper = record(
        title=KAPLAN.title,
        date="2020-01-24",
        arxiv_id="2001.08361v3",
        author_names=KAPLAN.author_names,
        links=("https://github.com/x/y",),
    )
    citation = citation_for(paper)
    assert citation == dataclasses.replace(KAPLAN, links=("https://github.com/x/y",))
    assert citation.url == "https://arxiv.org/abs/2001.08361" and citation.year == "2020"


def test_citation_for_distrusts_the_arxiv_id_another_client_wrote():
    assert citation_for(record(arxiv_id="../../etc/passwd")).arxiv_id is None
    assert citation_for(record(arxiv_id="2001.08361}, @misc{x")).arxiv_id is None
    assert citation_for(record(arxiv_id=42)).arxiv_id is None


def test_a_citation_checks_its_arxiv_id_however_it_was_made():
    assert Citation("x", arxiv_id="arXiv:2001.08361v2").arxiv_id == "2001.08361"
    smuggled = Citation("x", arxiv_id="2001.08361}, @misc{evil, title={y}}")
    assert smuggled.arxiv_id is None
    (entry,) = parse(render_bibtex([smuggled])).entries
    assert entry.key.startswith("anon") and "eprint" not in entry.fields_dict


# -- keys ------------------------------------------------------------------------------------------


def test_keys_follow_the_rule():
    old = Citation("Old paper", ("Edward Witten",), "hep-th/9802150")
    nameless = Citation("A paper with an id", (), "2401.00001")
    suffixed = Citation("X", ("Martin Luther King Jr.",), "2401.00002")
    comma = Citation("X", ("van Beethoven, Ludwig",), "2401.00003")
    keys = citation_keys([KAPLAN, old, nameless, suffixed, comma, NO_ID])
    assert keys[:5] == [
        "kaplan:2001.08361",
        "witten:hep-th/9802150",
        "arxiv:2401.00001",
        "king:2401.00002",
        "vanbeethoven:2401.00003",
    ]
    assert keys[5].startswith("anonscaling:") and len(keys[5]) == len("anonscaling:") + 4


def test_a_key_without_an_id_stays_when_a_later_listing_moves_the_date():
    later = dataclasses.replace(NO_ID, date="2031-01-02")
    assert NO_ID.date != later.date and citation_keys([NO_ID]) == citation_keys([later])


def test_keys_are_stable_whatever_else_is_exported():
    """A paper's key depends on the paper alone: not on order, company or a revised title."""
    twin = dataclasses.replace(NO_ID, title="Scaling Down Nothing")  # same base key as NO_ID
    alone = citation_keys([NO_ID])[0]
    together = citation_keys([twin, KAPLAN, NO_ID])
    assert together[2] == alone and together[0] != alone
    assert citation_keys([dataclasses.replace(KAPLAN, title="A Revised Title")]) == [
        "kaplan:2001.08361"
    ]
    assert citation_keys([Citation("Zoë’s Über-Paper", ("José Ñúñez",), "2301.00001")]) == [
        "nunez:2301.00001"
    ]


def test_keys_are_unique_even_for_the_same_paper_twice():
    keys = citation_keys([KAPLAN, KAPLAN, KAPLAN, NO_ID, NO_ID])
    assert len(set(keys)) == 5
    assert keys[:3] == ["kaplan:2001.08361", "kaplan:2001.08361-2", "kaplan:2001.08361-3"]


def test_year_from_the_arxiv_id_then_the_date():
    assert Citation("x", arxiv_id="9901.00001").year == "1999"  # hypothetical, still a year
    assert Citation("x", arxiv_id="hep-th/9901001").year == "1999"
    assert Citation("x", arxiv_id="math.GT/0309136").year == "2003"
    assert Citation("x", date="2023-12-31").year == "2023"
    assert Citation("x", date="garbage").year is None and Citation("x").year is None


# -- BibTeX ----------------------------------------------------------------------------------------


def test_bibtex_entry_has_the_fields():
    library = parse(render_bibtex([KAPLAN, NO_ID]))
    kaplan, no_id = library.entries
    assert kaplan.entry_type == "misc" and kaplan.key == "kaplan:2001.08361"
    fields = {name: field.value for name, field in kaplan.fields_dict.items()}
    assert fields == {
        "author": "Jared Kaplan and Sam McCandlish and Tom Henighan",
        "title": "Scaling Laws for Neural Language Models",
        "year": "2020",
        "eprint": "2001.08361",
        "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2001.08361",
    }
    # Without an id: what is known, the first web link as its url, no eprint.
    assert set(no_id.fields_dict) == {"title", "year", "url"}
    assert no_id.fields_dict["url"].value == "https://github.com/a/b"
    assert decoded(no_id.fields_dict["title"].value) == shown(NO_ID.title)


def test_bibtex_protects_capitals_of_acronyms_and_names_only():
    citation = Citation("Scaling GPT-4 and LLaMA with iPhone BERT: A Study", arxiv_id="2401.00001")
    value = parse(render_bibtex([citation])).entries[0].fields_dict["title"].value
    assert value == "Scaling {GPT-4} and {LLaMA} with {iPhone} {BERT:} A Study"


def test_bibtex_escapes_latex_specials():
    value = parse(render_bibtex([NO_ID])).entries[0].fields_dict["title"].value
    for special in ("\\%", "\\#", "\\&", "\\$", "\\_", "\\textbraceleft", "\\textbackslash"):
        assert special in value
    assert "{a}" not in value  # the title's own braces are text, not grouping
    assert value.count("{") == value.count("}")


def test_bibtex_names_keep_their_parts():
    citation = Citation(
        "x", ("Tom and Jerry", "Smith, John", "A, B, C, D", "others", "Zoë Ünal"), "2401.00001"
    )
    entry = parse(render_bibtex([citation])).entries[0]
    authors = SeparateCoAuthors().transform(bibtexparser.Library([entry])).entries[0]
    names = authors.fields_dict["author"].value
    assert len(names) == 5
    assert names[0] == "Tom {and} Jerry" and names[1] == "Smith, John"
    assert names[3] == "{others}" and decoded(names[4]) == "Zoë Ünal"


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_bibtex_hostile_text_stays_in_its_value(text: str):
    citations = [
        Citation(text or "x", (text, "Jane Doe"), "2401.00001", links=(f"https://x.org/{text}",)),
        Citation(f"before {text} after", (f"{text} Smith",), None, "2024-01-01"),
        KAPLAN,
    ]
    library = _check_structure(citations)
    for entry, citation in zip(library.entries, citations, strict=True):
        assert decoded(entry.fields_dict["title"].value) == shown(citation.title)


_SPECIALS = st.sampled_from("{}\\%#@&$_^~\"',=|<>\n\r\t\x1b\x07\x9b\u202e")


def _text_with_and(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text of ``alphabet``, with BibTeX's name separator " and " thrown in."""
    pieces = st.one_of(st.text(alphabet, max_size=10), st.just(" and "), st.just("AND"))
    return st.lists(pieces, max_size=5).map("".join)


# Any text: what matters is the file's structure, whatever pylatexenc's tables make of it.
_anything = _text_with_and(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc", "Cf", "Mn"))
    | _SPECIALS
)
# Text the writer must give back exactly: ASCII, a few accents and symbols, the specials.
_readable = _text_with_and(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    | st.sampled_from("ÜéñøαΣ日—–“”½")
    | _SPECIALS
)
_ids = st.sampled_from([None, "2401.00001", "2401.00001", "hep-th/9901001"]) | _anything.map(
    lambda text: "2401.00001" + text  # another client's id, checked away unless it is one
)


def _citations(text: st.SearchStrategy[str]) -> st.SearchStrategy[list[Citation]]:
    paper = st.builds(
        Citation,
        title=text.filter(lambda title: shown(title).strip() != ""),
        author_names=st.lists(text, max_size=4).map(tuple),
        arxiv_id=_ids,
    )
    return st.lists(paper, min_size=1, max_size=5)


def _check_structure(citations: list[Citation]) -> bibtexparser.Library:
    """One entry per citation, keyed as ``citation_keys`` says, each with its fields."""
    library = parse(render_bibtex(citations))
    assert [entry.key for entry in library.entries] == citation_keys(citations)
    coauthors = SeparateCoAuthors().transform(library)
    for entry, citation in zip(coauthors.entries, citations, strict=True):
        fields = entry.fields_dict
        assert "title" in fields
        names = [name for name in citation.author_names if shown(name).strip()]
        assert len(fields["author"].value if names else []) == len(names)
        assert ("eprint" in fields) == (citation.arxiv_id is not None)
        for field in fields.values():
            value = field.value if isinstance(field.value, str) else " ".join(field.value)
            assert "\n" not in value and "\x1b" not in value and "\x9b" not in value
            assert_balanced_for_bibtex(value)
    return library


def assert_balanced_for_bibtex(value: str) -> None:
    """BibTeX itself counts every brace, even after a backslash (bibtexparser 2 does not):
    a value must never close more than it opened, and must close all it opens."""
    depth = 0
    for character in value:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0, value
    assert depth == 0, value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_citations(_anything))
def test_bibtex_of_any_titles_and_authors_parses_one_entry_each(citations: list[Citation]):
    _check_structure(citations)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_citations(_readable))
def test_bibtex_of_hostile_titles_and_authors_reads_back_as_written(citations: list[Citation]):
    library = _check_structure(citations)
    for entry, citation in zip(library.entries, citations, strict=True):
        assert decoded(entry.fields_dict["title"].value).strip() == shown(citation.title).strip()


# -- RIS ---------------------------------------------------------------------------------------


def test_ris_reads_back_with_rispy():
    text = render_ris([KAPLAN, NO_ID])
    assert text.endswith("ER  - \r\n")
    kaplan, no_id = rispy.loads(text.replace("\r\n", "\n"))
    assert kaplan["type_of_reference"] == "UNPB" and kaplan["id"] == "kaplan:2001.08361"
    assert kaplan["title"] == KAPLAN.title and kaplan["authors"] == list(KAPLAN.author_names)
    assert kaplan["year"] == "2020" and kaplan["urls"] == ["https://arxiv.org/abs/2001.08361"]
    assert no_id["type_of_reference"] == "GEN" and no_id["title"] == NO_ID.title
    assert "authors" not in no_id and no_id["urls"] == ["https://github.com/a/b"]


@settings(max_examples=150, deadline=None)
@given(_citations(_anything))
def test_ris_of_hostile_text_keeps_one_record_per_paper(citations: list[Citation]):
    records = rispy.loads(render_ris(citations).replace("\r\n", "\n"))
    assert len(records) == len(citations)
    for found, citation in zip(records, citations, strict=True):
        assert found.get("title", "") == one_line(citation.title)
        names = [one_line(name) for name in citation.author_names]
        assert found.get("authors", []) == [name for name in names if name]


# -- the export paths: render, file names, the service and the CLI ---------------------------


def test_formats_and_file_names():
    assert {"bibtex", "ris"} <= set(FORMATS) and set(FORMAT_BY_SUFFIX.values()) <= set(FORMATS)
    assert format_for(Path("refs.bib")) == "bibtex" and format_for(Path("REFS.BIB")) == "bibtex"
    assert format_for(Path("refs.ris")) == "ris" and format_for(Path("refs.txt")) == "md"


def test_render_cleans_records_before_citing():
    nasty = record(title="Evil \x1b]52;c;ZXZpbA==\x07 {title", author_names=("\x1b[31mRed\x1b[0m",))
    library = parse(render([nasty], "bibtex"))
    (entry,) = library.entries
    assert decoded(entry.fields_dict["title"].value) == "Evil {title"
    assert "\x1b" not in render([nasty], "bibtex") + render([nasty], "ris")


def test_markdown_shows_authors_and_the_arxiv_link():
    paper = record(
        title=KAPLAN.title,
        arxiv_id="2001.08361",
        author_names=("Jared Kaplan", "Sam *McCandlish*"),
        links=("https://github.com/x/y",),
    )
    text = render([paper], "md")
    assert "Jared Kaplan, Sam \\*McCandlish\\*" in text
    assert "- [arXiv:2001.08361](<https://arxiv.org/abs/2001.08361>)\n- [https" in text
    assert "arXiv:" not in render([record()], "md")


@pytest.fixture
def listing(service: ReadingList, tmp_path: Path) -> ReadingList:
    """A library holding an API listing (ids, authors) and a text page (neither)."""
    items = [
        item(
            id="2001.08361", title=KAPLAN.title, authors=[{"name": n} for n in KAPLAN.author_names]
        ),
        item(
            id="2401.00001v2",
            title="Ünïcödé {braces} 100% \\ GPT-4",
            authors=[{"name": "Zoë Ünal"}],
        ),
    ]
    api = tmp_path / "listing.json"
    api.write_text(json.dumps(items), encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("Daily Papers\n\nA Text Page Paper\n\nIts abstract.\n", encoding="utf-8")
    reports = service.import_pages([api, page])
    assert all(report.ok for report in reports), reports
    return service


def test_service_exports_every_paper_once(listing: ReadingList):
    ids = listing.select(scope="all")
    records = [listing.get(paper_id) for paper_id in ids]
    library = parse(listing.export(ids, "bibtex"))
    assert len(library.entries) == len(ids) == 3
    titles = [decoded(entry.fields_dict["title"].value) for entry in library.entries]
    assert titles == [shown(paper.title) for paper in records]
    assert len(rispy.loads(listing.export(ids, "ris").replace("\r\n", "\n"))) == 3
    eprints = {
        entry.fields_dict["eprint"].value
        for entry in library.entries
        if "eprint" in entry.fields_dict
    }
    assert eprints == {"2001.08361", "2401.00001"}


def test_cli_exports_bibtex_by_format_and_by_extension(
    listing: ReadingList, library_location: str, tmp_path: Path
):
    def run(*args: str):
        result = CliRunner().invoke(cli, ["--db", library_location, "export", "--all", *args])
        assert result.exit_code == 0, result.output
        return result

    printed = run("--format", "bibtex").stdout
    assert len(parse(printed).entries) == 3
    run("-o", str(tmp_path / "refs.bib"))
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8") == printed
    run("-o", str(tmp_path / "refs.ris"))
    ris = (tmp_path / "refs.ris").read_bytes().decode("utf-8")
    assert ris == run("--format", "ris").stdout_bytes.decode("utf-8")  # .stdout folds CR LF
    assert len(rispy.loads(ris.replace("\r\n", "\n"))) == 3
