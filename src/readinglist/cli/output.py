"""How every command speaks: output cleaned for the terminal, and the one error style.

Every line a command prints goes through ``echo``, which cleans it with ``for_display``;
every failure is one ``error: …`` line on stderr (``CliError``, ``UsageLineError``).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..core.textclean import for_display

if TYPE_CHECKING:
    from ..core.models import PaperSummary
    from ..core.service import ReadingList

__all__ = [
    "CliError",
    "UsageLineError",
    "cleaned_click_errors",
    "echo",
    "fail",
    "output_failed",
    "print_papers",
    "print_table",
]


def echo(text: str, *, err: bool = False, nl: bool = True, one_line: bool = False) -> None:
    """Print ``text`` cleaned by ``for_display``: the way every command prints, so outside
    text (titles, file names, error texts, rows another client wrote) never reaches the
    terminal raw. ``one_line`` folds newlines (a file name may hold one) for a report,
    warning or error: one of them is always one line."""
    click.echo(for_display(text, one_line=one_line), err=err, nl=nl)


class CliError(click.ClickException):
    """A one-line ``error: …`` on stderr, exit status 1, never a traceback."""

    def show(self, file: Any = None) -> None:
        echo(f"error: {self.format_message()}", err=True, one_line=True)


def fail(message: str) -> NoReturn:
    """Stop the command with ``error: message`` (one line on stderr) and exit status 1."""
    raise CliError(message)


class UsageLineError(click.UsageError):
    """click's usage error (usage, then the help hint) ending in our ``error: …`` line."""

    def show(self, file: Any = None) -> None:
        if self.ctx is not None:
            hint = f"Try '{self.ctx.command_path} {self.ctx.help_option_names[0]}' for help.\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", err=True)
        echo(f"error: {self.format_message()}", err=True, one_line=True)


def print_papers(service: ReadingList, ids: list[int], as_json: bool) -> None:
    """The papers ``ids``, in that order: a JSON array of records, or a table."""
    from .formatting import to_json

    if as_json:
        echo(to_json([record.to_json() for record in service.records(ids)]))
        return
    print_table(service.summaries(ids))


def print_table(rows: Sequence[PaperSummary]) -> None:
    """Aligned columns fitted to a terminal; whole tab-separated fields into a pipe or file."""
    from .formatting import format_tab_separated, format_table

    if not rows:
        echo("No papers.", err=True)
    elif sys.stdout.isatty():
        echo(format_table(rows))
    else:
        echo(format_tab_separated(rows))


@contextlib.contextmanager
def cleaned_click_errors() -> Iterator[None]:
    """Within the block, an error click raises is re-raised in our one style, its message
    (which quotes what was typed) cleaned by ``for_display``."""
    try:
        yield
    except (CliError, UsageLineError):
        raise
    except click.UsageError as error:  # exit status 2, as click's
        raise UsageLineError(for_display(error.format_message()), error.ctx) from error
    except click.ClickException as error:
        raise CliError(for_display(error.format_message())) from error


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
    click.echo(f"error: {where}: {error.strerror or error}", err=True)
    sys.exit(1)
