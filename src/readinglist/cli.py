"""The ``readinglist`` command: thin click commands over the ReadingList service.

A bare ``readinglist`` opens the TUI; the TUI is imported only in that branch so
scripted commands start fast.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import paths

if TYPE_CHECKING:
    from .core.location import LibraryLocation
    from .core.service import ReadingList

SORTS = ("date", "upvotes", "title", "added")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class CliError(click.ClickException):
    """A one-line ``error: …`` on stderr, exit status 1, never a traceback."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _fail(message: str) -> NoReturn:
    raise CliError(message)


def _location(ctx: click.Context) -> LibraryLocation:
    """The library named by ``--db``, else ``$READINGLIST_DB``, else the default file."""
    from .core.location import LibraryLocation

    return LibraryLocation.parse(ctx.obj.get("db") or paths.default_library())


def _open(ctx: click.Context) -> ReadingList:
    from .core.service import LibraryError, ReadingList

    try:
        service = ReadingList(_location(ctx))
    except LibraryError as error:
        _fail(str(error))
    ctx.call_on_close(service.close)
    return service


def _library_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the core's user-facing errors into ``error: …`` lines."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .core.service import LibraryError

        try:
            return func(*args, **kwargs)
        except LibraryError as error:
            _fail(str(error))

    return wrapper


@click.group(invoke_without_command=True, context_settings=CONTEXT)
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
    if ctx.invoked_subcommand is None:
        _run_tui(_open(ctx))


def _run_tui(service: ReadingList, *, title: str | None = None) -> None:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        _fail("the reading list needs a terminal; use a subcommand (see --help) in scripts")
    from .ui.app import ReadingListApp

    app = ReadingListApp(service, title=title)
    app.run()
    if app.return_code:  # the app crashed; Textual has printed the traceback
        sys.exit(app.return_code)


