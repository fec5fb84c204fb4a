"""Files that are not Daily Papers listings (a README, notes) never become papers: named
alone they are refused in one line; in a folder they are skipped with a warning while
the folder's pages import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from tests.conftest import SAMPLES

README = Path(__file__).resolve().parents[2] / "README.md"
MARKDOWN = "# Notes\n\nSome thoughts on papers.\n\n- read the abstract\n- then the code\n"
HEADING = 'line 1 is a Markdown heading, and there is no listing header ("Daily Papers")'


@pytest.fixture
def run(tmp_path: Path):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(tmp_path / "lib.db"), *args])

    return invoke


def test_a_markdown_file_named_alone_is_refused_in_one_line(run, tmp_path: Path):
    result = run("import", str(README))
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {README}: not a Daily Papers page: {HEADING}")
    assert not (tmp_path / "lib.db").exists()  # a failed import makes no library


def test_a_failed_import_into_a_new_library_leaves_nothing_behind(tmp_path: Path):
    library = tmp_path / "new" / "folder" / "lib.db"
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 100)
    for files in ([garbage], [garbage, tmp_path / "missing.txt"], [README]):
        result = CliRunner().invoke(cli, ["--db", str(library), "import", *map(str, files)])
        assert result.exit_code == 1 and not (tmp_path / "new").exists()
    page = sorted(SAMPLES.glob("*.txt"))[0]
    result = CliRunner().invoke(cli, ["--db", str(library), "import", str(garbage), str(page)])
    assert result.exit_code == 1  # one file failed; the other landed, in a new library
    assert result.stderr.count("error:") == 1 and "new, 0 updated" in result.stdout
    listed = CliRunner().invoke(cli, ["--db", str(library), "list", "--json"]).stdout
    assert len(json.loads(listed)) > 0
    # and a failure into a library that is there changes nothing
    again = CliRunner().invoke(cli, ["--db", str(library), "import", str(garbage)])
    assert again.exit_code == 1 and library.exists()


def test_a_folder_skips_what_is_not_a_listing_and_imports_the_pages(run, tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SAMPLES / "daily-papers-page-a.txt", folder)
    shutil.copy(README, folder / "README.md")
    (folder / "notes.txt").write_text(
        "My notes\n\nI read about transformers today and liked the part on attention.\n"
    )
    result = run("import", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{folder / 'daily-papers-page-a.txt'}: 26 papers, 26 new, 0 updated"
    ]
    assert result.stderr.splitlines() == [
        f"warning: {folder / 'README.md'}: skipped, not a Daily Papers page: {HEADING}"
        ' or paper metadata ("3 authors")',
        f"warning: {folder / 'notes.txt'}: skipped, not a Daily Papers page: prose in "
        'paragraphs, with no listing header ("Daily Papers") or paper metadata ("3 authors")',
    ]
    assert len(json.loads(run("list", "--json").stdout)) == 26

    reports = json.loads(run("import", str(folder), "--json").stdout)
    skipped = {Path(report["path"]).name: report["skipped"] for report in reports}
    assert skipped["daily-papers-page-a.txt"] is None
    assert skipped["README.md"].startswith(f"not a Daily Papers page: {HEADING}")
    assert all(report["error"] is None for report in reports)


def test_a_folder_with_no_listing_at_all_is_a_failure(run, tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN)
    (folder / "b.md").write_text(MARKDOWN)
    result = run("import", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: {folder}: no Daily Papers listings in this folder (2 files skipped)"
    )
    reports = json.loads(run("import", str(folder), "--json").stdout)
    assert reports[-1]["error"] == "no Daily Papers listings in this folder (2 files skipped)"
