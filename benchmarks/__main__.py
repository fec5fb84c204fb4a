"""Issue 20's table at 1k, 10k and 100k papers: each figure beside the plainest way, same run.

Usage: ``python -m benchmarks [--sizes 1000,10000,100000] [--plot FILE]``. Pages are
generated once into ``benchmarks/.data`` (git-ignored; see ``generate``: the sample
pages' word frequencies, both text layouts, saved web pages and API JSON, colliding
titles). Ratios are ours / plainest: machines here are noisy, and a ratio drifts less
than a time. The plainest ways are the issue's:

* import: the reference parser (``read_page``) and one ``executemany`` per page into a
  bare table, in one process;
* ``list --limit 20``: a bare ``python -c`` sqlite3 query;
* ``search "transformer attention"``: a bare script, rapidfuzz over every title;
* the app's first frame and peak memory: an empty Textual app, in tmux as ours is;
* keystroke to updated list: one in-process rapidfuzz pass over every title.

The plain import keeps no search index; beside it is printed an import floor, the
plain way filling FTS5 indexes like ours page by page: what any import that keeps a
full-text index pays at least.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from readinglist.core.parse import read_page

from .generate import generate_plan
from .plot import save_plot
from .terminal import app_figures, empty_app_figures, expected_rows, floor_keystrokes

HERE = Path(__file__).resolve().parent
QUERY = "transformer attention"
IMPORT_RUNS = 3
"""Times the import is measured, ours and the plain way's in turn (the median is given):
at 100,000 papers one run of each drifted by a tenth between runs."""
TMUX_RUNS = 3
"""Times each figure taken in tmux is measured, ours and the plain way's in turn: one
first frame swung from 0.38 s to 0.56 s between runs, and one typed query's 11 timed
keys make its p95 its slowest key."""
FULL_TEXT = (("text_index", "title, org, abstract"), ("title_index", "title"))
"""The import floor's FTS5 indexes: like ours (tokenizer, detail), over the bare table's text."""
ROWS_COMPARED = 8  # a keystroke is done when the list's first rows are the service's best matches
# label, our figure, the plain way's, unit, the goal for ours / plain
ROWS = (
    ("import", "import", "plain_import", "s", "≤ 1.5x"),
    ("re-import (all merged)", "reimport", "plain_reimport", "s", ""),
    ("list --limit 20, whole process", "list", "plain_list", "s", "≤ 6x"),
    (f'search "{QUERY}", whole process', "search", "plain_search", "s", "≤ 0.5x"),
    ("app first frame with the list (tmux)", "first_frame", "plain_first_frame", "s", "≤ 1.5x"),
    (
        "keystroke to updated list, p95 (tmux)",
        "keystroke_p95",
        "plain_keystroke_p95",
        "s",
        "≤ 0.1x",
    ),
    ("app peak memory", "peak_rss_mb", "plain_peak_rss_mb", "MB", "≤ 3x"),
)


def raw_import(pages: list[Path], db: Path, *, full_text: bool = False) -> float:
    """The plainest way: parse, then one executemany per page into a bare table.

    Run again on the same file, it is the plain re-import: the unique title skips repeats.
    With ``full_text`` it also fills FTS5 indexes as ours are made (``FULL_TEXT``), from
    each page's new rows: the floor of an import that keeps a search index.
    """
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS paper (id INTEGER PRIMARY KEY, title TEXT UNIQUE, abstract TEXT, "
        "authors INT, org TEXT, date TEXT, upvotes INT)"
    )
    for name, columns in FULL_TEXT if full_text else ():
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({columns}, content='paper', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=column)"
        )
    for page in pages:
        papers = read_page(page).papers
        with conn:
            [(before,)] = conn.execute("SELECT coalesce(max(id), 0) FROM paper")
            conn.executemany(
                "INSERT OR IGNORE INTO paper (title, abstract, authors, org, date, upvotes) VALUES (?,?,?,?,?,?)",
                [(p.title, p.abstract, p.authors, p.org, p.date, p.upvotes) for p in papers],
            )
            for name, columns in FULL_TEXT if full_text else ():
                conn.execute(
                    f"INSERT INTO {name} (rowid, {columns}) SELECT id, {columns} FROM paper WHERE id > ?",
                    (before,),
                )
    conn.close()
    return time.perf_counter() - start


def compile_package() -> None:
    """Write our modules' bytecode once, as an installed package has it: with
    ``PYTHONDONTWRITEBYTECODE`` set (it is on some machines) every timed process would
    otherwise compile them again, a cost the ``python -c`` plain ways never pay."""
    import compileall

    import readinglist

    compileall.compile_dir(Path(readinglist.__file__).parent, quiet=1)


def whole_process(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True, cwd=HERE.parent, env=env)
    return time.perf_counter() - start


def _at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more (--no-tmux skips the tmux figures)")
    return number


def _median_or_none(values: list[float | None]) -> float | None:
    """The median of a keystroke's runs; None when its list could not be told apart."""
    known = [value for value in values if value is not None]
    return median(known) if len(known) == len(values) else None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def plain_keystrokes(db: Path) -> list[float]:
    """One in-process rapidfuzz pass over every title per prefix of the query."""
    from rapidfuzz import fuzz, process, utils

    with sqlite3.connect(db) as conn:
        titles = [title for (title,) in conn.execute("SELECT title FROM paper")]
    times = []
    for end in range(1, len(QUERY) + 1):
        start = time.perf_counter()
        process.extract(
            QUERY[:end], titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=50
        )
        times.append(time.perf_counter() - start)
    return times


