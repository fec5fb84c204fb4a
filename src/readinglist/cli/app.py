"""The ``readinglist`` command group and its entry point.

A bare ``readinglist`` opens the TUI; the TUI is imported only in that branch so
scripted commands start fast. The subcommands live in their own modules and are
registered here, so none of them imports this one.
"""

from __future__ import annotations

import contextlib
from typing import Any

import click

from . import demo, exporting, fetch, importing, library, papers, tags, trash
from .context import CONTEXT, open_library, run_tui
from .output import cleaned_click_errors, error_line, output_failed
from .signals import signal_number, stop_signals_interrupt

__all__ = ["cli", "main"]


class _Commands(click.Group):
    """The command group: every error click itself raises is shown in our one style, its
    message (which quotes what was typed) cleaned by ``for_display``."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with cleaned_click_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with cleaned_click_errors():
                return super().invoke(ctx)
        except KeyboardInterrupt as stop:  # Ctrl+C, or SIGTERM/SIGHUP (see ``cli``)
            stopped_by = signal_number(stop)
            with contextlib.suppress(OSError):  # after a hangup there may be no terminal
                error_line(f"stopped ({stopped_by.name})")
            ctx.exit(128 + stopped_by)


@click.group(cls=_Commands, invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--db",
    metavar="FILE|URL",
    help="Library file, or a postgresql://user@host/dbname URL (default: $READINGLIST_DB, "
    "else the user data directory). Keep passwords in ~/.pgpass or $PGPASSWORD.",
)
@click.version_option(package_name="readinglist")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """A reading list for research papers saved from Daily Papers listings.

    \b
    Examples:
      readinglist                      open the reading list
      readinglist demo                 try it on the bundled sample pages
      readinglist import ~/papers/*.txt
      readinglist search "transfromer" --limit 5
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand not in (None, "demo"):  # the app handles its own signals
        # a write under way rolls back, an export's temporary file goes: no debris
        ctx.with_resource(stop_signals_interrupt())
    if ctx.invoked_subcommand is None:
        run_tui(open_library(ctx, create=True))


for _module in (importing, fetch, papers, tags, exporting, demo, library, trash):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """The console script: run the group, and say in one line when the output fails."""
    try:
        cli.main(prog_name="readinglist")
    except OSError as error:  # click handles a closed pipe; not a full disk or a device error
        output_failed(error)
