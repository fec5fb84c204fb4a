"""The paper commands: ``list``, ``search`` and ``show`` print papers; ``star``,
``unstar`` and ``note`` change a reader's marks on them.

Their ``--json`` is a paper's record, exactly ``core.models.JSON_FIELDS``.
"""

from __future__ import annotations

import sys

import click

from ..core.query import filter_examples
from ..core.sorting import BEST_MATCH, SORTS
from ..core.textclean import for_display
from .context import CONTEXT, open_library, warn_unknown_filters
from .options import json_option, limit_option, sort_option
from .output import changed, echo, fail, print_json, print_papers, warn

__all__ = ["COMMANDS", "list_command", "note", "search", "show", "star", "unstar"]

SEARCH_LIMIT = 20  # results search shows without --limit


@click.command("list", context_settings=CONTEXT)
@click.option("--starred", is_flag=True, help="Only starred papers.")
@sort_option(SORTS, "date")
@limit_option
@json_option("an array of papers, each with the fields of show --json")
@click.pass_context
def list_command(
    ctx: click.Context, starred: bool, sort: str, limit: int | None, as_json: bool
) -> None:
    """List papers: id, marks (★ starred, ✎ note, ⌘ code links), date, upvotes, org, title,
    status and tags.

    On a terminal the columns are aligned and long titles cut to fit; into a pipe or a
    file every field is whole, one paper a line, fields separated by tabs.

    \b
    Examples:
      readinglist list --limit 20
      readinglist list --starred --sort upvotes --json
      readinglist list | grep -i diffusion | cut -f1,6
    """
    service = open_library(ctx)
    found = service.search_rows(sort=sort, starred_only=starred, limit=limit, count=False)
    print_papers(service, found.rows, as_json)


@click.command(context_settings=CONTEXT)
@click.argument("query")
@sort_option((BEST_MATCH, *SORTS), BEST_MATCH)
@limit_option
@json_option("an array of papers, each with the fields of show --json")
@click.pass_context
def search(ctx: click.Context, query: str, sort: str, limit: int | None, as_json: bool) -> None:
    """Fuzzy, typo-tolerant search; best matches first (20 unless --limit says).

    Titles weigh most, then organisation, authors, keywords, notes and abstracts.
    Filters: FILTERS. Output is as for list; when more papers match than are shown,
    stderr says how many.

    \b
    Examples:
      readinglist search "handwriten documents"
      readinglist search "is:starred bert" --json
      readinglist search "org:google" --sort upvotes
      readinglist search "tag:thesis is:unread"
    """
    parsed = warn_unknown_filters(query)
    service = open_library(ctx)
    limit = limit or SEARCH_LIMIT
    order = None if sort == BEST_MATCH else sort
    found = service.search_rows(parsed, sort=order, limit=limit)  # and how many match
    print_papers(service, found.rows, as_json)
    if found.total is not None and found.total > limit:
        echo(f"{limit} of {found.total} shown (--limit)", err=True)


search.help = (search.help or "").replace("FILTERS", ", ".join(filter_examples()))


@click.command(context_settings=CONTEXT)
@click.argument("paper_id", metavar="ID", type=int)
@json_option(
    "one object with the fields id, title, abstract, authors, org, org_id, date, "
    "date_text, upvotes, links, starred, note, status, added_at"
)
@click.pass_context
def show(ctx: click.Context, paper_id: int, as_json: bool) -> None:
    """Show one paper: metadata, links, abstract and note.

    \b
    Examples:
      readinglist show 12
      readinglist show 12 --json | jq .links
    """
    from .formatting import format_record

    service = open_library(ctx)
    record = service.get(paper_id)
    if as_json:
        print_json(record.to_json())
    else:
        echo(format_record(record, service.sources_of(paper_id)), nl=False)


@click.command(context_settings=CONTEXT)
@click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.pass_context
def star(ctx: click.Context, paper_ids: tuple[int, ...]) -> None:
    """Star papers.

    \b
    Example:
      readinglist star 3 14 15
    """
    open_library(ctx).star(paper_ids, True)
    changed(paper_ids, "starred")


@click.command(context_settings=CONTEXT)
@click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.pass_context
def unstar(ctx: click.Context, paper_ids: tuple[int, ...]) -> None:
    """Remove the star from papers.

    \b
    Example:
      readinglist unstar 3
    """
    open_library(ctx).star(paper_ids, False)
    changed(paper_ids, "unstarred")


@click.command(context_settings=CONTEXT)
@click.argument("paper_id", metavar="ID", type=int)
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Erase the note (the only way to).")
@click.pass_context
def note(ctx: click.Context, paper_id: int, text: str | None, clear: bool) -> None:
    """Set a paper's note (Markdown welcome).

    Without TEXT the note is read from standard input when it is piped, or edited in
    $EDITOR. Empty text (an empty TEXT, empty or blank input, an emptied editor) never
    erases a note: the note stays as it was, stderr says so and the exit status is 1.
    To erase a note, use --clear.

    \b
    Examples:
      readinglist note 12 "Read section 3 again"
      echo "Compare with #40" | readinglist note 12
      readinglist note 12            # opens $EDITOR
      readinglist note 12 --clear
    """
    if clear and text is not None:
        raise click.UsageError("give TEXT or --clear, not both")
    service = open_library(ctx)
    current = service.get(paper_id).note
    if clear:
        text = ""
    elif text is None:
        if not sys.stdin.isatty():
            text = sys.stdin.read()
        else:
            text = click.edit(current, extension=".md", require_save=True)
            if text is None:
                echo("Note unchanged.", err=True)
                return
    if not clear and not for_display(text).strip():
        fail(
            f"paper {paper_id}: the new note is empty, so the note was left as it was "
            f"(to erase it: readinglist note {paper_id} --clear)"
        )
    saved = service.set_note(paper_id, text, base=current)
    if saved.merged:
        warn(
            f"paper {paper_id}: someone else saved this note meanwhile; "
            f"both versions are kept (see: readinglist show {paper_id})"
        )
    else:
        echo(f"paper {paper_id}: note {'cleared' if clear else 'saved'}", err=True)


COMMANDS = (list_command, search, show, star, unstar, note)
