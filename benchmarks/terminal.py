"""The app in a real terminal (tmux): first frame with the list, keystroke to updated list,
peak memory; and the same for an empty Textual app, the plainest way to a first frame.
The keystrokes are also typed into a bare Textual app that shows, for each prefix, the
rows ours should show, read from a table made beforehand: no search at all, only the
terminal, Textual and a repaint: the floor under any Textual app's keystroke.

Times run from the ``tmux new-session`` (or ``send-keys``) call to the moment
``capture-pane`` shows what was waited for, polled every few milliseconds: what a
reader sees, terminal included. A private tmux server (``-L``) is started first, so
neither app pays for starting it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PATIENCE = 120.0  # seconds a step may take on a busy machine before the probe gives up
POLL = 0.01  # a capture-pane is a process: polling faster takes CPU from the app
WIDTH, HEIGHT = 120, 40
_COUNT = re.compile(r"\b\d[\d,]*\+? papers?\b")
EMPTY_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Empty(App):\n"
    "    def compose(self):\n"
    "        yield Static('ready')\n"
    "Empty().run()\n"
)

FLOOR_APP = (
    "import json, sys\n"
    "from textual.app import App\n"
    "from textual.widgets import Input, Static\n"
    "ROWS = json.load(open(sys.argv[1]))\n"
    "class Floor(App):\n"
    "    def compose(self):\n"
    "        yield Input()\n"
    "        yield Static('ready', id='rows', markup=False)\n"
    "    def on_input_changed(self, event):\n"
    "        self.query_one('#rows', Static).update('\\n'.join(ROWS.get(event.value, [])))\n"
    "Floor().run()\n"
)


@dataclass
class Keystroke:
    typed: str
    seconds: float | None  # None: the list could not be told from the last one's


@dataclass
class TerminalFigures:
    first_frame: float
    peak_rss_mb: float
    keystrokes: list[Keystroke] = field(default_factory=list)


class Tmux:
    """One session on a private server, killed on exit."""

    def __init__(self, name: str) -> None:
        self.socket = f"rl-bench-{os.getpid()}-{name}"
        self.name = name
        self._run("new-session", "-d", "-s", f"{name}-idle", "sleep 3600")

    def _run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        ).stdout

    def start(self, command: list[str], env: dict[str, str]) -> float:
        """Run ``command`` in a fresh session; returns the time it was started."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        line = f"exec env {exports} {shlex.join(command)}"
        started = time.perf_counter()
        self._run("new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT), line)
        return started

    def screen(self, *, colours: bool = False) -> str:
        """The screen's text; ``colours``: with the escape sequences that colour it."""
        return self._run("capture-pane", "-p", *(["-e"] if colours else []), "-t", self.name)

    def wait_for(
        self, condition: Callable[[str], bool], what: str, *, colours: bool = False
    ) -> float:
        deadline = time.monotonic() + PATIENCE
        while not condition(self.screen(colours=colours)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"tmux: no {what} after {PATIENCE:.0f} s:\n{self.screen()}")
            time.sleep(POLL)
        return time.perf_counter()

    def type(self, text: str) -> float:
        started = time.perf_counter()
        self._run("send-keys", "-t", self.name, "-l", text)
        return started

    def peak_rss_mb(self) -> float:
        pid = self._run("display-message", "-p", "-t", self.name, "#{pane_pid}").strip()
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)


