"""A saved Daily Papers web page against a text page of the same papers, per paper.

    python -m benchmarks.saved_page [--papers 1000] [--repeat 15]

Both pages hold the same generated papers (``generate.Generator``, the sample pages'
word frequencies); the saved page wraps them as API items (authors, organisation, code
link, keywords and the furniture the real ones carry) in a ``DailyPapers`` element
between other hydrated elements, HTML-escaped as the site does. Parsing alone, and a
whole import into a new SQLite library (made before the clock starts: making one is
not per paper), run ``--repeat`` times, the two pages in turn. Printed for each: the
best CPU time per paper of each page and their ratio (saved page / text page), and the
median of the ratios of the runs taken side by side, with the middle half of them:
these machines' noise comes in spells, which a pair of runs side by side shares. Then
where the saved page's parse goes, stage by stage. Last, the time to reject malformed
HTML of twice the size, over once: about 2 when linear.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

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
    """The best CPU time of each page (see ``times_in_turn``)."""
    return [min(page_times) for page_times in times_in_turn(repeat, run, pages)]


def times_in_turn(repeat: int, run: Callable[[Any], object], pages: list[Any]) -> list[list[float]]:
    """``repeat`` CPU times of each page (this process's, so other processes' load does
    not count), the pages run in turn, in reverse order every other round, after a
    round not counted (the first run of each loads what it needs). ``run`` may time
    itself: a ``Timed`` it returns is its time."""
    times: list[list[float]] = [[] for _ in pages]
    for round_number in range(-1, repeat):
        order = list(zip(pages, times, strict=True))
        for page, page_times in order[:: -1 if round_number % 2 else 1]:
            start = time.process_time()
            timed = run(page)
            took = timed.seconds if isinstance(timed, Timed) else time.process_time() - start
            if round_number >= 0:
                page_times.append(took)
    return times


class Timed(NamedTuple):
    """What a run timed itself: CPU seconds."""

    seconds: float


class Comparison(NamedTuple):
    """Seconds per paper, the best of each page, and the ratios of the runs side by side."""

    text: float
    saved: float
    paired: float  # the median of (saved page / text page), each run over the one beside it
    paired_low: float  # the middle half of those ratios (their quartiles): from this
    paired_high: float  # ... to this

    @classmethod
    def of(cls, text_times: list[float], saved_times: list[float], papers: int) -> Comparison:
        ratios = [saved / text for text, saved in zip(text_times, saved_times, strict=True)]
        low, _median, high = (
            statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 else ratios * 3
        )
        return cls(
            min(text_times) / papers,
            min(saved_times) / papers,
            statistics.median(ratios),
            low,
            high,
        )

    def row(self, what: str) -> str:
        return (
            f"{what:6}  text {self.text * 1e6:6.1f} µs/paper  "
            f"saved {self.saved * 1e6:6.1f} µs/paper  ratio {self.saved / self.text:.2f}  "
            f"side by side {self.paired:.2f} ({self.paired_low:.2f}-{self.paired_high:.2f})"
        )


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


def import_into_new_library(folder: Path, page: Path) -> Timed:
    """The CPU time of importing ``page`` into a new library, made before the clock
    starts, and closed before it stops (closing writes the import into the file)."""
    db = folder / "bench.db"
    for leftover in folder.glob("bench.db*"):
        leftover.unlink()
    service = ReadingList(str(db), today=TODAY)
    try:
        start = time.process_time()
        [report] = service.import_pages([page])
    finally:
        service.close()
    took = time.process_time() - start
    assert report.ok, report.error
    return Timed(took)


def per_paper(papers: int, repeat: int) -> dict[str, Comparison]:
    """The text page against the saved page, to parse and to import."""
    with tempfile.TemporaryDirectory(prefix="rl-bench-") as tmp:
        folder = Path(tmp)
        text, saved = write_pages(folder, papers)
        for page in (text, saved):
            assert len(read_page(page, today=TODAY).papers) == papers, page
        runs: list[tuple[str, Callable[[Path], object]]] = [
            ("parse", lambda page: read_page(page, today=TODAY)),
            ("import", lambda page: import_into_new_library(folder, page)),
        ]
        figures = {}
        for what, run in runs:
            text_times, saved_times = times_in_turn(repeat, run, [text, saved])
            figures[what] = Comparison.of(text_times, saved_times, papers)
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
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if args.repeat < 1 or args.papers < 1:
        parser.error("--papers and --repeat take 1 or more")
    for what, comparison in per_paper(args.papers, args.repeat).items():
        print(comparison.row(what))
    stages = saved_page_stages(args.papers, args.repeat)
    print(
        "saved page read from its bytes, by stage, µs/paper: "
        + "  ".join(f"{name} {seconds * 1e6:.1f}" for name, seconds in stages.items())
    )
    print(f"malformed HTML, 2 MB / 1 MB: {reject_malformed(args.repeat, 1_000_000):.2f}x")


if __name__ == "__main__":
    main()
