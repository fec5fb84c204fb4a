"""Load test for a shared PostgreSQL library: N processes import, star and annotate at once.

    python -m benchmarks.pg_load [--processes 8] [--papers 16000] [--url postgresql://…]

Without ``--url`` it starts a throwaway cluster (Debian's postgresql must be installed).
Every page is imported by two processes at the same time, so the same papers are
upserted concurrently; every process stars papers and appends a line to the same
shared notes, reading the note and saving over it as the TUI does. Afterwards it
checks that nothing was lost: every paper once, every star, every sighting, and every
process's line in every shared note. It prints throughput and latencies.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

SHARED_NOTES = 12  # papers every process writes a line into
STARS_PER_PROCESS = 200


def worker(url: str, index: int, pages: list[str], start_at: float, papers: int) -> dict[str, Any]:
    """One lab member's session; returns timings and what it wrote."""
    from readinglist.core.service import ReadingList

    timings: dict[str, list[float]] = {"import": [], "star": [], "note": []}
    errors: list[str] = []
    with ReadingList(url) as service:
        while time.time() < start_at:  # everyone starts together
            time.sleep(0.001)
        for page in pages:
            began = time.perf_counter()
            [report] = service.import_pages([Path(page)])
            timings["import"].append(time.perf_counter() - began)
            if report.error:
                errors.append(report.error)
        deadline = time.time() + 120  # the others' imports land too: all see the same papers
        while service.count() < papers and time.time() < deadline:
            time.sleep(0.05)
        ids = [row.id for row in service.papers()]
        starred = random.Random(index).sample(ids, min(STARS_PER_PROCESS, len(ids)))
        for paper_id in starred:
            began = time.perf_counter()
            service.star([paper_id])
            timings["star"].append(time.perf_counter() - began)
        shared = sorted(ids)[:SHARED_NOTES]
        for paper_id in shared:
            began = time.perf_counter()
            current = service.get(paper_id).note
            service.set_note(paper_id, f"{current}\nwriter {index} read this", base=current)
            timings["note"].append(time.perf_counter() - began)
    return {"timings": timings, "errors": errors, "starred": starred, "shared": shared}


def run_load(url: str, pages: list[Path], processes: int) -> dict[str, Any]:
    """Run the load and check the result; ``problems`` lists anything lost or refused."""
    from readinglist.core.parse import read_page
    from readinglist.core.service import ReadingList

    with ReadingList(url) as service:  # create the schema before the crowd arrives
        service.count()
    # Each page goes to two processes: concurrent upserts of the same rows.
    shares: list[list[str]] = [[] for _ in range(processes)]
    for number, page in enumerate(pages):
        shares[number % processes].append(str(page))
        shares[(number + 1) % processes].append(str(page))
    papers = len({paper.title for page in pages for paper in read_page(page).papers})
    start_at = time.time() + 1.0
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        results = pool.starmap(
            worker,
            [(url, index, shares[index], start_at, papers) for index in range(processes)],
        )
    elapsed = time.time() - start_at  # from the common start to the last one done
    return _check(url, pages, results, elapsed)


def _check(url: str, pages: list[Path], results: list[dict], elapsed: float) -> dict[str, Any]:
    from readinglist.core.parse import read_page
    from readinglist.core.service import ReadingList

    problems = [error for result in results for error in result["errors"]]
    listed = [paper.title for page in pages for paper in read_page(page).papers]
    expected = set(listed)
    with ReadingList(url) as service:
        rows = service.papers()
        if len(rows) != len(expected):
            problems.append(f"{len(rows)} papers stored, {len(expected)} expected")
        starred = {row.id for row in rows if row.starred}
        wanted = {pid for result in results for pid in result["starred"]}
        if missing := wanted - starred:
            problems.append(f"{len(missing)} stars lost")
        for paper_id in results[0]["shared"]:
            note = service.get(paper_id).note
            lost = [i for i in range(len(results)) if f"writer {i} read this" not in note]
            if lost:
                problems.append(f"paper {paper_id}: the note lost the lines of writers {lost}")
        sightings = sum(len(service.sources_of(row.id)) for row in rows)
        if sightings != len(rows):
            problems.append(f"{sightings} sightings for {len(rows)} papers (one page each)")
    timings = {
        name: [value for result in results for value in result["timings"][name]]
        for name in ("import", "star", "note")
    }
    imported = len(listed) * 2  # every page by two processes
    return {
        "problems": problems,
        "elapsed": elapsed,
        "papers": len(expected),
        "imported": imported,
        "timings": timings,
    }


def _ms(values: list[float], fraction: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pg_load", description=__doc__)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--papers", type=int, default=16000)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway one)")
    args = parser.parse_args()
    from benchmarks.generate import generate

    with tempfile.TemporaryDirectory(prefix="rl-load-") as folder:
        pages = generate(Path(folder) / "pages", args.papers, per_page=1000)
        if args.url:
            result = run_load(args.url, pages, args.processes)
        else:
            from tests import pg_cluster

            server = Path(tempfile.mkdtemp(prefix="rl-pg-"))  # the server user must reach it
            try:
                result = run_load(pg_cluster.start(server), pages, args.processes)
            finally:
                pg_cluster.stop(server)
    timings = result["timings"]
    print(f"{args.processes} processes, {result['papers']:,} papers in {len(pages)} pages")
    print(f"  wall time            {result['elapsed']:.2f} s")
    print(
        f"  papers upserted      {result['imported'] / result['elapsed']:,.0f} /s "
        f"(each page by two processes at once)"
    )
    for name in ("import", "star", "note"):
        values = timings[name]
        mean = statistics.fmean(values) if values else 0.0
        print(
            f"  {name:<8} ×{len(values):<5}  p50 {_ms(values, 0.5):>9}  "
            f"p95 {_ms(values, 0.95):>9}  mean {1000 * mean:.1f} ms"
        )
    if result["problems"]:
        print("LOST OR REFUSED:")
        for problem in result["problems"]:
            print(f"  {problem}")
        raise SystemExit(1)
    print("  nothing lost: every paper once, every star, every sighting, every note line")


if __name__ == "__main__":
    main()
