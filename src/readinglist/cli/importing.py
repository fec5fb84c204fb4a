"""``readinglist import``: saved Daily Papers listings into the library, one report line
a file as each lands (or, with ``--json``, one array of reports at the end)."""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .context import CONTEXT, location, open_library
from .options import json_option
from .output import echo, error_line, print_json, warn
from .signals import signal_number, stop_signals_interrupt

if TYPE_CHECKING:
    from ..core.models import ImportReport

__all__ = ["COMMANDS", "import_command", "import_json", "report_json", "report_line"]


def report_line(report: ImportReport) -> str:
    """A landed file's line: its papers, how many new and updated, and how many it lists
    that are in the trash (skipped, said only when there are some)."""
    from ..core.wording import plural

    line = f"{report.path}: {plural(report.papers, 'paper')}, {report.new} new, "
    line += f"{report.updated} updated"
    if report.skipped_deleted:
        line += f", {report.skipped_deleted} skipped as deleted"
    return line


def report_json(report: ImportReport) -> dict[str, Any]:
    """One file's ``--json`` report: path, papers, new, updated, skipped_deleted, warnings,
    error."""
    return {
        "path": report.path,
        "papers": report.papers,
        "new": report.new,
        "updated": report.updated,
        "skipped_deleted": report.skipped_deleted,
        "warnings": list(report.warnings),
        "error": report.error,
    }


def import_json(report: ImportReport) -> dict[str, Any]:
    """A file's object in ``import --json``: ``report_json``'s fields and ``skipped``, why
    a file found in a folder was left out (it is no listing; its ``error`` is null)."""
    return {**report_json(report), "skipped": report.skipped}


@click.command("import", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option(
    "an array, one object a file, with the fields path, papers, new, updated, skipped_deleted "
    "(papers in the trash, left there), warnings (a list), error (null when it landed), "
    "skipped (why a file in a folder that is not a listing was left out, else null)"
)
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Import saved Daily Papers listings into the library.

    A file may be a saved web page (.html, or a single-file .mhtml), the Daily Papers
    API's JSON, or the page's text; each is recognised by what it holds, not its name.
    Each file lands whole or not at all. A paper listed again is merged, never
    duplicated, and keeps its star, note and reading status. A folder stands for the
    pages directly in it (.txt .text .md .html .htm .mhtml .mht .json; not hidden
    ones, not subfolders), by name; a file there that is not a listing (a README,
    notes) is skipped with a warning. A file named alone that is not one is refused.
    Stopped by Ctrl+C, SIGTERM or SIGHUP, it says so and exits with status 128 + the
    signal's number (with --json, after printing the files that landed).

    \b
    Examples:
      readinglist import page.txt
      readinglist import "Daily Papers - Hugging Face.html"
      readinglist import ~/Downloads/daily-papers-*.txt
      readinglist import ~/papers/ --json | jq '.[] | select(.error)'
    """
    from ..core.files import PAGE_SUFFIXES, page_files
    from ..core.models import ImportReport, no_listings_in_folder

    library = location(ctx).path
    new_library = library is not None and not library.exists()
    service = None if new_library else open_library(ctx, create=True)
    done: list[ImportReport] = []
    pages: list[Path] = []
    folders: dict[Path, set[str]] = {}  # each folder's files, as reports name them
    for path in files:
        found = page_files([path])  # only an empty folder gives none
        if path.is_dir() and found:
            folders[path] = {str(page) for page in found}
        if not found:
            kinds = " ".join(PAGE_SUFFIXES)
            done.append(
                ImportReport(str(path), error=f"no pages in this folder (no {kinds} files)")
            )
            error_line(f"{path}: {done[-1].error}")
        pages += found
    from_folder = set().union(*folders.values())
    reports = (  # each as it lands
        _into_a_new_library(ctx, pages)
        if service is None
        else service.iter_imports(pages, parallel=True)
    )
    try:
        with stop_signals_interrupt():
            for report in reports:
                if report.path in from_folder:
                    report = report.found_in_folder()
                done.append(report)
                if report.skipped:
                    warn(f"{report.path}: skipped, {report.skipped}")
                    continue
                if report.error:
                    error_line(f"{report.path}: {report.error}")
                    continue
                if not as_json:
                    echo(report_line(report), one_line=True)
                for warning in report.warnings:
                    warn(f"{report.path}: {warning}")
    except KeyboardInterrupt as stop:
        reports.close()  # stops the parse worker now (a write under way was rolled back)
        stopped_by = signal_number(stop)
        with contextlib.suppress(OSError):  # after a hangup there may be no terminal
            if as_json:
                print_json([import_json(report) for report in done])
            error_line(
                f"import stopped ({stopped_by.name}): each file was "
                "imported whole or not at all; the same import again finishes it"
            )
        ctx.exit(128 + stopped_by)
    for folder, members in folders.items():
        failed = no_listings_in_folder(str(folder), [r for r in done if r.path in members])
        if failed is not None:  # not one listing there: that is a failure
            done.append(failed)
            error_line(f"{folder}: {failed.error}")
    if as_json:
        print_json([import_json(report) for report in done])
    ctx.exit(1 if any(report.error for report in done) else 0)


def _into_a_new_library(
    ctx: click.Context, pages: list[Path]
) -> Generator[ImportReport, None, None]:
    """Import into a library file that is not there yet: it is made once a file reads
    as a listing, so an import that lands nothing leaves nothing behind (no file, no
    folder). The files before that one are reported as the import reports them."""
    from ..core.merge import read_keyed_or_error
    from ..core.models import ImportReport

    today = date.today()  # the library's own "today" (``ReadingList``'s default)
    for at, path in enumerate(pages):
        parsed = read_keyed_or_error(path, today)
        if not isinstance(parsed, str):  # read again by the import: one file's work
            yield from open_library(ctx, create=True).iter_imports(pages[at:], parallel=True)
            return
        yield ImportReport(str(path), error=parsed)


COMMANDS = (import_command,)
