"""One byte never swallows a page: stray controls, escape fragments, mojibake and bytes
that are not UTF-8 cost at most themselves, never the papers after them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.parse import ParsedPage, parse_page, read_page
from readinglist.core.textclean import clean_text, decode_page_bytes
from tests.conftest import SAMPLES, TODAY

PAGE_NAMES = ["a", "b", "c"]


def sample_text(name: str) -> str:
    return (SAMPLES / f"daily-papers-page-{name}.txt").read_text(encoding="utf-8")


def sample(name: str) -> ParsedPage:
    return parse_page(sample_text(name), today=TODAY)


def words(text: str) -> str:
    return " ".join(text.split())


def with_junk_in_abstract(name: str, junk: str, nth: int = 1) -> tuple[str, str]:
    """The page with ``junk`` put into the middle of its nth paper's abstract."""
    text = sample_text(name)
    abstract = sample(name).papers[nth].abstract.split("\n\n")[0]
    middle = abstract.index(" ", len(abstract) // 2)
    where = text.index(abstract) + middle
    return text[:where] + junk + text[where:], abstract


# (inserted, what is left of it once cleaned)
JUNK = [
    ("\x1b]", ""),  # an OSC that never ends
    ("\x1b]52;c;aGVsbG8=", "52;c;aGVsbG8="),  # its payload is harmless text once ESC ] is gone
    ("\x1b]52;c;aGVsbG8=\x07", ""),  # a complete one goes whole
    ("\x1b]8;;https://x.org\x1b\\", ""),
    ("\x1bP", ""),  # DCS
    ("\x1b_", ""),  # APC
    ("\x1b^", ""),  # PM
    ("\x1bX", ""),  # SOS
    ("\x1b", ""),
    ("\x9d", ""),  # C1 OSC
    ("\x90", ""),  # C1 DCS
    ("\x98", ""),  # C1 SOS
    ("\x9e", ""),  # C1 PM
    ("\x9f", ""),  # C1 APC
    ("\x9b", ""),  # C1 CSI
    ("\x9b2J", "2J"),  # a C1 character goes alone, never with what follows
    ("â€\x9d", "â€"),  # the mojibake of a closing quote
    ("\x07", ""),
    ("\x00", ""),
    ("\u202e", ""),
    ("\x85", " "),  # NEL, LS, PS inside a line: not line breaks of this page
    ("\u2028", " "),
    ("\u2029", " "),
]


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize(("junk", "left"), JUNK, ids=[repr(junk) for junk, _ in JUNK])
def test_junk_in_one_abstract_costs_only_itself(name: str, junk: str, left: str):
    text, abstract = with_junk_in_abstract(name, junk)
    parsed = parse_page(text, today=TODAY)
    clean = sample(name)
    assert len(parsed.papers) == len(clean.papers)
    assert [p.title for p in parsed.papers] == [p.title for p in clean.papers]
    middle = abstract.index(" ", len(abstract) // 2)
    expected = abstract[:middle] + left + abstract[middle:]
    assert words(parsed.papers[1].abstract.split("\n\n")[0]) == words(expected)
    assert parsed.papers[2:] == clean.papers[2:]


def test_escape_sequences_never_cross_a_line():
    text = "title\x1b]0;half an OSC\nnext line\x07 stays\n\x1bPdcs\nlast\x9c line"
    assert clean_text(text) == "title0;half an OSC\nnext line stays\ndcs\nlast line"


def test_an_unfinished_escape_sequence_loses_only_its_introducer():
    assert clean_text("the end\x1b[.") == "the end."  # "." could be a CSI intermediate
    assert clean_text("see\x1b[12;3") == "see12;3"
    assert clean_text("a \x1b]0;never ended") == "a 0;never ended"
    assert clean_text("\x1bPaper and \x1b_x") == "aper and x"  # ESC P, ESC _ introduce strings
    assert clean_text("bare \x1b escape \x1bc") == "bare  escape c"


def test_escape_sequences_are_bounded():
    payload = "A" * 10_000
    assert clean_text(f"x\x1b]52;c;{payload}\x07y") == f"x52;c;{payload}y"
    assert clean_text("x\x1b[" + "1;" * 100 + "mrest").endswith("rest")
    assert clean_text("a\x1b]8;;https://x.org\x07link\x1b]8;;\x07 b") == "alink b"


def test_mojibake_quote_in_page_b_keeps_every_paper(tmp_path: Path):
    """The issue's example, as a user meets it: the CLI imports all 119 papers."""
    text = sample_text("b")
    at = text.index("reducing the cost of hyperparameter tuning")
    page = tmp_path / "page-b.txt"
    page.write_text(text[:at] + "â€\x9d" + text[at:], encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "lib.db"), "import", str(page)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("page-b.txt: 119 papers, 119 new, 0 updated")


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize(
    "bad", [b"\xff", b"\xe9", b"\x81", b"\x9d", b"\xe2\x80", b"\xc3", b"\xed\xa0\x80"]
)
def test_a_few_bytes_that_are_not_utf8_leave_the_page_utf8(tmp_path: Path, name: str, bad: bytes):
    data = sample_text(name).encode("utf-8")
    clean = sample(name)
    for paper in (clean.papers[2], clean.papers[0]):  # into two abstracts, the later first
        at = data.index(paper.abstract.encode("utf-8")[:40]) + 20
        data = data[:at] + bad + data[at:]
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    parsed = read_page(path, today=TODAY)
    assert [p.title for p in parsed.papers] == [p.title for p in clean.papers]
    # the metadata lines ("• 3 authors", "·") are still read: the page stayed UTF-8
    assert [p._replace(abstract="") for p in parsed.papers] == [
        p._replace(abstract="") for p in clean.papers
    ]
    assert parsed.papers[1] == clean.papers[1] and parsed.papers[3:] == clean.papers[3:]
    assert f"{2 * len(bad)} bytes are not UTF-8; read as Windows-1252" in parsed.warnings


def test_utf8_page_with_a_pasted_legacy_fragment_reads_both(tmp_path: Path):
    text = sample_text("a")
    at = text.index("Memory consolidation")
    path = tmp_path / "page.txt"
    path.write_bytes(
        text[:at].encode("utf-8") + "Résumé “cité” ".encode("cp1252") + text[at:].encode("utf-8")
    )
    parsed = read_page(path, today=TODAY)
    assert parsed.papers[0].abstract.startswith("Résumé “cité” Memory consolidation")
    assert parsed.papers[1:] == sample("a").papers[1:]
    assert parsed.warnings == ("5 bytes are not UTF-8; read as Windows-1252",)


def test_legacy_page_with_bytes_cp1252_leaves_undefined(tmp_path: Path):
    """Windows-1252 as browsers read it: an undefined byte (0x81, 0x9D) is one stray
    character, not a reason to read the whole page as Latin-1 (where "…" is NEL)."""
    text = "Daily Papers\n\nRésumé… générique\n\nUne étude… des modèles à mémoire.\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252").replace(b"mod", b"mo\x81d").replace(b"Une", b"U\x9dne"))
    parsed = read_page(path, today=TODAY)
    assert [(p.title, p.abstract) for p in parsed.papers] == [
        ("Résumé… générique", "Une étude… des modèles à mémoire.")
    ]
    assert parsed.warnings == ("the file is not UTF-8; read as Windows-1252",)


