"""Benchmarks at 1k, 10k and 100k papers: import, search, TUI and CLI, each beside a plain baseline.

Usage: ``python -m benchmarks [--sizes 1000,10000,100000]``. Pages are generated once
into ``benchmarks/.data`` (git-ignored). Ratios are ours / baseline: machines here are
noisy, and a ratio drifts less than a time.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.parse import read_page

from .generate import generate

# The service and rapidfuzz are imported where they are used: the import's parse worker
# is spawned, so it re-imports this module, and it must start as light as the CLI's
# (whose main module does not load the database layer) for the figure to be the CLI's.
if TYPE_CHECKING:
    from readinglist.core.service import ReadingList

HERE = Path(__file__).resolve().parent
QUERIES = ["transformer", "handwritten docs", "org:google", "is:starred bert"]


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def raw_import(pages: list[Path], db: Path) -> float:
    """The plainest fast way: parse, then one executemany per page into a bare table.

    Run again on the same file, it is the plain re-import: the unique title skips repeats.
    """
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS paper (id INTEGER PRIMARY KEY, title TEXT UNIQUE, abstract TEXT, "
        "authors INT, org TEXT, date TEXT, upvotes INT)"
    )
    for page in pages:
        papers = read_page(page).papers
        with conn:
            conn.executemany(
                "INSERT OR IGNORE INTO paper (title, abstract, authors, org, date, upvotes) VALUES (?,?,?,?,?,?)",
                [(p.title, p.abstract, p.authors, p.org, p.date, p.upvotes) for p in papers],
            )
    conn.close()
    return time.perf_counter() - start


def keystrokes(query: str) -> list[str]:
    return [query[:end] for end in range(1, len(query) + 1)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_search(service: ReadingList) -> dict[str, float]:
    """Per keystroke: the TUI's path (search, then the rows to show) vs one rapidfuzz pass."""
    from rapidfuzz import fuzz, process, utils

    service.star([row.id for row in service.papers(limit=200)])
    service.search("warm up")
    ours = []
    for query in QUERIES:
        for typed in keystrokes(query):
            start = time.perf_counter()
            hits = service.search(typed, limit=1000)
            service.summaries([hit.id for hit in hits])
            ours.append(time.perf_counter() - start)
    titles = [row.title for row in service.papers()]
    plain = []
    for query in QUERIES:
        for typed in keystrokes(query):
            start = time.perf_counter()
            process.extract(
                typed, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=50
            )
            plain.append(time.perf_counter() - start)
    return {
        "p50": percentile(ours, 0.5),
        "p95": percentile(ours, 0.95),
        "plain_p50": percentile(plain, 0.5),
        "plain_p95": percentile(plain, 0.95),
    }


def run_probe(db: Path, *extra: str) -> dict[str, float]:
    env = {**os.environ, "RL_BENCH_T0": repr(time.time())}
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.tui_probe", str(db), *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=HERE.parent,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def whole_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True, cwd=HERE.parent)
    return time.perf_counter() - start


def bench_cli(db: Path) -> dict[str, float]:
    cli = [sys.executable, "-m", "readinglist", "--db", str(db)]
    raw_list = (
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
        "[print(*r) for r in c.execute('SELECT id,date,upvotes,title FROM paper "
        "ORDER BY date DESC LIMIT 20')]"
    )
    raw_search = (
        "import sqlite3,sys; from rapidfuzz import fuzz,process,utils;"
        "c=sqlite3.connect(sys.argv[1]); titles=[t for t, in c.execute('SELECT title FROM paper')];"
        "[print(*r) for r in process.extract(sys.argv[2],titles,scorer=fuzz.WRatio,"
        "processor=utils.default_process,limit=20)]"
    )
    best = lambda args: min(whole_process(args) for _ in range(3))  # noqa: E731
    return {
        "list": best([*cli, "list", "--limit", "20"]),
        "search": best([*cli, "search", "transformer"]),
        "plain_list": best([sys.executable, "-c", raw_list, str(db)]),
        "plain_search": best([sys.executable, "-c", raw_search, str(db), "transformer"]),
    }


