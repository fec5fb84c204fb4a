"""The ``readinglist`` command group and its entry point.

A bare ``readinglist`` opens the TUI; the TUI is imported only in that branch so
scripted commands start fast. The subcommands live in their own modules, and a command
imports only its own module (``LazyCommands``): ``list`` never pays for ``export``'s
formats or ``demo``'s sample pages. None of those modules imports this one.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import click

from .context import CONTEXT, open_library, run_tui
from .output import cleaned_click_errors, error_line, output_failed
from .signals import signal_number, stop_signals_interrupt

__all__ = ["COMMAND_MODULES", "LazyCommands", "cli", "main"]

COMMAND_MODULES = {
    "importing": ("import",),
    "fetch": ("fetch",),
    "papers": ("list", "search", "show", "star", "unstar", "note"),
    "tags": ("tag", "untag", "tags", "status"),
    "exporting": ("export",),
    "demo": ("demo",),
    "library": ("check", "backup", "restore", "paths"),
    "trash": ("delete", "undelete", "trash"),
}
"""Each module of ``readinglist.cli`` with commands, and their names: the module's
``COMMANDS`` (a test checks that the two agree)."""


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's ``commands``: every name is known at once, a module is imported only
    when one of its commands is looked up (to run it, or to list it in ``--help``)."""

    def __init__(self, modules: dict[str, tuple[str, ...]]) -> None:
        self._module_of = {name: module for module, names in modules.items() for name in names}
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module = importlib.import_module(f"{__package__}.{self._module_of[name]}")
            for command in module.COMMANDS:
                self._loaded.setdefault(command.name, command)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._module_of.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._module_of.pop(name, None)
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._module_of), **dict.fromkeys(self._loaded)})

    def __len__(self) -> int:
        return len(self._module_of.keys() | self._loaded.keys())


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


cli.commands = LazyCommands(COMMAND_MODULES)


def main() -> None:
    """The console script: run the group, and say in one line when the output fails."""
    try:
        cli.main(prog_name="readinglist")
    except OSError as error:  # click handles a closed pipe; not a full disk or a device error
        output_failed(error)