def test_a_page_read_as_windows_1252_always_says_so(tmp_path: Path):
    """Page b is ASCII: with many stray bytes it reads as a legacy page, and is reported."""
    data = sample_text("b").encode("utf-8")
    path = tmp_path / "page.txt"
    path.write_bytes(data.replace(b"Transformers", b"Transf\xf6rmers"))
    parsed = read_page(path, today=TODAY)
    assert len(parsed.papers) == 119
    assert parsed.warnings == ("the file is not UTF-8; read as Windows-1252",)
    assert "Transförmers" in parsed.papers[-1].title


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_nul_byte_does_not_make_a_page_binary(tmp_path: Path, name: str):
    data = sample_text(name).encode("utf-8")
    path = tmp_path / "page.txt"
    path.write_bytes(data[:200] + b"\x00" + data[200:])
    assert len(read_page(path, today=TODAY).papers) == len(sample(name).papers)
    small = b"Daily Papers\n\nA Title\x00\n\nAn abstract\x00 of a paper.\n"
    path.write_bytes(small)
    assert read_page(path, today=TODAY).papers[0].abstract == "An abstract of a paper."


def test_unicode_line_separators_as_a_page_line_breaks():
    text = sample_text("b")
    for separator in ("\u2028", "\x85"):
        parsed = parse_page(text.replace("\n", separator), today=TODAY)
        assert parsed.papers == sample("b").papers


def test_truncated_utf16_page_imports_with_a_warning(tmp_path: Path):
    path = tmp_path / "page.txt"
    path.write_bytes(sample_text("a").encode("utf-16")[:-1])
    parsed = read_page(path, today=TODAY)
    assert parsed.papers[:-1] == sample("a").papers[:-1]  # the last lost its date's last digit
    assert len(parsed.papers) == 26
    assert parsed.warnings[0] == "1 character of broken UTF-16 replaced with U+FFFD"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_clean_pages_decode_without_warnings(name: str):
    decoded = decode_page_bytes((SAMPLES / f"daily-papers-page-{name}.txt").read_bytes())
    assert decoded.warnings == ()
    assert decoded.text == sample_text(name)


def test_utf8_characters_outweigh_more_stray_bytes(tmp_path: Path):
    """One "— naïve" in UTF-8 and nine stray bytes: the page is UTF-8 with damage, not
    Windows-1252 (which made "â€” naÃ¯ve" of it, with no warning)."""
    text = sample_text("b")
    clean = sample("b")
    data = text.encode("utf-8")
    for paper in (clean.papers[4], clean.papers[2], clean.papers[0]):  # the later first
        at = data.index(paper.abstract.encode("utf-8")[:40]) + 20
        data = data[:at] + b"\xe9t\xe9 \x92s" + data[at:]
    data = data.replace(b"Traditionally", "Traditionally — naïve".encode(), 1)
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    parsed = read_page(path, today=TODAY)
    assert len(parsed.papers) == len(clean.papers)
    assert any("— naïve" in paper.abstract for paper in parsed.papers)
    assert parsed.warnings[0] == "9 bytes are not UTF-8; read as Windows-1252"
