"""``readinglist fetch``: a Daily Papers listing read from the Hugging Face API and
imported as one listing, reported in one line as ``import`` reports a file."""

from __future__ import annotations

import sys
from typing import TextIO

import click

from .context import CONTEXT, open_library
from .importing import report_json, report_line
from .options import json_option
from .output import echo, fail, print_json, warn

__all__ = ["COMMANDS", "fetch_command"]

PERIODS = ("date", "week", "month")


@click.command("fetch", context_settings=CONTEXT)
@click.option(
    "--date", "day", metavar="YYYY-MM-DD", help="The listing of this day (default: today)."
)
@click.option("--week", metavar="YYYY-Www", help="The listing of this ISO week, e.g. 2026-W10.")
@click.option("--month", metavar="YYYY-MM", help="The listing of this month, e.g. 2026-03.")
@click.option(
    "--timeout",
    metavar="SECONDS",
    help="Wait this long to connect and for each read (default: "
    "$READINGLIST_FETCH_TIMEOUT, else 20).",
)
@json_option(
    "one object with the fields path (the listing's address), papers, new, updated, "
    "skipped_deleted, warnings (a list), error (null when it landed)"
)
@click.pass_context
def fetch_command(
    ctx: click.Context,
    day: str | None,
    week: str | None,
    month: str | None,
    timeout: str | None,
    as_json: bool,
) -> None:
    """Fetch a Daily Papers listing from Hugging Face and import it.

    Reads $HF_ENDPOINT/api/daily_papers (default https://huggingface.co), page by page,
    and imports the whole listing as one, recorded under its address: fetching it
    again changes nothing. A paper listed again is merged, never duplicated, and keeps
    its star, note and reading status. Any failure (an HTTP error, a timeout, no
    network, an answer that is not the API's JSON) imports nothing and says why in
    one line.

    \b
    Examples:
      readinglist fetch                    today's listing
      readinglist fetch --date 2026-03-06
      readinglist fetch --week 2026-W10
      readinglist fetch --month 2026-03 --json
    """
    from ..core.fetch import FetchError, Period, timeout_seconds
    from ..core.service import LibraryError

    given = [
        (kind, value) for kind, value in zip(PERIODS, (day, week, month), strict=True) if value
    ]
    if len(given) > 1:
        raise click.UsageError("give one of --date, --week and --month, not several")
    period = None
    if given:
        kind, value = given[0]
        try:
            period = Period.parse(kind, value)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=f"--{kind}") from None
    try:
        seconds = None if timeout is None else timeout_seconds(timeout)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--timeout") from None
    service = open_library(ctx, create=True)
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        if progress is not None:
            progress.start()
        report = service.fetch(period, timeout=seconds, progress=progress)
    except (FetchError, LibraryError) as error:
        fail(str(error))
    finally:
        if progress is not None:
            progress.clear()
    if as_json:
        print_json(report_json(report))
    if report.error:  # the library refused it (busy, full disk…)
        fail(f"{report.path}: {report.error}")
    if not as_json:
        echo(report_line(report), one_line=True)
    for warning in report.warnings:
        warn(f"{report.path}: {warning}")


class Progress:
    """``fetching: page 2 read, 200 papers so far…`` on one line of a terminal, then wiped."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.width = 0

    def start(self) -> None:
        self._show("fetching the listing…")

    def __call__(self, pages: int, papers: int) -> None:
        self._show(f"fetching: page {pages} read, {papers:,} papers so far…")

    def _show(self, text: str) -> None:
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


COMMANDS = (fetch_command,)
