"""What the commands share: the library a command works on, opened once, its errors
turned into ``error: …`` lines, and the app for the commands that open it.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from .. import paths
from .output import echo, fail

if TYPE_CHECKING:
    from ..core.location import LibraryLocation
    from ..core.service import ReadingList

__all__ = [
    "CONTEXT",
    "SORTS",
    "library_errors",
    "location",
    "open_library",
    "run_tui",
    "warn_unknown_filters",
]

SORTS = ("date", "upvotes", "title", "added")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
"""Context settings every command takes: ``-h`` for help, help text up to 100 columns."""

F = TypeVar("F", bound=Callable[..., Any])


def location(ctx: click.Context) -> LibraryLocation:
    """The library named by ``--db``, else ``$READINGLIST_DB``, else the default file."""
    from ..core.location import LibraryLocation

    return LibraryLocation.parse(ctx.obj.get("db") or paths.default_library())


def open_library(ctx: click.Context, *, create: bool = False) -> ReadingList:
    """The library, opened for this command; only commands that add papers (``import``,
    and the app, which imports) ``create`` one: the others say there is none."""
    from ..core.service import LibraryError, ReadingList

    try:
        service = ReadingList(location(ctx), create=create)
    except LibraryError as error:
        fail(str(error))
    ctx.call_on_close(service.close)
    return service


def library_errors(func: F) -> F:
    """Turn the core's user-facing errors into ``error: …`` lines."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..core.service import LibraryError

        try:
            return func(*args, **kwargs)
        except LibraryError as error:
            fail(str(error))

    return cast(F, wrapper)


def run_tui(service: ReadingList, *, title: str | None = None) -> None:
    """Open the app on ``service``; it needs a terminal. Textual is imported only here."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        fail("the reading list needs a terminal; use a subcommand (see --help) in scripts")
    from ..ui.app import ReadingListApp

    app = ReadingListApp(service, title=title)
    app.run()
    if app.return_code:  # the app crashed; Textual has printed the traceback
        sys.exit(app.return_code)


def warn_unknown_filters(query: str) -> None:
    """Name each filter the query has that we do not know (search and export say it alike).

    A query of nothing but unknown filters is refused: ignoring them would leave an
    empty query, which matches every paper.
    """
    from ..core.search import parse_query

    parsed = parse_query(query)
    for problem in parsed.problems:
        echo(f"warning: unknown filter {problem!r} ignored (see --help)", err=True)
    if parsed.problems and not parsed.text and not parsed.has_filters:
        fail("nothing left to search for without those filters; it would match every paper")
