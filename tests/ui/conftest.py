"""Fixtures for driving the app headless."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp
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


@pytest.fixture
def hostile_page(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_PAGE, encoding="utf-8")
    return path


async def settle(app, pilot) -> None:
    """Let background workers finish and their messages land.

    The export conversation is an async worker that waits on dialogs, so it is left
    running; tests drive its dialogs with key presses.
    """
    for _ in range(3):
        background = [worker for worker in app.workers if worker.group != "export"]
        if background:  # an empty list would mean "every worker"
            await app.workers.wait_for_complete(background)
        await pilot.pause()
