"""The ``readinglist`` command: thin click commands over the ReadingList service.

A bare ``readinglist`` opens the TUI; the TUI is imported only in that branch so
scripted commands start fast.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import paths
from .cli_signals import signal_number, stop_signals_interrupt
from .core.textclean import for_display

if TYPE_CHECKING:
    from .core.location import LibraryLocation
    from .core.models import PaperSummary
    from .core.service import ReadingList

SORTS = ("date", "upvotes", "title", "added")
SEARCH_LIMIT = 20  # results search shows without --limit
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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


def _fail(message: str) -> NoReturn:
    raise CliError(message)


class UsageLineError(click.UsageError):
    """click's usage error (usage, then the help hint) ending in our ``error: …`` line."""

    def show(self, file: Any = None) -> None:
        if self.ctx is not None:
            hint = f"Try '{self.ctx.command_path} {self.ctx.help_option_names[0]}' for help.\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", err=True)
        echo(f"error: {self.format_message()}", err=True, one_line=True)


class _Commands(click.Group):
    """The command group: every error click itself raises is shown in our one style, its
    message (which quotes what was typed) cleaned by ``for_display``."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _cleaned_click_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _cleaned_click_errors():
                return super().invoke(ctx)
        except KeyboardInterrupt as stop:  # Ctrl+C, or SIGTERM/SIGHUP (see ``cli``)
            stopped_by = signal_number(stop)
            with contextlib.suppress(OSError):  # after a hangup there may be no terminal
                echo(f"error: stopped ({stopped_by.name})", err=True)
            ctx.exit(128 + stopped_by)


@contextlib.contextmanager
def _cleaned_click_errors() -> Iterator[None]:
    try:
        yield
    except (CliError, UsageLineError):
        raise
    except click.UsageError as error:  # exit status 2, as click's
        raise UsageLineError(for_display(error.format_message()), error.ctx) from error
    except click.ClickException as error:
        raise CliError(for_display(error.format_message())) from error


def _location(ctx: click.Context) -> LibraryLocation:
    """The library named by ``--db``, else ``$READINGLIST_DB``, else the default file."""
    from .core.location import LibraryLocation

    return LibraryLocation.parse(ctx.obj.get("db") or paths.default_library())


def _open(ctx: click.Context, *, create: bool = False) -> ReadingList:
    """The library, opened for this command; only commands that add papers (``import``,
    and the app, which imports) ``create`` one: the others say there is none."""
    from .core.service import LibraryError, ReadingList

    try:
        service = ReadingList(_location(ctx), create=create)
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
        _run_tui(_open(ctx, create=True))


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
    """Import saved Daily Papers listings into the library.

    A file may be a saved web page (.html, or a single-file .mhtml), the Daily Papers
    API's JSON, or the page's text; each is recognised by what it holds, not its name.
    Each file lands whole or not at all. A paper listed again is merged, never
    duplicated, and keeps its star, note and reading status. A folder stands for the
    pages directly in it (.txt .text .md .html .htm .mhtml .mht .json; not hidden
    ones, not subfolders), by name.
    Stopped by Ctrl+C, SIGTERM or SIGHUP, it says so and exits with status 128 + the
    signal's number.

    \b
    Examples:
      readinglist import page.txt
      readinglist import "Daily Papers - Hugging Face.html"
      readinglist import ~/Downloads/daily-papers-*.txt
      readinglist import ~/papers/
    """
    from .core.files import PAGE_SUFFIXES, page_files
    from .core.wording import plural

    service = _open(ctx, create=True)
    failed = False
    pages: list[Path] = []
    for path in files:
        found = page_files([path])  # only an empty folder gives none
        if not found:
            failed = True
            kinds = " ".join(PAGE_SUFFIXES)
            echo(
                f"error: {path}: no pages in this folder (no {kinds} files)",
                err=True,
                one_line=True,
            )
        pages += found
    reports = service.iter_imports(pages, parallel=True)  # each as it lands
    try:
        with stop_signals_interrupt():
            for report in reports:
                if report.error:
                    failed = True
                    echo(f"error: {report.path}: {report.error}", err=True, one_line=True)
                    continue
                echo(
                    f"{report.path}: {plural(report.papers, 'paper')}, {report.new} new, "
                    f"{report.updated} updated",
                    one_line=True,
                )
                for warning in report.warnings:
                    echo(f"warning: {report.path}: {warning}", err=True, one_line=True)
    except KeyboardInterrupt as stop:
        reports.close()  # stops the parse worker now (a write under way was rolled back)
        stopped_by = signal_number(stop)
        with contextlib.suppress(OSError):  # after a hangup there may be no terminal
            echo(
                f"error: import stopped ({stopped_by.name}): each file was "
                "imported whole or not at all; the same import again finishes it",
                err=True,
            )
        ctx.exit(128 + stopped_by)
    ctx.exit(1 if failed else 0)


def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")(func)
    return click.option("--limit", "-n", type=click.IntRange(min=1), help="Show at most N papers.")(
        func
    )


def _print_papers(service: ReadingList, ids: list[int], as_json: bool) -> None:
    from .textfmt import to_json

    if as_json:
        echo(to_json([record.to_json() for record in service.records(ids)]))
        return
    _print_table(service.summaries(ids))


def _print_table(rows: Sequence[PaperSummary]) -> None:
    """Aligned columns fitted to a terminal; whole tab-separated fields into a pipe or file."""
    from .textfmt import format_tab_separated, format_table

    if not rows:
        echo("No papers.", err=True)
    elif sys.stdout.isatty():
        echo(format_table(rows))
    else:
        echo(format_tab_separated(rows))


def _warn_unknown_filters(query: str) -> None:
    """Name each filter the query has that we do not know (search and export say it alike).

    A query of nothing but unknown filters is refused: ignoring them would leave an
    empty query, which matches every paper.
    """
    from .core.search import parse_query

    parsed = parse_query(query)
    for problem in parsed.problems:
        echo(f"warning: unknown filter {problem!r} ignored (see --help)", err=True)
    if parsed.problems and not parsed.text and not parsed.has_filters:
        _fail("nothing left to search for without those filters; it would match every paper")


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

    On a terminal the columns are aligned and long titles cut to fit; into a pipe or a
    file every field is whole, one paper a line, fields separated by tabs.

    \b
    Examples:
      readinglist list --limit 20
      readinglist list --starred --sort upvotes --json
      readinglist list | grep -i diffusion | cut -f1,6
    """
    service = _open(ctx)
    rows = service.papers(sort=sort, starred_only=starred, limit=limit)
    _print_papers(service, [row.id for row in rows], as_json)


