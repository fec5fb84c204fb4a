"""The organising commands: ``tag``, ``untag`` and ``tags`` (a reader's tags), and
``status`` (unread, reading, read).

Several ids act in one transaction: an unknown id is an error that changes nothing.
Each says what it did in one line on stderr ("3 papers tagged 'thesis'").
"""

from __future__ import annotations

import click

from ..core.models import STATUSES
from .context import CONTEXT, open_library
from .options import json_option
from .output import changed, echo, print_json

__all__ = ["COMMANDS", "status", "tag", "tags", "untag"]

_IDS = click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)


@click.command(context_settings=CONTEXT)
@click.argument("tag_name", metavar="TAG")
@_IDS
@click.pass_context
def tag(ctx: click.Context, tag_name: str, paper_ids: tuple[int, ...]) -> None:
    """Tag papers. Tag names are case-insensitive and trimmed, without spaces.

    \b
    Examples:
      readinglist tag thesis 3 14 15
      readinglist search "tag:thesis is:unread"
    """
    name = open_library(ctx).tag(paper_ids, tag_name, True)
    changed(paper_ids, f"tagged {name!r}")


@click.command(context_settings=CONTEXT)
@click.argument("tag_name", metavar="TAG")
@_IDS
@click.pass_context
def untag(ctx: click.Context, tag_name: str, paper_ids: tuple[int, ...]) -> None:
    """Take a tag off papers.

    \b
    Example:
      readinglist untag thesis 14
    """
    name = open_library(ctx).tag(paper_ids, tag_name, False)
    changed(paper_ids, f"no longer tagged {name!r}")


@click.command(context_settings=CONTEXT)
@json_option('an array of {"tag": NAME, "papers": COUNT}')
@click.pass_context
def tags(ctx: click.Context, as_json: bool) -> None:
    """List every tag with how many papers carry it.

    \b
    Examples:
      readinglist tags
      readinglist tags --json
    """
    counts = open_library(ctx).tag_counts()
    if as_json:
        print_json([{"tag": name, "papers": count} for name, count in counts])
    elif not counts:
        echo("No tags.", err=True)
    else:
        width = max(len(str(count)) for _name, count in counts)
        echo("\n".join(f"{str(count).rjust(width)}  {name}" for name, count in counts))


@click.command(context_settings=CONTEXT)
@click.argument("state", metavar="STATE", type=click.Choice(STATUSES, case_sensitive=False))
@_IDS
@click.pass_context
def status(ctx: click.Context, state: str, paper_ids: tuple[int, ...]) -> None:
    """Set papers' reading status: unread, reading or read.

    \b
    Examples:
      readinglist status read 3 14
      readinglist list --json | jq '.[] | select(.status == "reading")'
    """
    open_library(ctx).set_statuses(dict.fromkeys(paper_ids, state))
    changed(paper_ids, f"marked {state}")


COMMANDS = (tag, untag, tags, status)
