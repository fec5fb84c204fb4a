"""What a command's process imports: each command pays only for what it uses.

A short command's time is mostly start-up (issue 20: ``list --limit 20`` against a bare
``python -c`` sqlite3 query), so the reading commands stay off the database toolkits
(SQLAlchemy, SQLModel, pydantic: most of a second), the UI (Textual, Rich), the other
database's driver and the modules of the commands not run. Each command runs in a fresh
process, as a user runs it; a timing would be flaky, a module list is not.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.cli.app import COMMAND_MODULES
from readinglist.cli.start import app_only_library, open_app
from readinglist.core.service import ReadingList

NEVER_ON_THE_READ_PATH = {"sqlalchemy", "sqlmodel", "pydantic", "textual", "rich"}
OTHER_COMMANDS = {  # what importing, exporting, backing up and the demo need
    "readinglist.cli.demo",
    "readinglist.cli.exporting",
    "readinglist.cli.importing",
    "readinglist.core.export",
    "readinglist.core.backup",
    "readinglist.core.importing",
    "readinglist.core.citations",
}
WATCHED = {*NEVER_ON_THE_READ_PATH, *OTHER_COMMANDS, "psycopg", "sqlite3", "rapidfuzz"}

_RUN = """\
import json, sys
from readinglist.cli import main
sys.argv = ["readinglist", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
else:
    code = 0
watched = {watched!r}
found = sorted(m for m in sys.modules if m in watched or m.split(".")[0] in watched)
print("exit", code, "imported", json.dumps(found), file=sys.stderr)
"""


def imported_by(*args: str) -> set[str]:
    """The watched modules a ``readinglist ARGS`` process has imported when it ends."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN.format(watched=WATCHED), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("exit 0 "), result.stderr
    found: list[str] = json.loads(last.split(" imported ", 1)[1])
    return {name if name.startswith("readinglist.") else name.split(".")[0] for name in found}


READING_COMMANDS = [
    ["list", "--limit", "20"],
    ["list", "--starred", "--json"],
    ["show", "1"],
    ["show", "1", "--json"],
    ["tags"],
    ["search", "transformer attention"],
    ["search", "transfromer", "--json"],
]


@pytest.mark.parametrize("args", READING_COMMANDS, ids=" ".join)
def test_reading_commands_import_no_toolkit_ui_or_other_commands(
    loaded: ReadingList, args: list[str]
):
    found = imported_by("--db", loaded.name, *args)
    assert found & NEVER_ON_THE_READ_PATH == set()
    assert found & OTHER_COMMANDS == set()
    if loaded.db_path is not None:
        assert "psycopg" not in found, "a SQLite library needs no PostgreSQL driver"
    else:
        assert "sqlite3" not in found, "a PostgreSQL library needs no SQLite driver"
    if args[0] != "search":
        assert "rapidfuzz" not in found, "only searching needs fuzzy matching"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["paths"], ["list", "--help"]])
def test_commands_that_do_not_open_the_library_import_no_database_driver(args: list[str]):
    found = imported_by(*args)
    assert found & {"sqlite3", "psycopg", *NEVER_ON_THE_READ_PATH} == set()


def test_the_command_table_names_each_modules_commands():
    """``COMMAND_MODULES`` is how a command is found without importing every module: it
    must say exactly what each module's ``COMMANDS`` hold."""
    for module_name, names in COMMAND_MODULES.items():
        module = importlib.import_module(f"readinglist.cli.{module_name}")
        assert tuple(command.name for command in module.COMMANDS) == names


DIALOGS_AND_ACTIONS = {  # what the app loads when a key first asks for it
    "readinglist.ui.undo",  # with the first change
    "readinglist.ui.screens.confirm",
    "readinglist.ui.screens.export_dialog",
    "readinglist.ui.screens.help",
    "readinglist.ui.screens.import_dialog",
    "readinglist.ui.screens.note_editor",
    "readinglist.ui.screens.path_dialog",
    "readinglist.ui.screens.reader",
    "readinglist.ui.screens.tag_dialog",
    "readinglist.core.export",
    "readinglist.core.paper_pages",
    "webbrowser",
}

