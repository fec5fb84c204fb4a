"""The real app in a real terminal (tmux): first frame, search, star, note, quit; then the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def cli(db: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


class Terminal:
    def __init__(self, command: str, width: int = 120, height: int = 35) -> None:
        self.name = f"rl-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            check=True,
        )

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def alive(self) -> bool:
        return (
            subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode
            == 0
        )

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_first_frame_search_star_note_quit_then_cli(tmp_path: Path):
    db = tmp_path / "e2e.db"
    cli(db, "import", *map(str, sorted(SAMPLES.glob("*.txt"))))
    command = f"{sys.executable} -m readinglist --db {db}; sleep 5"
    terminal = Terminal(command)
    try:
        terminal.wait_for("182 papers")
        terminal.wait_for("From Memorization to Reasoning")
        time.sleep(0.5)  # a person reads the first frame before typing
        terminal.send("/")
        terminal.send("-l", "speculativ decodng")
        terminal.wait_for("▊  speculativ decodng")  # typed into the search box
        screen = terminal.wait_for("1 paper · best match first")
        rows = [line for line in screen.splitlines()[3:] if line.strip(" ▕")]
        assert rows[0].lstrip().startswith("Speculative Decoding with Big Little")
        terminal.send("Enter")
        terminal.send("s")
        terminal.wait_for("Starred")
        terminal.send("n")
        terminal.wait_for("Ctrl+S saves")
        terminal.send("-l", "Worth a re-read")
        terminal.send("C-s")
        terminal.wait_for("Note saved")
        terminal.send("q")
        deadline = time.monotonic() + 10
        while "182 papers" in terminal.screen() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "182 papers" not in terminal.screen()
    finally:
        terminal.close()
    starred = json.loads(cli(db, "list", "--starred", "--json"))
    assert [paper["title"] for paper in starred] == ["Speculative Decoding with Big Little Decoder"]
    assert starred[0]["note"] == "Worth a re-read"
