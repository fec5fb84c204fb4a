"""A saved Daily Papers web page against a text page of the same papers, per paper.

    python -m benchmarks.saved_page [--papers 1000] [--repeat 5]

Both pages hold the same generated papers (``generate.make_paper``); the saved page
wraps them as API items (authors, organisation, code link, keywords, as the real ones
carry) in a ``DailyPapers`` element between other hydrated elements, HTML-escaped as
the site does. Prints the best of ``--repeat`` runs of parsing alone and of a whole
import into a fresh SQLite library, and the ratio (saved page / text page). Last, the
time to reject malformed HTML of twice the size, over once: about 2 when linear.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.core.hf_pages import parse_rich_page
from readinglist.core.parse import PageError, read_page
from readinglist.core.service import ReadingList

from .generate import ORGS, make_paper, render_page

TODAY = date(2026, 3, 6)


def api_item(rng: random.Random, number: int, title: str, abstract: str) -> dict[str, Any]:
    handle, display = rng.choice(ORGS)
    authors = [
        {"_id": f"{number:08x}{n:04x}", "name": f"Author {number}-{n}", "hidden": False}
        for n in range(rng.randint(2, 12))
    ]
    paper = {
        "id": f"2603.{number:05d}",
        "authors": authors,
        "publishedAt": "2026-03-04T17:08:18.000Z",
        "submittedOnDailyAt": "2026-03-06T03:55:12.777Z",
        "title": title,
        "summary": abstract,
        "upvotes": rng.randint(0, 400),
        "discussionId": f"{number:024x}",
        "githubRepo": f"https://github.com/lab{number % 97}/repo{number}",
        "githubStars": rng.randint(0, 5000),
        "ai_summary": abstract[:200],
        "ai_keywords": abstract.split()[:8],
        "organization": {"_id": f"{number:024x}", "name": handle, "fullname": display},
    }
    return {
        "paper": paper,
        "publishedAt": paper["publishedAt"],
        "title": title,
        "summary": abstract,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{number}.png",
        "numComments": rng.randint(0, 9),
        "submittedBy": {"_id": f"{number:024x}", "fullname": "Someone", "name": "someone"},
        "organization": paper["organization"],
        "isAuthorParticipating": False,
    }


def hydrater(target: str, props: Any) -> str:
    escaped = html.escape(json.dumps(props), quote=True)
    return f'<div class="SVELTE_HYDRATER contents" data-target="{target}" data-props="{escaped}"></div>'


def write_pages(folder: Path, count: int) -> tuple[Path, Path]:
    rng = random.Random(7)
    papers = [make_paper(rng, number) for number in range(count)]
    text = folder / "page.txt"
    text.write_text(render_page(papers, compact=False, listing="Mar 6"), encoding="utf-8")
    items = [api_item(rng, n, title, abstract) for n, (title, abstract, _meta) in enumerate(papers)]
    props = {"dateString": "2026-03-06", "periodType": "month", "dailyPapers": items}
    saved = folder / "page.html"
    saved.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>\n"
        + hydrater("MainHeader", {"csrfToken": "x", "user": None})
        + "\n"
        + hydrater("DailyPapers", props)
        + "\n"
        + hydrater("Footer", {})
        + "\n</body></html>\n",
        encoding="utf-8",
    )
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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.saved_page", description=__doc__)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rl-bench-") as tmp:
        folder = Path(tmp)
        text, saved = write_pages(folder, args.papers)
        for name, page in (("text page", text), ("saved page", saved)):
            assert len(read_page(page, today=TODAY).papers) == args.papers
            print(f"{name}: {page.stat().st_size / 1e6:.1f} MB")
        rows = []
        runs: list[tuple[str, Callable[[Path], object]]] = [
            ("parse", lambda page: read_page(page, today=TODAY)),
            ("import", lambda page: import_into_fresh_library(folder, page)),
        ]
        for what, run in runs:
            plain, rich = best_of_alternating(args.repeat, run, [text, saved])
            rows.append(
                f"{what:6}  text {plain / args.papers * 1e6:6.1f} µs/paper  "
                f"saved {rich / args.papers * 1e6:6.1f} µs/paper  ratio {rich / plain:.2f}"
            )
        print("\n".join(rows))
        print(f"malformed HTML, 2 MB / 1 MB: {reject_malformed(args.repeat, 1_000_000):.2f}x")


if __name__ == "__main__":
    main()