@cli.command("import", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Import saved Daily Papers pages (text files) into the library.

    Each file lands whole or not at all. A paper listed again is merged, never
    duplicated, and keeps its star, note and reading status.

    \b
    Examples:
      readinglist import page.txt
      readinglist import ~/Downloads/daily-papers-*.txt
    """
    service = _open(ctx)
    failed = False
    for report in service.iter_imports(files, parallel=True):  # each as it lands
        if report.error:
            failed = True
            click.echo(f"error: {report.path}: {report.error}", err=True)
            continue
        click.echo(
            f"{report.path}: {report.papers} papers, {report.new} new, {report.updated} updated"
        )
        for warning in report.warnings:
            click.echo(f"warning: {report.path}: {warning}", err=True)
    ctx.exit(1 if failed else 0)


def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")(func)
    return click.option("--limit", "-n", type=click.IntRange(min=1), help="Show at most N papers.")(
        func
    )


def _print_papers(service: ReadingList, ids: list[int], as_json: bool) -> None:
    from .textfmt import format_table, to_json

    if as_json:
        click.echo(to_json([record.to_json() for record in service.records(ids)]))
        return
    table = format_table(service.summaries(ids))
    if table:
        click.echo(table)
    else:
        click.echo("No papers.", err=True)


@cli.command("list", context_settings=CONTEXT)
@click.option("--starred", is_flag=True, help="Only starred papers.")
@click.option("--sort", type=click.Choice(SORTS), default="date", show_default=True)
@_output_options
@click.pass_context
@_library_errors
def list_command(
    ctx: click.Context, starred: bool, sort: str, limit: int | None, as_json: bool
) -> None:
    """List papers: id, marks (★ starred, ✎ note, ⌘ code links), date, upvotes, org, title.

    \b
    Examples:
      readinglist list --limit 20
      readinglist list --starred --sort upvotes --json
    """
    service = _open(ctx)
    rows = service.list(sort=sort, starred_only=starred, limit=limit)
    _print_papers(service, [row.id for row in rows], as_json)


@cli.command(context_settings=CONTEXT)
@click.argument("query")
@_output_options
@click.pass_context
@_library_errors
def search(ctx: click.Context, query: str, limit: int | None, as_json: bool) -> None:
    """Fuzzy, typo-tolerant search; best matches first.

    Titles weigh most, then organisation, notes and abstracts. Filters:
    is:starred, has:code, has:note, org:NAME, year:2024.

    \b
    Examples:
      readinglist search "handwriten documents"
      readinglist search "is:starred bert" --json
    """
    from .core.search import parse_query

    for problem in parse_query(query).problems:
        click.echo(f"warning: unknown filter {problem!r} ignored (see --help)", err=True)
    service = _open(ctx)
    hits = service.search(query, limit=limit or 20)
    _print_papers(service, [hit.id for hit in hits], as_json)


@cli.command(context_settings=CONTEXT)
@click.argument("paper_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
@_library_errors
def show(ctx: click.Context, paper_id: int, as_json: bool) -> None:
    """Show one paper: metadata, links, abstract and note.

    \b
    Examples:
      readinglist show 12
      readinglist show 12 --json | jq .links
    """
    from .textfmt import format_record, to_json

    service = _open(ctx)
    record = service.get(paper_id)
    if as_json:
        click.echo(to_json(record.to_json()))
    else:
        click.echo(format_record(record, service.sources_of(paper_id)), nl=False)


@cli.command(context_settings=CONTEXT)
@click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.pass_context
@_library_errors
def star(ctx: click.Context, paper_ids: tuple[int, ...]) -> None:
    """Star papers.

    \b
    Example:
      readinglist star 3 14 15
    """
    _open(ctx).star(paper_ids, True)


@cli.command(context_settings=CONTEXT)
@click.argument("paper_ids", metavar="ID...", nargs=-1, required=True, type=int)
@click.pass_context
@_library_errors
def unstar(ctx: click.Context, paper_ids: tuple[int, ...]) -> None:
    """Remove the star from papers.

    \b
    Example:
      readinglist unstar 3
    """
    _open(ctx).star(paper_ids, False)


@cli.command(context_settings=CONTEXT)
@click.argument("paper_id", metavar="ID", type=int)
@click.argument("text", required=False)
@click.pass_context
@_library_errors
def note(ctx: click.Context, paper_id: int, text: str | None) -> None:
    """Set a paper's note (Markdown welcome).

    Without TEXT the note is read from standard input when it is piped, or edited in
    $EDITOR. An empty TEXT clears the note.

    \b
    Examples:
      readinglist note 12 "Read section 3 again"
      echo "Compare with #40" | readinglist note 12
      readinglist note 12            # opens $EDITOR
    """
    service = _open(ctx)
    current = service.get(paper_id).note
    if text is None:
        if not sys.stdin.isatty():
            text = sys.stdin.read()
        else:
            text = click.edit(current, extension=".md", require_save=True)
            if text is None:
                click.echo("Note unchanged.", err=True)
                return
    if service.set_note(paper_id, text, base=current).merged:
        click.echo(
            f"warning: paper {paper_id}: someone else saved this note meanwhile; "
            "both versions are kept (see: readinglist show "
            f"{paper_id})",
            err=True,
        )


@cli.command(context_settings=CONTEXT)
@click.option(
    "--starred", "scope", flag_value="starred", default=True, help="Starred papers (default)."
)
@click.option("--all", "scope", flag_value="all", help="Every paper.")
@click.option("--query", "-q", help="Papers matching a search (same syntax as search).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["md", "json", "csv"]),
    default="md",
    show_default=True,
)
@click.option(
    "--sort",
    type=click.Choice([*SORTS, "starred"]),
    help="Order (default: when starred; best match for --query; date for --all).",
)
@click.option("--no-abstract", is_flag=True, help="Leave abstracts out of Markdown.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@click.pass_context
@_library_errors
def export(
    ctx: click.Context,
    scope: str,
    query: str | None,
    fmt: str,
    sort: str | None,
    no_abstract: bool,
    output: Path | None,
) -> None:
    """Export papers to Markdown (default), JSON or CSV.

    Markdown has a heading per paper, its metadata, clickable links, your note and the
    abstract as a quote; titles are escaped so they render exactly as written. Files
    are written atomically: an interrupted export never leaves half a file.

    \b
    Examples:
      readinglist export -o starred.md
      readinglist export --all --format csv -o library.csv
      readinglist export --query "org:google year:2024" --format json
    """
    service = _open(ctx)
    ids = service.select(scope=scope, query=query, sort=sort)
    name = "Starred papers" if query is None and scope == "starred" else "Reading list"
    options = {"include_abstract": not no_abstract, "title": name}
    if output is None:
        click.echo(service.export(ids, fmt, **options), nl=False)
        return
    try:
        count = service.export_to_file(ids, output.expanduser(), fmt, **options)
    except OSError as error:
        _fail(f"{output}: {error.strerror or error}")
    click.echo(f"Exported {count} paper{'s' if count != 1 else ''} to {output}", err=True)


@cli.command(context_settings=CONTEXT)
@click.option("--list", "list_only", is_flag=True, help="Print the demo papers instead.")
@click.pass_context
def demo(ctx: click.Context, list_only: bool) -> None:
    """Open the reading list on a throwaway library of the bundled sample pages.

    Nothing you do in the demo touches your own library.

    \b
    Examples:
      readinglist demo
      readinglist demo --list
    """
    from .core.service import ReadingList
    from .textfmt import format_table

    pages = paths.sample_pages()
    if not pages:
        _fail("the bundled sample pages are missing from this installation")
    with (
        tempfile.TemporaryDirectory(prefix="readinglist-demo-") as folder,
        ReadingList(Path(folder) / "demo.db") as service,
    ):
        service.import_pages(pages)
        if list_only or not (sys.stdin.isatty() and sys.stdout.isatty()):
            click.echo(format_table(service.list()))
            return
        _run_tui(service, title="readinglist demo")


@cli.command("paths", context_settings=CONTEXT)
@click.pass_context
def paths_command(ctx: click.Context) -> None:
    """Print where the library and config live."""
    click.echo(f"library: {_location(ctx).display}")
    click.echo(f"config:  {paths.config_file()}")


def main() -> None:
    cli(prog_name="readinglist")


from . import cli_library  # noqa: E402, F401  (registers check, backup, restore)
