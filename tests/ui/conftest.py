"""Fixtures for driving the app headless."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.worker import WorkerCancelled, WorkerFailed

from readinglist.core.models import PaperSummary
from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.paper_list import PaperList
from tests.conftest import TODAY

HOSTILE_PAGE = (
    "Daily Papers\n\n"
    "[@click=app.quit]x[/] \x1b]52;c;aGVsbG8=\x07Quit trap\n\n"
    "An abstract with [bold red]markup[/] and a link https://example.org/code (see it).\n\n"
    "  • 2 authors\n·\nJan 5, 2024 7\n\n"
    "[bold]x[/bold] [/] Broken markup title\n\n"
    "Another abstract [link=https://evil.example]click[/link] javascript:alert(1).\n"
)


@pytest.fixture
def make_app(tmp_path: Path):
    """Build an app over a library loaded with the given pages (the samples by default)."""
    services: list[ReadingList] = []

    def build(pages: list[Path] | None = None) -> ReadingListApp:
        service = ReadingList(tmp_path / f"ui-{len(services)}.db", today=TODAY)
        services.append(service)
        service.import_pages(
            pages
            if pages is not None
            else sorted((Path(__file__).parents[2] / "assets" / "samples").glob("*.txt"))
        )
        return ReadingListApp(service, settings=Settings(tmp_path / "config.json"))

    yield build
    for service in services:
        service.close()


def write_many_papers(path: Path, count: int, word: str = "lattice") -> Path:
    """A page of ``count`` papers whose titles and abstracts all hold ``word``."""
    blocks = ["Daily Papers"]
    for number in range(count):
        blocks += [
            f"Study {number:04d} of {word} models",
            f"We study {word} model number {number} across many long abstracts of real papers.",
        ]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_PAGE, encoding="utf-8")
    return path


def listed(app) -> list[PaperSummary]:
    """Every paper the list holds, in its order (rows read through the service)."""
    paper_list = app.screen.query_one(PaperList)
    return app.service.summaries(list(paper_list.ids))


def shown_rows(app) -> list[str]:
    """The list's lines as drawn on screen."""
    paper_list = app.screen.query_one(PaperList)
    height = paper_list.scrollable_content_region.height
    return [paper_list.render_line(y).text for y in range(height)]


def notices(app, severity: str | None = None) -> list[str]:
    """The text of the notifications on screen (of one ``severity``), oldest first.

    Textual shows none in a test unless it runs with ``run_test(notifications=True)``.
    """
    return [
        str(toast.render())
        for toast in app.screen.query("Toast")
        if severity is None or toast.has_class(f"-{severity}")
    ]


async def wait_for_notice(pilot, text: str, severity: str | None = None) -> str:
    """Wait for a notification holding ``text`` to show; return its whole text."""
    app = pilot.app
    await wait_for(pilot, lambda: any(text in notice for notice in notices(app, severity)))
    return next(notice for notice in notices(app, severity) if text in notice)


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


KEY_CHARACTERS = {"slash": "/", "enter": "\r", "escape": "\x1b", "space": " ", "tab": "\t"}


def burst(app, *keys: str) -> None:
    """Send keys the way a paste or a fast typist does: all at once, no pause between
    them (``pilot.press`` waits for the app to go idle after each key)."""
    for key in keys:
        character = KEY_CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def wait_for(pilot, condition, timeout: float = 60.0) -> None:
    """Wait until ``condition()`` holds (workers finished, text on screen…)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app never reached the expected state")
        await pilot.pause(0.02)


async def settle(app, pilot) -> None:
    """Let background workers finish and their messages land.

    The export conversation is an async worker that waits on dialogs, so it is left
    running; tests drive its dialogs with key presses. Widgets' own workers (a file
    tree's loader runs as long as the tree) are not waited for. A worker cancelled by
    a newer one (the next keystroke's search) is simply done.
    """
    for _ in range(3):
        for worker in [
            worker
            for worker in app.workers
            if worker.group != "export" and isinstance(worker.node, App | Screen)
        ]:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await pilot.pause()


async def import_through_dialog(app, pilot, path: Path) -> None:
    """What a reader does to import: ``i``, type the path, enter; then wait for the import."""
    await pilot.press("i")
    await settle(app, pilot)
    app.screen.query_one("#import-path").value = str(path)
    await pilot.press("enter")
    await settle(app, pilot)


async def choose_export(pilot, which: str) -> None:
    """In the export dialog, pick which papers to export (``marked``, ``results`` or
    ``starred``) with a click on its option, as a reader with a mouse does."""
    await pilot.click(f"#export-{which}")
    await wait_for(pilot, lambda: pilot.app.screen.query_one(f"#export-{which}").value)


def app_on(service: ReadingList, tmp_path: Path) -> ReadingListApp:
    """The app over ``service``, its settings in ``tmp_path`` (never the reader's)."""
    return ReadingListApp(service, settings=Settings(tmp_path / "config.json"))


@pytest.fixture
def app(loaded: ReadingList, tmp_path: Path) -> ReadingListApp:
    """The app over a library of the sample pages, on each database."""
    return app_on(loaded, tmp_path)


def highlighted(app) -> int:
    """The id of the highlighted paper (there must be one)."""
    paper_id = app.screen.query_one(PaperList).highlighted_id
    assert paper_id is not None
    return paper_id
