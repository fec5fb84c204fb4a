"""What a saved page or the API says beyond a text page is stored, shown and never degraded."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.service import ReadingList
from tests.conftest import ids_of
from tests.hf_builder import API_ITEMS, item, write

TITLE = API_ITEMS[0]["paper"]["title"]
NAMES = [author["name"] for author in API_ITEMS[0]["paper"]["authors"]]
REPO = API_ITEMS[0]["paper"]["githubRepo"]


def text_page(title: str, abstract: str) -> str:
    return f"Daily Papers\n\n{title}\n\n{abstract}\n"


def only(service: ReadingList):
    [summary] = ids_of(service)
    return service.get(summary)


def test_an_api_item_is_kept_whole_and_shown_in_json(service: ReadingList, tmp_path: Path):
    [report] = service.import_pages([write(tmp_path, "day.json", json.dumps(API_ITEMS))])
    assert report.new == 1
    paper = only(service)
    assert paper.author_names == tuple(NAMES) and paper.authors == len(NAMES)
    assert paper.github_repo == REPO and paper.github_stars == 9
    assert paper.project_page and paper.ai_summary and paper.keywords
    assert not paper.withdrawn
    assert paper.links[:2] == (REPO, paper.project_page)  # the repo and page among the links
    result = CliRunner().invoke(cli, ["--db", service.name, "list", "--json"])
    [shown] = json.loads(result.output)
    assert shown["author_names"] == NAMES and shown["authors"] == len(NAMES)
    assert shown["github_stars"] == 9 and isinstance(shown["ai_summary"], str)
    assert shown["keywords"] == list(paper.keywords) and REPO in shown["links"]
    assert "arxiv_id" in shown and shown["date"] == "2026-03-06"


def test_a_later_text_page_never_blanks_what_the_api_said(service: ReadingList, tmp_path: Path):
    service.import_pages([write(tmp_path, "day.json", json.dumps(API_ITEMS))])
    before = only(service)
    longer = before.abstract + " We release the code at https://example.org/extra."
    [report] = service.import_pages([write(tmp_path, "text.txt", text_page(TITLE, longer))])
    assert (report.new, report.updated) == (0, 1)
    after = only(service)
    assert after.abstract == longer  # the fuller abstract wins, as before
    assert after.author_names == before.author_names and after.keywords == before.keywords
    assert after.github_repo == REPO and after.ai_summary == before.ai_summary
    assert after.links == (REPO, before.project_page, "https://example.org/extra")


def test_withdrawn_is_news_only_from_a_source_that_knows(service: ReadingList, tmp_path: Path):
    withdrawn = item(withdrawnAt="2026-03-07T00:00:00.000Z")
    service.import_pages([write(tmp_path, "day.json", json.dumps([withdrawn]))])
    assert only(service).withdrawn
    page = text_page(TITLE, only(service).abstract)
    service.import_pages([write(tmp_path, "text.txt", page)])
    assert only(service).withdrawn  # a text page cannot say it was not


def test_csv_export_lists_names_and_keywords_in_one_cell(service: ReadingList, tmp_path: Path):
    service.import_pages([write(tmp_path, "day.json", json.dumps(API_ITEMS))])
    rows = list(csv.DictReader(io.StringIO(service.export(ids_of(service), "csv"))))
    assert rows[0]["author_names"] == "; ".join(NAMES)
