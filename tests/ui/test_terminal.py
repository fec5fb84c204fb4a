"""The real app in a real terminal (tmux): NO_COLOR at 80x24, keys sent in one burst,
and a narrow 60x20 window. Every step waits for what it needs on screen."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from readinglist.core.service import ReadingList
from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, command: str, width: int, height: int) -> None:
        """A shell in a window of that size, then the command typed into it."""
        self.name = f"rl-ui-{uuid.uuid4().hex[:8]}"
        size = ["-x", str(width), "-y", str(height)]
        shell = ["sh", "-c", "exec sh"]  # a plain shell, whatever the user's rc files do
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, *size, *shell], check=True)
        self.send("-l", command)
        self.send("Enter")

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        return self.wait_until(lambda screen: text in screen, text, timeout)

    def wait_until(self, condition, what: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(screen := self.screen()):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"never saw {what}; the screen was:\n{self.screen()}")

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    db = tmp_path / "tmux.db"
    with ReadingList(db) as service:
        service.import_pages(sorted(SAMPLES.glob("*.txt")))
    return db


def app_command(db: Path, tmp_path: Path, env: str = "") -> str:
    home = shlex.quote(str(tmp_path / "home"))
    run = f"{shlex.quote(sys.executable)} -m readinglist --db {shlex.quote(str(db))}"
    # COLUMNS and LINES would fix the app's size: the test run sets them (80x24).
    return f"unset COLUMNS LINES; {env} READINGLIST_HOME={home} {run}; echo EXIT=$?; sleep 30"


def test_no_color_80x24_with_keys_sent_in_one_burst(library: Path, tmp_path: Path):
    terminal = Terminal(app_command(library, tmp_path, "NO_COLOR=1"), 80, 24)
    try:
        terminal.wait_for("182 papers · by date")
        terminal.send("/bert")  # one write: the terminal delivers the keys together
        screen = terminal.wait_for("best match first")
        assert "bert" in screen.splitlines()[1]
        terminal.send("Enter", "s")
        terminal.wait_for("· Starred")
        terminal.send("q")
        terminal.wait_for("EXIT=0")
    finally:
        terminal.close()
    with ReadingList(library) as service:
        best = service.search("bert", limit=1)[0].id
        assert [paper.id for paper in service.papers(starred_only=True)] == [best]


def test_a_narrow_terminal_lists_papers_full_width_and_reads_full_screen(
    library: Path, tmp_path: Path
):
    terminal = Terminal(app_command(library, tmp_path), 60, 20)
    try:
        terminal.wait_until(
            lambda screen: (
                "182 papers · by date" in screen
                and "Language Modeling with Learned Meta" in screen  # cut short: the
                and "2025-09-18" in screen  # date the list is sorted by takes room
                and not any("▕" in row for row in screen.splitlines()[3:-2])
            ),  # no stray column
            "the list alone, full width",
        )
        terminal.send("v")
        terminal.wait_for("esc Close")
        terminal.send("Escape")  # alone: a terminal sends Escape then q as Alt+Q
        terminal.wait_for("182 papers")
        terminal.send("q")
        terminal.wait_for("EXIT=0")
    finally:
        terminal.close()
