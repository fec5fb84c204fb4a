"""``readinglist import``: saved Daily Papers listings into the library, one report line
a file as each lands."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from .context import CONTEXT, open_library
from .output import echo
from .signals import signal_number, stop_signals_interrupt

__all__ = ["COMMANDS", "import_command"]


@click.command("import", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Import saved Daily Papers listings into the library.

    A file may be a saved web page (.html, or a single-file .mhtml), the Daily Papers
    API's JSON, or the page's text; each is recognised by what it holds, not its name.
    Each file lands whole or not at all. A paper listed again is merged, never
    duplicated, and keeps its star, note and reading status. A folder stands for the
    pages directly in it (.txt .text .md .html .htm .mhtml .mht .json; not hidden
    ones, not subfolders), by name.
    Stopped by Ctrl+C, SIGTERM or SIGHUP, it says so and exits with status 128 + the
    signal's number.

    \b
    Examples:
      readinglist import page.txt
      readinglist import "Daily Papers - Hugging Face.html"
      readinglist import ~/Downloads/daily-papers-*.txt
      readinglist import ~/papers/
    """
    from ..core.files import PAGE_SUFFIXES, page_files
    from ..core.wording import plural

    service = open_library(ctx, create=True)
    failed = False
    pages: list[Path] = []
    for path in files:
        found = page_files([path])  # only an empty folder gives none
        if not found:
            failed = True
            kinds = " ".join(PAGE_SUFFIXES)
            echo(
                f"error: {path}: no pages in this folder (no {kinds} files)",
                err=True,
                one_line=True,
            )
        pages += found
    reports = service.iter_imports(pages, parallel=True)  # each as it lands
    try:
        with stop_signals_interrupt():
            for report in reports:
                if report.error:
                    failed = True
                    echo(f"error: {report.path}: {report.error}", err=True, one_line=True)
                    continue
                echo(
                    f"{report.path}: {plural(report.papers, 'paper')}, {report.new} new, "
                    f"{report.updated} updated",
                    one_line=True,
                )
                for warning in report.warnings:
                    echo(f"warning: {report.path}: {warning}", err=True, one_line=True)
    except KeyboardInterrupt as stop:
        reports.close()  # stops the parse worker now (a write under way was rolled back)
        stopped_by = signal_number(stop)
        with contextlib.suppress(OSError):  # after a hangup there may be no terminal
            echo(
                f"error: import stopped ({stopped_by.name}): each file was "
                "imported whole or not at all; the same import again finishes it",
                err=True,
            )
        ctx.exit(128 + stopped_by)
    ctx.exit(1 if failed else 0)


COMMANDS = (import_command,)
