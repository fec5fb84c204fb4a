"""``readinglist note``: empty input never erases a note; ``--clear`` does, and only it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from readinglist.cli import cli
from tests.conftest import SAMPLES

PAGE = str(SAMPLES / "daily-papers-page-a.txt")


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--db", library_location, *args], input=input)

    assert invoke("import", PAGE).exit_code == 0
    assert invoke("note", "1", "years of reading").exit_code == 0
    return invoke


def note_of(run, paper_id: str = "1") -> str:
    return json.loads(run("show", paper_id, "--json").stdout)["note"]


@pytest.mark.parametrize(
    ("args", "piped"),
    [
        ((), ""),  # < /dev/null
        ((), "\n"),  # an empty line: echo "$EMPTY" | readinglist note 1
        ((), "  \n\t \n"),  # whitespace
        ((), "\x1b[2J\x07\n"),  # only what cleaning strips
        (("",), None),  # an empty TEXT
        ((" \n",), None),
    ],
)
def test_empty_input_leaves_the_note_and_says_so(run, args, piped):
    result = run("note", "1", *args, input=piped)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: paper 1: the new note is empty, so the note was left as it was "
        "(to erase it: readinglist note 1 --clear)\n"
    )
    assert result.stdout == ""
    assert note_of(run) == "years of reading"


def test_clear_is_the_way_to_erase_a_note(run):
    result = run("note", "1", "--clear")
    assert result.exit_code == 0 and result.stderr == "paper 1: note cleared\n"
    assert note_of(run) == ""
    refused = run("note", "1", "text", "--clear")
    assert refused.exit_code == 2 and "not both" in refused.stderr
    assert note_of(run) == ""


def test_help_says_how_to_clear():
    result = CliRunner().invoke(cli, ["note", "--help"])
    assert "--clear" in result.stdout and "never" in result.stdout
