"""Outside text never reaches the terminal raw, whichever path prints it.

Rows are written straight into the library (sqlite3 on the file, psycopg on the
server), as another client or a colleague's restored library would, so they never
passed through our import's cleaning; file names and click's own errors carry
escapes too. Every command's stdout, stderr and written files are checked.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from readinglist.cli import cli
from tests.conftest import SAMPLES
from tests.core.test_display import HOSTILE, assert_safe

PAGE = SAMPLES / "daily-papers-page-a.txt"
HOSTILE_NAME = "page \x1b]52;c;aGk=\x07\x1b[2J\u202eevil\u202c.txt"


def write_as_another_client(location: str, paper_id: int) -> None:
    """Hostile text in every text column of a paper and in its source's path."""
    links = json.dumps([f"https://example.org/{HOSTILE}", HOSTILE])
    values = [HOSTILE, f"{HOSTILE}\n\n{HOSTILE}", HOSTILE, HOSTILE, HOSTILE, f"note {HOSTILE}"]
    columns = ("title", "abstract", "org", "org_id", "date_text", "note")
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location) as conn:
            sets = ", ".join(f"{name} = %s" for name in columns)
            conn.execute(
                f"UPDATE paper SET {sets}, links = %s WHERE id = %s", [*values, links, paper_id]
            )
            conn.execute("UPDATE source SET path = %s", [f"/tmp/{HOSTILE_NAME}"])
    else:
        with sqlite3.connect(location) as conn:
            sets = ", ".join(f"{name} = ?" for name in columns)
            conn.execute(
                f"UPDATE paper SET {sets}, links = ? WHERE id = ?", [*values, links, paper_id]
            )
            conn.execute("UPDATE source SET path = ?", [f"/tmp/{HOSTILE_NAME}"])
        conn.close()


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str, input: str | None = None, db: str = library_location) -> Result:
        return CliRunner().invoke(cli, ["--db", db, *args], input=input)

    return invoke


def assert_clean(result: Result) -> None:
    assert "Traceback" not in result.output, result.output
    assert_safe(result.stdout)
    assert_safe(result.stderr)


def test_rows_another_client_wrote_are_cleaned_on_every_output_path(
    run, library_location: str, tmp_path: Path
):
    assert run("import", str(PAGE)).exit_code == 0
    write_as_another_client(library_location, 1)
    run("star", "1")
    outputs = {}
    for args in (
        ("list",),
        ("list", "--json"),
        ("search", "has:note"),
        ("search", "has:note", "--json"),
        ("show", "1"),
        ("show", "1", "--json"),
        ("export",),
        ("export", "--all", "--format", "json"),
        ("export", "--all", "--format", "csv"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert_clean(result)
        assert "Evil" in result.stdout, args  # the text stays, only the controls go
        outputs[args] = result.stdout
    shown = json.loads(outputs[("show", "1", "--json")])
    assert shown["title"].startswith("Evil ") and "abc" in shown["title"]
    assert shown["links"][0].startswith("https://example.org/Evil")
    assert "Seen in /tmp/page " in outputs[("show", "1")]
    for fmt in ("md", "json", "csv"):
        target = tmp_path / f"hostile \x1b[31m.{fmt}"
        result = run("export", "--all", "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.output
        assert_clean(result)
        assert_safe(target.read_text(encoding="utf-8"))


def test_file_names_in_import_lines_warnings_and_errors_are_cleaned(run, tmp_path: Path):
    hostile = tmp_path / HOSTILE_NAME
    shutil.copy(PAGE, hostile)
    text = PAGE.read_text(encoding="utf-8")
    cut = tmp_path / f"cut {HOSTILE_NAME}"
    cut.write_text(text[: text.index("Spanish TrOCR") + 20], encoding="utf-8")
    empty = tmp_path / f"empty {HOSTILE_NAME}"
    empty.write_bytes(b"")
    missing = tmp_path / f"missing {HOSTILE_NAME}"
    result = run("import", str(hostile), str(cut), str(empty), str(missing))
    assert result.exit_code == 1
    assert_clean(result)
    assert "26 papers" in result.stdout and "evil.txt: " in result.stdout
    assert result.stderr.count("error: ") == 2 and "warning: " in result.stderr


def test_clicks_own_errors_and_the_library_name_are_cleaned(tmp_path: Path):
    db = str(tmp_path / f"lib {HOSTILE_NAME}.db")
    runner = CliRunner()
    for args in (
        ["import", str(PAGE)],
        ["paths"],
        ["check"],
        ["show", "999"],
        ["show", HOSTILE],
        ["list", f"--{HOSTILE}"],
        ["paths", HOSTILE],
        [HOSTILE],
        ["export", "--format", HOSTILE],
    ):
        result = runner.invoke(cli, ["--db", db, *args])
        assert_clean(result)
        assert result.output.strip(), args