def expected_rows(query: str, expected: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """The first titles the list should show for each prefix of ``query``, as list cells
    show them; worked out before any app starts, so typing waits for nothing else."""
    return {
        query[:end]: [_cell(title) for title in expected(query[:end])]
        for end in range(1, len(query) + 1)
    }


def app_figures(db: Path, home: Path, query: str, rows: dict[str, list[str]]) -> TerminalFigures:
    """Our app on ``db``: first frame with the list, then ``query`` typed a key at a time.

    ``rows`` (``expected_rows``) holds the first titles the list should show for each
    prefix; a keystroke is done when they are on the screen (a prefix whose titles are
    those of the one before cannot be told apart, and is reported as such).
    """
    tmux = Tmux("rl-bench-app")
    try:
        command = [sys.executable, "-m", "readinglist", "--db", str(db)]
        started = tmux.start(command, {"READINGLIST_HOME": str(home), "TERM": "xterm-256color"})
        shown = tmux.wait_for(lambda screen: _COUNT.search(screen) is not None, "list")
        figures = TerminalFigures(first_frame=shown - started, peak_rss_mb=0.0)
        # The query is typed once "/" has put the focus in the search box (its border
        # takes the focused colour), as a reader types it: the bare app's box has the
        # focus from the start, and the first key is not to wait for "/" as well.
        blurred = tmux.screen(colours=True).splitlines()[0]
        tmux.type("/")
        tmux.wait_for(
            lambda screen: screen.splitlines()[0] != blurred, "search box focus", colours=True
        )
        figures.keystrokes = _type_query(tmux, query, rows)
        time.sleep(6.0)  # the search index loads once typing pauses (1 s), then the list
        figures.peak_rss_mb = tmux.peak_rss_mb()
        return figures
    finally:
        tmux.close()


def floor_keystrokes(query: str, rows: dict[str, list[str]], folder: Path) -> list[Keystroke]:
    """``query`` typed into the bare app (``FLOOR_APP``), which shows ``rows`` per prefix."""
    table = folder / "floor-rows.json"
    table.write_text(json.dumps(rows), encoding="utf-8")
    tmux = Tmux("rl-bench-floor")
    try:
        tmux.start([sys.executable, "-c", FLOOR_APP, str(table)], {"TERM": "xterm-256color"})
        tmux.wait_for(lambda screen: "ready" in screen, "first frame")
        return _type_query(tmux, query, rows)
    finally:
        tmux.close()


def _type_query(tmux: Tmux, query: str, rows: dict[str, list[str]]) -> list[Keystroke]:
    """Type ``query`` a key at a time, each when the one before is on screen."""
    keystrokes = []
    before: list[str] = []
    for end in range(1, len(query) + 1):
        typed = query[:end]
        titles = rows[typed]
        started = tmux.type(query[end - 1])
        if titles == before or not titles:
            tmux.wait_for(lambda screen, t=typed: _search_box_shows(screen, t), "typed text")
            keystrokes.append(Keystroke(typed, None))
        else:
            done = tmux.wait_for(
                lambda screen, t=titles, q=typed: (
                    _search_box_shows(screen, q) and _rows_show(screen, t)
                ),
                f"rows for {typed!r}",
            )
            keystrokes.append(Keystroke(typed, done - started))
        before = titles
    return keystrokes


def empty_app_figures() -> TerminalFigures:
    """The plainest way to a first frame: an empty Textual app showing one word."""
    tmux = Tmux("rl-bench-empty")
    try:
        started = tmux.start([sys.executable, "-c", EMPTY_APP], {"TERM": "xterm-256color"})
        shown = tmux.wait_for(lambda screen: "ready" in screen, "first frame")
        time.sleep(0.5)
        return TerminalFigures(first_frame=shown - started, peak_rss_mb=tmux.peak_rss_mb())
    finally:
        tmux.close()


def _cell(title: str) -> str:
    """The start of a title as a list cell shows it (cut short, one line)."""
    return " ".join(title.split())[:24].rstrip()  # a line on screen ends without spaces


def _search_box_shows(screen: str, typed: str) -> bool:
    """The search box holds ``typed`` (a trailing space shows as nothing)."""
    return any(
        line.startswith("▊") and line[1:].strip(" ▎") == typed.strip()
        for line in screen.splitlines()
    )


def _rows_show(screen: str, titles: list[str]) -> bool:
    lines = [line.strip() for line in screen.splitlines()]
    at = 0
    for title in titles:  # in order, each on a line below the one before
        at = next((n for n in range(at, len(lines)) if lines[n].startswith(title)), -1) + 1
        if not at:
            return False
    return True
