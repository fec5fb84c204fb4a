"""``readinglist demo``: the app on a throwaway library of the bundled sample pages."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from .. import paths
from .context import CONTEXT, run_tui
from .options import json_option
from .output import fail, print_papers

__all__ = ["COMMANDS", "demo"]


@click.command(context_settings=CONTEXT)
@click.option("--list", "list_only", is_flag=True, help="Print the demo papers instead.")
@json_option("the demo papers, as list --json prints them (implies --list)")
@click.pass_context
def demo(ctx: click.Context, list_only: bool, as_json: bool) -> None:
    """Open the reading list on a throwaway library of the bundled sample pages.

    Nothing you do in the demo touches your own library.

    \b
    Examples:
      readinglist demo
      readinglist demo --list
      readinglist demo --json | jq length
    """
    from ..core.service import ReadingList

    pages = paths.sample_pages()
    if not pages:
        fail("the bundled sample pages are missing from this installation")
    with (
        tempfile.TemporaryDirectory(prefix="readinglist-demo-") as folder,
        ReadingList(Path(folder) / "demo.db") as service,
    ):
        service.import_pages(pages)
        if as_json or list_only or not (sys.stdin.isatty() and sys.stdout.isatty()):
            print_papers(service, [row.id for row in service.list()], as_json)
            return
        run_tui(service, title="readinglist demo")


COMMANDS = (demo,)
