"""What the commands share: the library a command works on, opened once, the app for
the commands that open it, and the query check of ``search`` and ``export``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .output import fail, warn

if TYPE_CHECKING:
    from ..core.location import LibraryLocation
    from ..core.query import ParsedQuery
    from ..core.service import ReadingList

__all__ = [
    "CONTEXT",
    "location",
    "open_library",
    "run_tui",
    "warn_unknown_filters",
]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
"""Context settings every command takes: ``-h`` for help, help text up to 100 columns."""


def location(ctx: click.Context) -> LibraryLocation:
    """The library named by ``--db``, else ``$READINGLIST_DB``, else the default file."""
    from .start import library_location

    return library_location(ctx.obj.get("db"))


def open_library(ctx: click.Context, *, create: bool = False) -> ReadingList:
    """The library, opened for this command; only commands that add papers (``import``,
    and the app, which imports) ``create`` one: the others say there is none."""
    from ..core.service import ReadingList

    service = ReadingList(location(ctx), create=create)  # a LibraryError says why not
    ctx.call_on_close(service.close)
    return service


def run_tui(service: ReadingList, *, title: str | None = None) -> None:
    """Open the app on ``service``; it needs a terminal (see ``start.run_app``)."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        fail("the reading list needs a terminal; use a subcommand (see --help) in scripts")
    from .start import run_app

    run_app(service, title=title)


def warn_unknown_filters(query: str) -> ParsedQuery:
    """Name each filter the query has that we do not know (search and export say it alike);
    the query, parsed (once).

    A query of nothing but unknown filters is refused: ignoring them would leave an
    empty query, which matches every paper.
    """
    from ..core.query import filter_problem, parse_query

    parsed = parse_query(query)
    for problem in parsed.problems:
        warn(f"{filter_problem(problem, quoted=True)} ignored (see --help)")
    if parsed.problems and not parsed.text and not parsed.has_filters:
        fail("nothing left to search for without those filters; it would match every paper")
    return parsed
