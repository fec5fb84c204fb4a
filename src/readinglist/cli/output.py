"""How every command speaks: output cleaned for the terminal, and the one error style.

Every line a command prints goes through ``echo``, which cleans it with ``for_display``
(``--json`` through ``print_json``, which cleans every string in it). Every failure is
one ``error: …`` line on stderr, written by ``error_line``: a command stops with
``fail`` (``CliError``, exit status 1), click's usage errors end in the same line
(``UsageLineError``, exit status 2), and the core's ``LibraryError`` becomes a
``CliError`` for every command (``cleaned_click_errors``). A failure that lets the
command go on (one file of an import) is an ``error_line`` and a final exit status 1;
``warn`` says what is worth knowing without failing, and ``changed`` what a command
that changes papers did.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..core.textclean import for_display

if TYPE_CHECKING:
    from ..core.models import PaperSummary
    from ..core.service import ReadingList

__all__ = [
    "CliError",
    "UsageLineError",
    "changed",
    "cleaned_click_errors",
    "echo",
    "error_line",
    "fail",
    "output_failed",
    "print_json",
    "print_papers",
    "print_table",
    "warn",
]


def echo(text: str, *, err: bool = False, nl: bool = True, one_line: bool = False) -> None:
    """Print ``text`` cleaned by ``for_display``: the way every command prints, so outside
    text (titles, file names, error texts, rows another client wrote) never reaches the
    terminal raw. ``one_line`` folds newlines (a file name may hold one) for a report,
    warning or error: one of them is always one line."""
    click.echo(for_display(text, one_line=one_line), err=err, nl=nl)


def error_line(message: str) -> None:
    """``error: message``, one line on stderr: the way every failure is told."""
    echo(f"error: {message}", err=True, one_line=True)


def warn(message: str) -> None:
    """``warning: message``, one line on stderr: worth knowing, not a failure."""
    echo(f"warning: {message}", err=True, one_line=True)


def changed(paper_ids: Sequence[int], what: str) -> None:
    """What a command that changes papers did, one line on stderr (stdout stays for
    data): ``3 papers tagged 'ml'`` for ``changed(ids, "tagged 'ml'")``."""
    from ..core.wording import plural

    echo(f"{plural(len(set(paper_ids)), 'paper')} {what}", err=True, one_line=True)


def print_json(value: Any) -> None:
    """``--json`` output: ``value`` as indented JSON, every string in it cleaned."""
    from .formatting import to_json

    echo(to_json(value))


class CliError(click.ClickException):
    """A one-line ``error: …`` on stderr, exit status 1, never a traceback."""

    def show(self, file: Any = None) -> None:
        error_line(self.format_message())


def fail(message: str) -> NoReturn:
    """Stop the command with ``error: message`` (one line on stderr) and exit status 1."""
    raise CliError(message)


class UsageLineError(click.UsageError):
    """click's usage error (usage, then the help hint) ending in our ``error: …`` line."""

    def show(self, file: Any = None) -> None:
        if self.ctx is not None:
            hint = f"Try '{self.ctx.command_path} {self.ctx.help_option_names[0]}' for help.\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", err=True)
        error_line(self.format_message())


def print_papers(service: ReadingList, rows: Sequence[PaperSummary], as_json: bool) -> None:
    """The papers of ``rows``, in that order: a JSON array of their records, or a table."""
    if as_json:
        print_json([record.to_json() for record in service.records([row.id for row in rows])])
        return
    print_table(rows, {row.id: row.tags for row in rows if row.tags})


def print_table(
    rows: Sequence[PaperSummary], tags: Mapping[int, Sequence[str]] | None = None
) -> None:
    """Aligned columns fitted to a terminal; whole tab-separated fields into a pipe or file.

    ``tags`` holds the tags of the rows that carry any."""
    from .formatting import format_tab_separated, format_table

    if not rows:
        echo("No papers.", err=True)
    elif sys.stdout.isatty():
        echo(format_table(rows, tags=tags))
    else:
        echo(format_tab_separated(rows, tags))


@contextlib.contextmanager
def cleaned_click_errors() -> Iterator[None]:
    """Within the block, an error click raises is re-raised in our one style, its message
    (which quotes what was typed) cleaned by ``for_display``; so is the core's
    ``LibraryError`` (no library, a damaged one, no such paper, a busy server)."""
    try:
        yield
    except (CliError, UsageLineError):
        raise
    except click.UsageError as error:  # exit status 2, as click's
        raise UsageLineError(for_display(error.format_message()), error.ctx) from error
    except click.ClickException as error:
        raise CliError(for_display(error.format_message())) from error
    except Exception as error:
        if type(error).__module__.startswith("readinglist.core."):  # not for click's Exit
            from ..core.service import LibraryError

            if isinstance(error, LibraryError):
                raise CliError(str(error)) from error
        raise


def output_failed(error: OSError) -> NoReturn:
    """Writing the output failed (``list > /dev/full``), or another file operation no
    command caught: say so in one line, exit 1.

    Standard output is pointed at /dev/null first, or Python would fail again flushing
    it at exit and print a traceback of its own.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    where = f"{error.filename}" if error.filename else "cannot write the output"
    error_line(f"{where}: {error.strerror or error}")
    sys.exit(1)
