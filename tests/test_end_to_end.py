"""The real app in a real terminal (tmux): first frame, search, star, note, quit; then the CLI.

Every step waits for what the user would see before the next key (the list has the focus,
the search box has it, the row is starred, the app has exited), with a generous timeout,
never a fixed sleep: on a busy machine the app may take seconds to get there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PATIENCE = 60.0  # seconds a step may take on a loaded machine before the test gives up
LIST_KEYS = "s Star"  # in the footer while the paper list has the focus


def cli(db: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "readinglist", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=PATIENCE * 2,
    )
    return result.stdout


def footer(screen: str) -> str:
    lines = [line for line in screen.splitlines() if line.strip()]
    return lines[-1] if lines else ""


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

    def wait_until(self, condition: Callable[[str], bool], what: str) -> str:
        """The screen once ``condition`` holds for it; fails after ``PATIENCE`` seconds."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.05)  # a poll interval, not a wait for the app
        raise AssertionError(f"never {what}; the screen was:\n{self.screen()}")

    def wait_for(self, text: str) -> str:
        return self.wait_until(lambda screen: text in screen, f"showed {text!r}")

    def wait_for_list_focus(self, focused: bool) -> str:
        return self.wait_until(
            lambda screen: (LIST_KEYS in footer(screen)) == focused,
            "moved the focus " + ("to the list" if focused else "off the list"),
        )

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
    command = f"{sys.executable} -m readinglist --db {db}; echo exited with $?; sleep 600"
    terminal = Terminal(command)
    try:
        terminal.wait_for("182 papers")
        terminal.wait_for("From Memorization to Reaso")  # cut short beside its date
        terminal.wait_for_list_focus(True)  # the first frame is ready for keys
        terminal.send("/")
        terminal.wait_for_list_focus(False)  # the search box has the focus
        terminal.send("-l", "speculativ decodng")
        terminal.wait_for("▊  speculativ decodng")  # typed into the search box
        screen = terminal.wait_for("1 paper · best match first")
        rows = [line for line in screen.splitlines()[3:] if line.strip(" ▕")]
        assert rows[0].lstrip().startswith("Speculative Decoding with Big Little")
        terminal.send("Enter")
        terminal.wait_for_list_focus(True)
        terminal.send("s")
        terminal.wait_for("★ Speculative Decoding with Big Little")
        terminal.send("n")
        terminal.wait_for("Note · Speculative Decoding")
        terminal.send("-l", "Worth a re-read")
        terminal.wait_for("Worth a re-read")
        terminal.send("C-s")  # saves in every editor key scheme
        terminal.wait_until(
            lambda screen: "Note · Speculative" not in screen and "✎" in screen,
            "closed the editor with the note saved",
        )
        terminal.send("q")
        terminal.wait_for("exited with 0")
    finally:
        terminal.close()
    starred = json.loads(cli(db, "list", "--starred", "--json"))
    assert [paper["title"] for paper in starred] == ["Speculative Decoding with Big Little Decoder"]
    assert starred[0]["note"] == "Worth a re-read"
