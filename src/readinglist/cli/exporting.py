"""``readinglist export``: papers to Markdown, JSON, CSV, BibTeX or RIS, on stdout or a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..core.formats import FORMAT_BY_NAME
from ..core.sorting import SORT_KEYS
from .context import CONTEXT, open_library, warn_unknown_filters
from .options import sort_option
from .output import echo, fail

__all__ = ["COMMANDS", "export"]


@click.command(context_settings=CONTEXT)
@click.option("--starred", is_flag=True, help="Starred papers (the default without --query).")
@click.option("--all", "every", is_flag=True, help="Every paper (the default with --query).")
@click.option(
    "--query",
    "-q",
    help="Papers matching a search (same syntax as search); with --starred, starred ones.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMAT_BY_NAME, case_sensitive=False),
    help="Format (default: from the -o file's extension: .json, .csv, .bib, .ris; else md).",
)
@sort_option(SORT_KEYS, None, default_text="as list shows them: date; best match for --query")
@click.option("--no-abstract", is_flag=True, help="Leave abstracts out of Markdown.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default, or -: stdout).",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
@click.pass_context
def export(
    ctx: click.Context,
    starred: bool,
    every: bool,
    query: str | None,
    fmt: str | None,
    sort: str | None,
    no_abstract: bool,
    output: Path | None,
    force: bool,
) -> None:
    """Export papers to Markdown (default), JSON, CSV, BibTeX or RIS.

    Markdown has a heading per paper, its authors, metadata and tags, clickable links
    (the arXiv page first), your note and the abstract as a quote; titles are escaped so they
    render exactly as written. In CSV, a cell that a spreadsheet would run as a formula
    (= + - @ first) starts with '. BibTeX has an @misc entry per paper keyed
    surname:arXiv-id (e.g. kaplan:2001.08361); RIS is for Zotero and EndNote.

    The -o file's extension picks the format (.json, .csv, .bib, .ris; else Markdown)
    unless --format says. An existing file is replaced only with --force, atomically
    (an interrupted export never leaves half a file), keeping its permissions; a
    symbolic link is written through, and /dev/stdout, a pipe or a terminal is
    written to in place.

    \b
    Examples:
      readinglist export -o starred.md
      readinglist export --all -o library.csv
      readinglist export --query "org:google year:2024" --format json
      readinglist export --starred --query bert -o bert.md
      readinglist export --all -o references.bib
    """
    from ..core.formats import format_for
    from ..core.wording import plural

    if starred and every:
        raise click.UsageError("give --starred or --all, not both")
    if fmt is not None:
        fmt = FORMAT_BY_NAME[fmt.lower()]  # "markdown" is md, "bib" bibtex
    parsed = warn_unknown_filters(query) if query is not None else None
    if starred and parsed is not None and parsed.starred is False:
        raise click.UsageError("--starred and is:unstarred: no paper is both")
    scope = "starred" if starred or (query is None and not every) else "all"
    service = open_library(ctx)
    ids = service.select(scope=scope, query=query, sort=sort)
    name = "Starred papers" if query is None and scope == "starred" else "Reading list"
    options: dict[str, Any] = {"include_abstract": not no_abstract, "title": name}
    if output is None or str(output) == "-":  # "-" is stdout, as for every Unix tool
        click.echo(service.export(ids, fmt or "md", **options), nl=False)
        return
    output = output.expanduser()
    fmt = fmt or format_for(output)
    try:
        count = service.export_to_file(ids, output, fmt, replace=force, **options)
    except FileExistsError:
        fail(f"{output} exists; add --force to replace it")
    except OSError as error:
        fail(f"{output}: {error.strerror or error}")
    echo(f"Exported {plural(count, 'paper')} to {output}", err=True, one_line=True)


COMMANDS = (export,)
