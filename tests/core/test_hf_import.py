"""Saved pages and API JSON through the service, the CLI and the parse worker; secrets."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.merge import read_keyed_or_error
from readinglist.core.service import ReadingList
from readinglist.core.textclean import clean_line
from tests.hf_builder import (
    API_ITEMS,
    CSRF_TOKEN,
    NASTY_TITLE,
    PAPER_OBJECT,
    TODAY,
    USER_NAME,
    item,
    saved_page,
    write,
)

# -- secrets -------------------------------------------------------------------------------


def test_a_logged_in_pages_token_and_name_go_nowhere(tmp_path, caplog):
    page = write(tmp_path, "page.html", saved_page(API_ITEMS, logged_in=True))
    broken = write(
        tmp_path,
        "broken.html",
        saved_page(API_ITEMS, logged_in=True).replace('data-target="DailyPapers"', ""),
    )
    db = tmp_path / "lib.db"
    runner = CliRunner()
    outputs = [
        runner.invoke(cli, ["--db", str(db), "import", str(page), str(broken)]),
        runner.invoke(cli, ["--db", str(db), "show", "1", "--json"]),
        runner.invoke(cli, ["--db", str(db), "show", "1"]),
        runner.invoke(cli, ["--db", str(db), "list", "--json"]),
    ]
    seen = "".join(result.output + (result.stderr or "") for result in outputs) + caplog.text
    assert "without the DailyPapers listing" in seen
    stored = db.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("lib.db*"))
    for secret in (CSRF_TOKEN, USER_NAME):
        assert secret in page.read_text()
        assert secret not in seen
        assert secret.encode() not in stored
    pickled = pickle.dumps(read_keyed_or_error(page, TODAY))
    assert CSRF_TOKEN.encode() not in pickled


# -- through the service and the CLI -------------------------------------------------------


def test_the_service_imports_saved_pages_and_json(service: ReadingList, tmp_path):
    page = write(tmp_path, "page.html", saved_page(API_ITEMS, logged_in=True, crlf=True))
    array = write(tmp_path, "array.json", json.dumps(API_ITEMS))
    obj = write(tmp_path, "paper.json", json.dumps(PAPER_OBJECT))
    reports = service.import_pages([page, array, obj])
    assert [(r.error, r.papers, r.new) for r in reports] == [
        (None, 1, 1),
        (None, 1, 0),
        (None, 1, 1),
    ]
    assert service.count() == 2


def test_the_cli_imports_a_saved_page_and_shows_it(library_location, tmp_path):
    page = write(
        tmp_path, "daily.html", saved_page([*API_ITEMS, item(title=NASTY_TITLE, id="2602.99999")])
    )
    runner = CliRunner()
    imported = runner.invoke(cli, ["--db", library_location, "import", str(page)])
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.strip().endswith("daily.html: 2 papers, 2 new, 0 updated")
    listed = json.loads(runner.invoke(cli, ["--db", library_location, "list", "--json"]).stdout)
    ids = {paper["title"]: paper["id"] for paper in listed}
    title = "Large Multimodal Models as General In-Context Classifiers"
    shown = runner.invoke(cli, ["--db", library_location, "show", str(ids[title]), "--json"])
    record = json.loads(shown.stdout)
    assert record["title"] == title
    assert (record["authors"], record["upvotes"], record["date"]) == (5, 10, "2026-03-06")
    assert record["links"][:2] == [
        "https://github.com/marco-garosi/CIRCLE",
        "https://circle-lmm.github.io/",
    ]
    assert clean_line(NASTY_TITLE) in ids


def test_a_page_listing_a_paper_twice_keeps_the_rich_fields(tmp_path):
    twice = [item(githubStars=None), item(summary="")]
    keyed = read_keyed_or_error(write(tmp_path, "p.html", saved_page(twice)), TODAY)
    assert not isinstance(keyed, str)
    [(_title_key, paper)] = keyed.papers
    assert (paper.arxiv_id, paper.github_stars, len(paper.author_names)) == ("2602.23229", 9, 5)
    assert pickle.loads(pickle.dumps(keyed)) == keyed  # what the parse worker sends back


@pytest.mark.sqlite_only
def test_saved_pages_cross_the_parse_worker(service: ReadingList, tmp_path, caplog):
    """A batch this large is parsed in another process: the rich papers come back pickled."""
    pages = []
    for page_number in range(4):
        items = [
            item(title=f"Paper {page_number}-{n}", id=f"2603.{page_number}{n:04d}")
            for n in range(260)
        ]
        pages.append(write(tmp_path, f"page-{page_number}.html", saved_page(items)))
    assert sum(page.stat().st_size for page in pages) > 4 * 1024 * 1024
    with caplog.at_level("WARNING"):
        reports = service.import_pages(pages, parallel=True)
    assert [(report.error, report.new) for report in reports] == [(None, 260)] * 4
    assert "another process failed" not in caplog.text


def test_the_saved_page_benchmark_runs_and_prints_its_ratios():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.saved_page", "--papers", "20", "--repeat", "1"],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
        check=True,
    )
    for row in ("parse", "import"):
        figures = rf"^{row} .* ratio [\d.]+  side by side [\d.]+ \([\d.]+-[\d.]+\)$"
        assert re.search(figures, result.stdout, re.MULTILINE), result.stdout
    stages = (
        r"^saved page read from its bytes, by stage, µs/paper: as latin-1 [\d.]+ .* items [\d.]+$"
    )
    assert re.search(stages, result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^malformed HTML, 2 MB / 1 MB: [\d.]+x$", result.stdout, re.MULTILINE)