def bench_cli(db: Path, env: dict[str, str]) -> dict[str, float]:
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

    def best(args: list[str]) -> float:
        return min(whole_process(args, env) for _ in range(3))

    return {
        "list": best([*cli, "list", "--limit", "20"]),
        "search": best([*cli, "search", QUERY]),
        "plain_list": best([sys.executable, "-c", raw_list, str(db)]),
        "plain_search": best([sys.executable, "-c", raw_search, str(db), QUERY]),
    }


def bench_size(size: int, workdir: Path, data: Path, *, tmux_runs: int) -> dict[str, object]:
    plan = generate_plan(data / str(size), size, per_page=max(10, min(1000, size // 12)))
    pages = list(plan.pages)
    db, home = workdir / f"library-{size}.db", workdir / f"home-{size}"
    home.mkdir()
    env = {**os.environ, "READINGLIST_HOME": str(home)}

    def import_into(library: Path) -> list[str]:
        return [sys.executable, "-m", "readinglist", "--db", str(library), "import", folder]

    folder = str(pages[0].parent)
    imports, plain_imports, floor_imports = [], [], []
    for run in range(IMPORT_RUNS):  # in turn, each into a new library; the first is kept
        library, raw = (
            (db, workdir / f"raw-{size}.db")
            if not run
            else (workdir / "again.db", workdir / "raw-again.db")
        )
        os.sync()  # the last run's writes on disk: each starts with none pending
        imports.append(whole_process(import_into(library), env))
        os.sync()
        plain_imports.append(raw_import(pages, raw))
        os.sync()
        floor_imports.append(raw_import(pages, workdir / "floor-again.db", full_text=True))
        for path in workdir.glob("*again.db*"):  # the library, its WAL, its backups
            if run or path.name.startswith("floor"):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    figures: dict[str, object] = {"import": median(imports), "plain_import": median(plain_imports)}
    figures["floor_import"] = median(floor_imports)
    figures["import_runs"] = list(zip(imports, plain_imports, floor_imports, strict=True))
    figures["reimport"] = whole_process(import_into(db), env)
    figures["plain_reimport"] = raw_import(pages, workdir / f"raw-{size}.db")
    with sqlite3.connect(db) as conn:
        [(stored,)] = conn.execute("SELECT count(*) FROM paper")
    figures["papers"] = stored
    figures["plan"] = (
        f"{plan.listings:,} listings of {plan.papers:,} papers ({plan.revised} under a revised title) in {len(pages)} pages"
    )
    figures.update(bench_cli(db, env))
    plain: list[float] = []  # one pass per tmux run, taken in turn with ours
    if not tmux_runs:
        plain = plain_keystrokes(db)
    else:
        rows = expected_rows(QUERY, expected_titles(db))
        ours, empty, floor = [], [], []
        for run in range(tmux_runs):  # in turn, so a slower minute weighs on each alike
            fresh = workdir / f"home-{size}-run-{run}"  # as the first: no paper remembered
            shutil.copytree(home, fresh)
            ours.append(app_figures(db, fresh, QUERY, rows))
            plain += plain_keystrokes(db)
            empty.append(empty_app_figures())
            floor.append(floor_keystrokes(QUERY, rows, workdir))
        timed = [k.seconds for run in ours for k in run.keystrokes if k.seconds is not None]
        floor_timed = [k.seconds for run in floor for k in run if k.seconds is not None]
        figures.update(
            first_frame=median(run.first_frame for run in ours),
            peak_rss_mb=max(run.peak_rss_mb for run in ours),
            keystroke_p95=percentile(timed, 0.95) if timed else None,
            floor_keystroke_p95=percentile(floor_timed, 0.95) if floor_timed else None,
            plain_first_frame=median(run.first_frame for run in empty),
            plain_peak_rss_mb=max(run.peak_rss_mb for run in empty),
            first_frames=[(a.first_frame, b.first_frame) for a, b in zip(ours, empty, strict=True)],
            keystrokes=[
                (
                    typed,
                    _median_or_none([run.keystrokes[at].seconds for run in ours]),
                    median(plain[at :: len(QUERY)]),
                    _median_or_none([run[at].seconds for run in floor]),
                )
                for at, typed in enumerate(k.typed for k in ours[0].keystrokes)
            ],
        )
    figures["plain_keystroke_p95"] = percentile(plain, 0.95)
    return figures


def expected_titles(db: Path):
    """What the app's list should show first for a prefix: the service's best matches."""
    from readinglist.core.service import ReadingList

    service = ReadingList(db)

    def titles(prefix: str) -> list[str]:
        ids = [hit.id for hit in service.search(prefix, limit=200)[:ROWS_COMPARED]]
        return [row.title for row in service.summaries(ids)]

    return titles


def _ms(seconds: float | None, missing: str = "—") -> str:
    return missing if seconds is None else f"{seconds * 1000:.1f} ms"


def show(value: object, unit: str) -> str:
    if not isinstance(value, float | int):
        return "—"
    return f"{value:.0f} MB" if unit == "MB" else f"{value:.3f} s"


def report(size: int, figures: dict[str, object]) -> str:
    rows = []
    for label, ours, plain, unit, goal in ROWS:
        a, b = figures.get(ours), figures.get(plain)
        ratio = (
            f"{a / b:.2f}x" if isinstance(a, float | int) and isinstance(b, float | int) else "—"
        )
        rows.append((label, show(a, unit), show(b, unit), ratio, goal))
    width = max(len(row[0]) for row in rows)
    lines = [
        f"\n{size:,} papers: {figures['plan']}; the library holds {figures['papers']:,}",
        f"{'figure':{width}}  {'ours':>10}  {'plainest':>10}  {'ratio':>7}  goal",
    ]
    lines += [f"{a:{width}}  {b:>10}  {c:>10}  {d:>7}  {e}" for a, b, c, d, e in rows]
    ours_p95, floor_p95 = figures.get("keystroke_p95"), figures.get("floor_keystroke_p95")
    if isinstance(ours_p95, float) and isinstance(floor_p95, float):
        lines.append(
            f"keystroke floor, p95 (tmux): a bare Textual app showing the same rows, no search: "
            f"{floor_p95 * 1000:.0f} ms; ours / floor {ours_p95 / floor_p95:.2f}x"
        )
    ours_import, floor_import = figures.get("import"), figures.get("floor_import")
    if isinstance(ours_import, float) and isinstance(floor_import, float):
        lines.append(
            f"import floor: the plain way filling full-text indexes like ours as it goes: "
            f"{floor_import:.3f} s; ours / floor {ours_import / floor_import:.2f}x"
        )
    runs = figures.get("import_runs")
    if isinstance(runs, list):
        lines.append(
            "import, each run (ours / plain / floor): "
            + ", ".join(f"{ours:.2f} / {plain:.2f} / {floor:.2f} s" for ours, plain, floor in runs)
        )
    frames = figures.get("first_frames")
    if isinstance(frames, list):
        lines.append(
            "first frame, each run (ours / empty app): "
            + ", ".join(f"{ours:.3f} / {empty:.3f} s" for ours, empty in frames)
        )
    keys = figures.get("keystrokes")
    if isinstance(keys, list):
        lines.append(
            "per keystroke, median of the runs: ours (tmux), one rapidfuzz pass (plainest), floor (tmux):"
        )
        lines += [
            f"  {typed!r:25} {_ms(ours, '(list unchanged)'):>16}  {_ms(plain):>9}  {_ms(floor):>9}"
            for typed, ours, plain, floor in keys
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated paper counts")
    parser.add_argument(
        "--data", type=Path, default=HERE / ".data", help="where generated pages are kept"
    )
    parser.add_argument(
        "--plot", type=Path, default=HERE / ".data" / "latency", help="plot file, without suffix"
    )
    parser.add_argument("--no-tmux", action="store_true", help="skip the figures taken in tmux")
    parser.add_argument(
        "--tmux-runs",
        type=_at_least_one,
        default=TMUX_RUNS,
        help="times each tmux figure is taken (first frame: the median; keystrokes: p95 of "
        "all; peak memory: the highest)",
    )
    parser.add_argument(
        "--saved-page-papers",
        type=int,
        default=1000,
        help="papers per page for the saved-page figure",
    )
    args = parser.parse_args()
    compile_package()
    from .saved_page import per_paper  # it loads the service: not at import (see tests)

    repeat = 9  # these machines' noise comes in spells: more runs side by side, steadier
    figures = per_paper(args.saved_page_papers, repeat=repeat)
    print(
        "saved web page vs text page of the same papers, per paper "
        f"(CPU time, {repeat} runs of each in turn; goal: ratio ≤ 1.00):"
    )
    for what, comparison in figures.items():
        print(f"  {comparison.row(what)}")
    results: dict[int, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="readinglist-bench-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            runs = 0 if args.no_tmux else args.tmux_runs
            results[size] = bench_size(size, Path(folder), args.data, tmux_runs=runs)
            print(report(size, results[size]), flush=True)
    print(
        save_plot(
            results,
            [(label, ours, plain) for label, ours, plain, unit, _ in ROWS if unit == "s"],
            args.plot,
        )
    )


if __name__ == "__main__":
    main()