_FIRST_FRAME = """\
import asyncio, json, sys, tempfile
from pathlib import Path
from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp

async def first_frame():
    settings = Settings(Path(tempfile.mkdtemp()) / "settings.json")
    app = ReadingListApp(ReadingList(sys.argv[1]), settings=settings)
    async with app.run_test() as pilot:
        while " papers" not in str(app.screen.query_one("#status").render()):
            await pilot.pause(0.02)
        loaded = sorted(sys.modules)
        app.exit()
    return loaded

print(json.dumps(asyncio.run(first_frame())))
"""


def test_the_first_frame_loads_no_dialog(loaded: ReadingList):
    """The app's first frame with the list pays only for what it shows (issue 20: it
    must come within 1.5x of an empty Textual app's): each dialog, the reader, the
    browser and undo are imported when a key first asks for them, not at start-up."""
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME, loaded.name],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "readinglist.ui.widgets.paper_list" in found  # the list was shown
    assert found & DIALOGS_AND_ACTIONS == set()


@pytest.mark.parametrize(
    ("args", "library"),
    [
        ([], ""),
        (["--db", "papers.db"], "papers.db"),
        (["--db=papers.db"], "papers.db"),
        (["--db", "postgresql://me@host/papers"], "postgresql://me@host/papers"),
        (["list"], None),
        (["--db", "papers.db", "list"], None),
        (["--help"], None),
        (["--version"], None),
        (["--db"], None),
        (["--db", "--help"], None),
        (["--db="], None),
        (["--db", ""], None),
        (["--db", "a.db", "--db", "b.db"], None),
    ],
)
def test_only_a_command_line_that_opens_the_app_skips_the_group(
    args: list[str], library: str | None
):
    """``readinglist [--db X]`` opens the app without click; anything else is the group's."""
    assert app_only_library(args) == library


_IN_A_TERMINAL = """\
import json, sys
from readinglist.cli import main
sys.argv = ["readinglist", *sys.argv[2:]]
try:
    main()
finally:
    with open({out!r}, "w") as file:
        json.dump(sorted(sys.modules), file)
"""


def run_in_a_terminal(tmp_path: Path, args: list[str], keys: bytes = b"") -> tuple[str, set[str]]:
    """``readinglist ARGS`` in a pseudo-terminal (``keys`` typed once the list shows):
    what it wrote, and the modules it had imported when it ended."""
    out = tmp_path / "modules.json"
    main, terminal = pty.openpty()
    env = {**os.environ, "READINGLIST_HOME": str(tmp_path / "home"), "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [sys.executable, "-c", _IN_A_TERMINAL.format(out=str(out)), "-", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        close_fds=True,
    )
    os.close(terminal)
    written = b""
    deadline = time.monotonic() + 120
    typed = not keys
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                written += os.read(main, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
        if not typed and b"papers" in written:
            os.write(main, keys)
            typed = True
    try:
        process.wait(timeout=60)
    finally:
        process.kill()  # if it never ended: no app left behind
        os.close(main)
    return written.decode(errors="replace"), set(json.loads(out.read_text()))


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_the_app_opens_without_the_command_group(loaded: ReadingList, tmp_path: Path):
    """The app in a terminal: its list is shown, and click was never imported."""
    written, found = run_in_a_terminal(tmp_path, ["--db", loaded.name], keys=b"q")
    assert "papers" in written
    assert "readinglist.ui.app" in found
    assert "click" not in found
    assert "readinglist.cli.app" not in found


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_a_library_that_cannot_be_opened_is_said_as_the_group_says_it(tmp_path: Path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    bad = str(not_a_folder / "library.db")
    written, found = run_in_a_terminal(tmp_path, ["--db", bad])
    by_the_group = CliRunner().invoke(cli, ["--db", bad])
    assert by_the_group.exit_code == 1
    assert by_the_group.output.strip().startswith("error: ")
    assert written.strip().replace("\r\n", "\n") == by_the_group.output.strip()
    assert "readinglist.ui.app" not in found


def test_the_garbage_collector_is_back_on_when_the_library_cannot_be_opened(tmp_path: Path):
    """``open_app`` turns Python's cyclic garbage collector off while it loads the app
    (``run_app`` turns it back on); a library that cannot be opened leaves it on too."""
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    assert gc.isenabled()
    with pytest.raises(SystemExit):
        open_app(str(not_a_folder / "library.db"))
    assert gc.isenabled()
