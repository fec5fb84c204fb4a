"""A saved Daily Papers web page against a text page of the same papers, per paper.

    python -m benchmarks.saved_page [--papers 1000] [--repeat 5]

Both pages hold the same generated papers (``generate.Generator``, the sample pages'
word frequencies); the saved page wraps them as API items (authors, organisation, code
link, keywords and the furniture the real ones carry) in a ``DailyPapers`` element
between other hydrated elements, HTML-escaped as the site does. Prints the best of ``--repeat`` runs of parsing alone and of a whole
import into a fresh SQLite library, and the ratio (saved page / text page); then where
the saved page's parse goes, stage by stage. Last, the time to reject malformed HTML of
twice the size, over once: about 2 when linear.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.core.hf_html import find_listing, unescape_utf8
from readinglist.core.hf_items import paper_from_item
from readinglist.core.hf_listing import decode_listing
from readinglist.core.hf_pages import parse_rich_page
from readinglist.core.parse import PageError, read_page
from readinglist.core.service import ReadingList
from readinglist.core.textclean import is_clean_utf8_page

from .generate import Generator
from .pages import api_item, saved_page, text_page

TODAY = date(2026, 3, 6)


def write_pages(folder: Path, count: int) -> tuple[Path, Path]:
    """The same generated papers as a (spaced) text page and as a saved web page."""
    generator = Generator(seed=7)
    papers = [generator.paper(number, TODAY) for number in range(count)]
    text = folder / "page.txt"
    text.write_text(text_page(papers, compact=False, listing=TODAY), encoding="utf-8")
    saved = folder / "page.html"
    saved.write_text(saved_page([api_item(paper) for paper in papers], TODAY), encoding="utf-8")
    return text, saved


def best_of_alternating(repeat: int, run: Callable[[Any], object], pages: list[Any]) -> list[float]:
    """The best CPU time of each page (this process's, so other processes' load does not
    count), the pages run in turn."""
    times: list[list[float]] = [[] for _ in pages]
    for _ in range(repeat):
        for page, page_times in zip(pages, times, strict=True):
            start = time.process_time()
            run(page)
            page_times.append(time.process_time() - start)
    return [min(page_times) for page_times in times]


MALFORMED = ("<a ", '<a b="', "</", "<!", "<!--", "<?", "&#", "<div data-target=DailyPapers ")


def reject_malformed(repeat: int, size: int) -> float:
    """The worst, over constructs left open, of (time at 2 x size) / (time at size)."""

    def reject(text: str) -> None:
        with contextlib.suppress(PageError):
            parse_rich_page(text)

    worst = 0.0
    for unit in MALFORMED:
        pages = [f"<!DOCTYPE html>{unit * (n * size // len(unit))}" for n in (1, 2)]
        once, twice = best_of_alternating(repeat, reject, pages)
        worst = max(worst, twice / once)
    return worst


def import_into_fresh_library(folder: Path, page: Path) -> None:
    db = folder / "bench.db"
    for leftover in folder.glob("bench.db*"):
        leftover.unlink()
    with ReadingList(str(db), today=TODAY) as service:
        [report] = service.import_pages([page])
        assert report.ok, report.error


def per_paper(papers: int, repeat: int) -> dict[str, tuple[float, float]]:
    """Seconds per paper, (text page, saved page), to parse and to import."""
    with tempfile.TemporaryDirectory(prefix="rl-bench-") as tmp:
        folder = Path(tmp)
        text, saved = write_pages(folder, papers)
        for page in (text, saved):
            assert len(read_page(page, today=TODAY).papers) == papers, page
        runs: list[tuple[str, Callable[[Path], object]]] = [
            ("parse", lambda page: read_page(page, today=TODAY)),
            ("import", lambda page: import_into_fresh_library(folder, page)),
        ]
        figures = {}
        for what, run in runs:
            plain, rich = best_of_alternating(repeat, run, [text, saved])
            figures[what] = (plain / papers, rich / papers)
        return figures


def saved_page_stages(papers: int, repeat: int) -> dict[str, float]:
    """Seconds per paper of each stage of reading the saved page from its bytes
    (``parse_saved_page_bytes``; best of ``repeat``), the collector paused where it
    pauses it."""
    with tempfile.TemporaryDirectory(prefix="rl-bench-") as tmp:
        _, saved = write_pages(Path(tmp), papers)
        data = saved.read_bytes()
    page = data.decode("latin-1")
    found = find_listing(page)
    assert found is not None
    props = unescape_utf8(data, found.start, found.end)
    assert props is not None
    gc.disable()
    try:
        listing = decode_listing(props)
        assert listing is not None
        items = listing.dailyPapers
        stages: list[tuple[str, Callable[[Any], object]]] = [
            ("as latin-1", lambda _: data.decode("latin-1")),
            ("utf-8 check", lambda _: is_clean_utf8_page(data)),
            ("find", lambda _: find_listing(page)),
            ("unescape", lambda _: unescape_utf8(data, found.start, found.end)),
            ("json", lambda _: decode_listing(props)),
            ("items", lambda _: [paper_from_item(item) for item in items]),
        ]
        times = {}
        for name, run in stages:
            times[name] = best_of_alternating(repeat, run, [None])[0] / papers
    finally:
        gc.enable()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.saved_page", description=__doc__)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for what, (plain, rich) in per_paper(args.papers, args.repeat).items():
        rows.append(
            f"{what:6}  text {plain * 1e6:6.1f} µs/paper  "
            f"saved {rich * 1e6:6.1f} µs/paper  ratio {rich / plain:.2f}"
        )
    print("\n".join(rows))
    stages = saved_page_stages(args.papers, args.repeat)
    print(
        "saved page read from its bytes, by stage, µs/paper: "
        + "  ".join(f"{name} {seconds * 1e6:.1f}" for name, seconds in stages.items())
    )
    print(f"malformed HTML, 2 MB / 1 MB: {reject_malformed(args.repeat, 1_000_000):.2f}x")


if __name__ == "__main__":
    main()