def bench_size(size: int, workdir: Path, data: Path) -> dict[str, float]:
    from readinglist.core.service import ReadingList

    pages = generate(data / str(size), size)
    db = workdir / f"library-{size}.db"
    seconds, service = timed(ReadingList, db)
    seconds, reports = timed(service.import_pages, pages, parallel=True)  # as the CLI does
    papers = sum(report.papers for report in reports)
    assert all(report.ok for report in reports) and service.count() == size, "import lost papers"
    reimport_seconds, _ = timed(service.import_pages, pages, parallel=True)
    plain_seconds = raw_import(pages, workdir / f"raw-{size}.db")
    plain_reimport_seconds = raw_import(pages, workdir / f"raw-{size}.db")
    figures = {
        "import_per_s": papers / seconds,
        "reimport_per_s": papers / reimport_seconds,
        "plain_import_per_s": papers / plain_seconds,
        "plain_reimport_per_s": papers / plain_reimport_seconds,
    }
    figures.update({f"search_{k}": v for k, v in bench_search(service).items()})
    service.close()
    tui = run_probe(db)
    plain_tui = run_probe(db, "--plain")
    figures.update({f"tui_{k}": v for k, v in tui.items()})
    figures["plain_tui_first_frame"] = plain_tui["first_frame"]
    figures["plain_tui_keystroke"] = plain_tui["keystroke"]
    figures["plain_tui_rss_mb"] = plain_tui["peak_rss_mb"]
    figures.update({f"cli_{k}": v for k, v in bench_cli(db).items()})
    return figures


# Each row: what is measured, our figure, the plain way's, and how both are shown.
ROWS = (
    ("import (papers/s)", "import_per_s", "plain_import_per_s", "rate"),
    ("re-import, dedupe (papers/s)", "reimport_per_s", "plain_reimport_per_s", "rate"),
    ("search per keystroke p50", "search_p50", "search_plain_p50", "ms"),
    ("search per keystroke p95", "search_p95", "search_plain_p95", "ms"),
    ("TUI first frame with list", "tui_first_frame", "plain_tui_first_frame", "ms"),
    ("TUI keystroke → list (p50)", "tui_keystroke", "plain_tui_keystroke", "ms"),
    ("TUI peak memory (RSS)", "tui_peak_rss_mb", "plain_tui_rss_mb", "MB"),
    ("CLI list --limit 20", "cli_list", "cli_plain_list", "ms"),
    ("CLI search", "cli_search", "cli_plain_search", "ms"),
)
SHOW = {
    "rate": lambda value: f"{value:,.0f}",
    "ms": lambda seconds: f"{seconds * 1000:.1f} ms",
    "MB": lambda megabytes: f"{megabytes:.0f} MB",
}


def ratio(ours: float, plain: float, unit: str) -> str:
    """Ours over the plain way; a rate in words ("1.20x slower", "1.05x faster")."""
    if unit != "rate":
        return f"{ours / plain:.2f}x"
    slower = plain / ours
    return f"{slower:.2f}x slower" if slower >= 1 else f"{1 / slower:.2f}x faster"


def report(size: int, figures: dict[str, float]) -> str:
    rows = [
        (
            label,
            SHOW[unit](figures[ours]),
            SHOW[unit](figures[plain]),
            ratio(figures[ours], figures[plain], unit),
        )
        for label, ours, plain, unit in ROWS
    ]
    width = max(len(row[0]) for row in rows)
    lines = [f"\n{size:,} papers", f"{'':{width}}  {'ours':>14}  {'plain way':>14}  ratio"]
    lines += [f"{a:{width}}  {b:>14}  {c:>14}  {d}" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated paper counts")
    parser.add_argument(
        "--data", type=Path, default=HERE / ".data", help="where generated pages are kept"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readinglist-bench-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            print(report(size, bench_size(size, Path(folder), args.data)), flush=True)


if __name__ == "__main__":
    main()
