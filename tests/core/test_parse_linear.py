"""Linear time on any input: a page built of pathologies imports in about the time an
ordinary page of the same size does.

Measured as a ratio inside one test, in this process's CPU time (best of three runs
each, taken in turns), with a generous bound, so a loaded machine or a slow disk moves
both sides alike: with a quadratic step these pages take 14-25 times an ordinary page
(each pathology alone), without one about 2 times.
"""

from __future__ import annotations

import time
from pathlib import Path

from readinglist.core.links import extract_links, is_web_link
from readinglist.core.merge import title_key
from readinglist.core.parse import parse_page, read_page
from readinglist.core.service import ReadingList
from readinglist.core.textclean import limit_mark_runs
from tests.conftest import SAMPLES, TODAY

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
ZALGO = "\u0301\u0316" * 20_000  # combining marks out of canonical order: NFKC is quadratic


def pathologies() -> list[str]:
    """Blocks of a page, each about 40-200 KB of one kind of hostile input."""
    sentence = "We study models of this kind. It works well. So we go on. "
    return [
        # the header skip: a line that nearly is a listing date
        "May 1 " + "1" * 50_000 + "x",
        # links followed by long runs of closing brackets, nested brackets, a huge token
        "Brackets After Links",
        "see https://a.org/x" + ")" * 60_000 + " and https://b.org/(" + "(" * 20_000 + ")" * 20_000,
        "A Huge Link Token",
        "at https://" + "http://" * 10_000 + " and https://c.org/" + "a" * 50_000 + ".",
        # escape fragments: many ESC ], unterminated and long, terminated, and C1 and bidi runs
        "Escapes Everywhere",
        "\x1b]" * 40_000 + " then " + ("\x1b]0;" + "x" * 5_000) * 10 + ".",
        "Terminated Strings",
        ("\x1b]0;" + "y" * 4_000 + "\x07") * 10 + ("\x1bP" + "z" * 3_000 + "\x1b\\") * 10 + ".",
        "Control Runs",
        "\x9d" * 30_000 + "\u202e\u2066" * 15_000 + "\x1b[" * 20_000 + "\x85" * 10_000 + ".",
        # a huge line, and a line of sentence breaks and spaces
        "One Huge Line",
        sentence * 4_000,
        "Breaks",
        ". " * 30_000 + "." + " " * 60_000 + "X.",
        # many lines in one run that do not alternate title/abstract: the alignment
        "Many Paragraphs",
        "\n\n".join("A b. C d. E f." if i % 7 else "Short Title Line" for i in range(20_000)),
        # combining marks: a title (first after a metadata block), a link's host, an abstract
        "  • 3 authors\n·\nJan 1, 2024",
        "Zalgo" + ZALGO,
        "at https://x" + ZALGO + ".org/ and" + ZALGO + ".",
        # blank lines, metadata blocks without papers, bare CRs, many duplicates of one title
        "\n" * 60_000 + "Blank Lines Above",
        "text.",
        "\n\n".join(["  • 3 authors\n·\nJan 1, 2024"] * 2_000),
        "Carriage Returns",
        "a\r" + "\r" * 60_000 + "b.",
        *[part for n in range(1_000) for part in ("The Same Title", f"Abstract {n}. " * 3)],
    ]


def pathological_page() -> str:
    return HEADER + "\n\n".join(pathologies()) + "\n"


def ordinary_page(size: int) -> str:
    """The spaced sample pages' papers, titles numbered so each is new, to ``size`` chars."""
    blocks: list[str] = []
    length = copy = 0
    while length < size:
        copy += 1
        for name in "ac":
            text = (SAMPLES / f"daily-papers-page-{name}.txt").read_text(encoding="utf-8")
            titles = [paper.title for paper in parse_page(text, today=TODAY).papers]
            starts = [text.index(f"\n\n{title}\n") + 2 for title in titles]
            for start, end, title in zip(starts, [*starts[1:], len(text)], titles, strict=True):
                blocks.append(text[start:end].strip().replace(title, f"{title} ({copy})", 1))
                length += end - start
    return HEADER + "\n\n".join(blocks) + "\n"


def import_time(page: Path, library: Path) -> float:
    with ReadingList(str(library), today=TODAY) as service:
        start = time.process_time()
        [report] = service.import_pages([page])
        elapsed = time.process_time() - start
    assert report.ok, report.error
    return elapsed


def test_a_pathological_page_imports_in_linear_time(tmp_path: Path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(pathological_page(), encoding="utf-8")
    size = hostile.stat().st_size
    assert size > 1_000_000
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text(ordinary_page(size), encoding="utf-8")
    assert abs(ordinary.stat().st_size - size) < size // 10
    parsed = read_page(hostile, today=TODAY)
    assert len(parsed.papers) > 1_000 and len(read_page(ordinary, today=TODAY).papers) > 500

    hostile_times, ordinary_times = [], []
    for run in range(3):
        ordinary_times.append(import_time(ordinary, tmp_path / f"ordinary-{run}.db"))
        hostile_times.append(import_time(hostile, tmp_path / f"hostile-{run}.db"))
    ratio = min(hostile_times) / min(ordinary_times)
    assert ratio < 10, f"{min(hostile_times):.2f} s vs {min(ordinary_times):.2f} s ({ratio:.1f}x)"


def test_links_after_runs_of_brackets_are_trimmed_right():
    text = "see https://a.org/x" + ")" * 5_000 + " and (https://en.wikipedia.org/wiki/F_(b))."
    assert extract_links(text) == ("https://a.org/x", "https://en.wikipedia.org/wiki/F_(b)")


def test_a_link_whose_host_no_host_can_be_is_not_a_web_link():
    assert is_web_link("https://" + "a" * 300 + ".org/path")
    assert not is_web_link("https://x" + ZALGO + ".org/")
    assert is_web_link("https://example.org/" + "p" * 100_000)


def test_runs_of_combining_marks_are_cut_to_thirty():
    title = parse_text(HEADER + "Z" + ZALGO + "ed Title\n\nAn abstract.\n").papers[0].title
    assert title == "Z" + ZALGO[:30] + "ed Title"
    assert title_key(title) == title_key("Z" + ZALGO[:30] + "ed title")
    for kept in (
        "日本語の論文" * 50,
        "Ελληνικά " * 40,
        "e\u0301" * 1_000,
        "a" + "\u0301" * 30,
        "🙂" * 100,
    ):
        assert limit_mark_runs(kept) == kept


def parse_text(text: str):
    return parse_page(text, today=TODAY)
