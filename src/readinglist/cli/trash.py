"""The trash commands: ``delete`` moves papers to the trash, ``undelete`` brings them back,
``trash`` lists it and, with ``--empty``, deletes its papers for good.

A paper in the trash keeps its star, note and status; it is gone from every list,
search, count and export, and importing a page that lists it does not bring it back.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..core.wording import plural
from .context import CONTEXT, open_library
from .options import json_option
from .output import changed, echo, fail, print_json

if TYPE_CHECKING:
    from ..core.service import ReadingList

__all__ = ["COMMANDS", "delete", "trash", "undelete"]


@click.command(context_settings=CONTEXT)
@click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.pass_context
def delete(ctx: click.Context, paper_ids: tuple[int, ...]) -> None:
    """Move papers to the trash (all of them, or none if an id is unknown).

    They keep their star, note and status; `readinglist undelete ID...` brings them
    back. Importing a page that lists them does not.

    \b
    Example:
      readinglist delete 3 14 15
    """
    open_library(ctx).delete(paper_ids)
    changed(paper_ids, "moved to the trash")


@click.command(context_settings=CONTEXT)
@click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.pass_context
def undelete(ctx: click.Context, paper_ids: tuple[int, ...]) -> None:
    """Bring papers back from the trash, with their star, note and status.

    \b
    Example:
      readinglist undelete 14
    """
    open_library(ctx).undelete(paper_ids)
    changed(paper_ids, "back from the trash")


@click.command(context_settings=CONTEXT)
@click.option("--empty", is_flag=True, help="Delete the papers in the trash for good.")
@click.option("--yes", "-y", is_flag=True, help="With --empty: do not ask first.")
@json_option(
    "an array of the papers in the trash, each with the fields of show --json and "
    "deleted_at; with --empty, an object with the field emptied (how many were deleted)"
)
@click.pass_context
def trash(ctx: click.Context, empty: bool, yes: bool, as_json: bool) -> None:
    """List the papers in the trash (most recently deleted first), or empty it.

    Emptying asks first unless --yes is given; without a terminal to ask on, it
    refuses without --yes.

    \b
    Examples:
      readinglist trash
      readinglist trash --json | jq '.[].id'
      readinglist trash --empty --yes
    """
    if yes and not empty:
        raise click.UsageError("--yes goes with --empty")
    from .formatting import format_trash, format_trash_table  # as print_table loads it

    service = open_library(ctx)
    if empty:
        _empty(service, yes, as_json)
        return
    papers = service.trash()
    if as_json:
        print_json([{**paper.to_json(), "deleted_at": paper.deleted_at} for paper in papers])
    elif not papers:
        echo("The trash is empty.", err=True)
    elif sys.stdout.isatty():
        echo(format_trash_table(papers))
    else:
        echo(format_trash(papers))


def _empty(service: ReadingList, yes: bool, as_json: bool) -> None:
    """Empty the trash, after asking unless ``yes``; refuse to ask without a terminal."""
    waiting = len(service.trash())
    if waiting and not yes:
        if not sys.stdin.isatty():
            fail("the trash was not emptied: confirm with --yes when input is not a terminal")
        if not click.confirm(
            f"Delete the {plural(waiting, 'paper')} in the trash for good?", err=True
        ):
            fail("the trash was not emptied")
    emptied = service.empty_trash() if waiting else 0
    if as_json:
        print_json({"emptied": emptied})
    elif not waiting:
        echo("The trash is empty.", err=True)
    else:
        echo(f"{plural(emptied, 'paper')} deleted for good", err=True)


COMMANDS = (delete, undelete, trash)