@cli.command(context_settings=CONTEXT)
@click.argument("query")
@_output_options
@click.pass_context
@_library_errors
def search(ctx: click.Context, query: str, limit: int | None, as_json: bool) -> None:
    """Fuzzy, typo-tolerant search; best matches first (20 unless --limit says).

    Titles weigh most, then organisation, notes and abstracts. Filters:
    is:starred, has:code, has:note, org:NAME, year:2024. Output is as for list;
    when more papers match than are shown, stderr says how many.

    \b
    Examples:
      readinglist search "handwriten documents"
      readinglist search "is:starred bert" --json
    """
    _warn_unknown_filters(query)
    service = _open(ctx)
    limit = limit or SEARCH_LIMIT
    hits = service.search(query, limit=None)  # all of them, to say how many there are
    _print_papers(service, [hit.id for hit in hits[:limit]], as_json)
    if len(hits) > limit:
        echo(f"{limit} of {len(hits)} shown (--limit)", err=True)


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
        echo(to_json(record.to_json()))
    else:
        echo(format_record(record, service.sources_of(paper_id)), nl=False)


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
@click.option("--clear", is_flag=True, help="Erase the note (the only way to).")
@click.pass_context
@_library_errors
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
    service = _open(ctx)
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
        _fail(
            f"paper {paper_id}: the new note is empty, so the note was left as it was "
            f"(to erase it: readinglist note {paper_id} --clear)"
        )
    saved = service.set_note(paper_id, text, base=current)
    if saved.merged:
        echo(
            f"warning: paper {paper_id}: someone else saved this note meanwhile; "
            "both versions are kept (see: readinglist show "
            f"{paper_id})",
            err=True,
        )
    elif clear:
        echo(f"paper {paper_id}: note cleared", err=True)


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
    help="Format (default: from the -o file's extension, .json or .csv; else md).",
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
    help="File to write (default, or -: stdout).",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
@click.pass_context
@_library_errors
def export(
    ctx: click.Context,
    scope: str,
    query: str | None,
    fmt: str | None,
    sort: str | None,
    no_abstract: bool,
    output: Path | None,
    force: bool,
) -> None:
    """Export papers to Markdown (default), JSON or CSV.

    Markdown has a heading per paper, its metadata, clickable links, your note and the
    abstract as a quote; titles are escaped so they render exactly as written. In CSV,
    a cell that a spreadsheet would run as a formula (= + - @ first) starts with '.

    The -o file's extension picks the format (.json, .csv; anything else is Markdown)
    unless --format says. An existing file is replaced only with --force, atomically
    (an interrupted export never leaves half a file), keeping its permissions; a
    symbolic link is written through, and /dev/stdout, a pipe or a terminal is
    written to in place.

    \b
    Examples:
      readinglist export -o starred.md
      readinglist export --all -o library.csv
      readinglist export --query "org:google year:2024" --format json
    """
    from .core.export import format_for
    from .core.wording import plural

    if query is not None:
        _warn_unknown_filters(query)
    service = _open(ctx)
    ids = service.select(scope=scope, query=query, sort=sort)
    name = "Starred papers" if query is None and scope == "starred" else "Reading list"
    options = {"include_abstract": not no_abstract, "title": name}
    if output is None or str(output) == "-":  # "-" is stdout, as for every Unix tool
        click.echo(service.export(ids, fmt or "md", **options), nl=False)
        return
    output = output.expanduser()
    fmt = fmt or format_for(output)
    try:
        count = service.export_to_file(ids, output, fmt, replace=force, **options)
    except FileExistsError:
        _fail(f"{output} exists; add --force to replace it")
    except OSError as error:
        _fail(f"{output}: {error.strerror or error}")
    echo(f"Exported {plural(count, 'paper')} to {output}", err=True, one_line=True)


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

    pages = paths.sample_pages()
    if not pages:
        _fail("the bundled sample pages are missing from this installation")
    with (
        tempfile.TemporaryDirectory(prefix="readinglist-demo-") as folder,
        ReadingList(Path(folder) / "demo.db") as service,
    ):
        service.import_pages(pages)
        if list_only or not (sys.stdin.isatty() and sys.stdout.isatty()):
            _print_table(service.papers())
            return
        _run_tui(service, title="readinglist demo")


@cli.command("paths", context_settings=CONTEXT)
@click.pass_context
def paths_command(ctx: click.Context) -> None:
    """Print where the library and config live."""
    echo(f"library: {_location(ctx).display}")
    echo(f"config:  {paths.config_file()}")


def main() -> None:
    try:
        cli.main(prog_name="readinglist")
    except OSError as error:  # click handles a closed pipe; not a full disk or a device error
        _output_failed(error)


def _output_failed(error: OSError) -> NoReturn:
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


from . import cli_library  # noqa: E402, F401  (registers check, backup, restore)
