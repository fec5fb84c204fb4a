"""``readinglist check``, ``backup``, ``restore`` and ``paths``: looking after the library
file itself, and saying where it lives.

These work on damaged libraries too, so they never open a file through the service.
A PostgreSQL library is the server's to back up and check (pg_dump, pg_amcheck):
``check`` reports what it can see, ``backup`` and ``restore`` say so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from .. import paths
from .context import CONTEXT, location, open_library
from .output import echo, fail

__all__ = ["COMMANDS", "backup", "check", "paths_command", "restore"]


def _library(ctx: click.Context, command: str) -> Path:
    where = location(ctx)
    if where.path is None:
        fail(
            f"{where.display}: `{command}` works on library files; back up a PostgreSQL "
            "library on the server (pg_dump) and restore it there (pg_restore)"
        )
    return where.path


def _check_server(ctx: click.Context) -> None:
    from ..core.storage.migrations import SCHEMA_VERSION

    service = open_library(ctx)  # opening checks the connection and the schema version
    starred, notes = service.count("is:starred"), service.count("has:note")
    echo(f"library: {service.name}")
    echo(f"schema:  version {service.schema_version()} (this readinglist: {SCHEMA_VERSION})")
    echo(f"papers:  {service.count()} ({starred} starred, {notes} with notes)")
    echo("backup:  on the server (pg_dump); readinglist keeps none of its own")
    echo("status:  ok (connected; the schema is current)")


@click.command(context_settings=CONTEXT)
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check the library: integrity, references, size, schema version, last backup.

    Exits with status 1 when something is wrong, and names a backup to restore.

    \b
    Example:
      readinglist check
    """
    from ..core.backup import check_library
    from ..core.storage.migrations import SCHEMA_VERSION

    if location(ctx).is_postgres:
        _check_server(ctx)
        return
    library = _library(ctx, "check")
    report = check_library(library)
    echo(f"library: {library}")
    if report.size is not None:
        echo(f"size:    {report.size / 1024 / 1024:.1f} MB")
    if report.schema_version is not None:
        echo(f"schema:  version {report.schema_version} (this readinglist: {SCHEMA_VERSION})")
    if report.papers is not None:
        echo(f"papers:  {report.papers} ({report.starred} starred, {report.notes} with notes)")
    if report.backups:
        newest = report.backups[0]
        made = datetime.fromtimestamp(newest.stat().st_mtime, UTC).isoformat(timespec="seconds")
        echo(f"backup:  {newest} ({made}; {len(report.backups)} kept)")
    else:
        echo("backup:  none yet (readinglist backup makes one)")
    if report.obstacle:  # it names the cause: a read-only folder, a full disk
        echo(f"error: {library}: {report.obstacle}", err=True)
        ctx.exit(1)
    for warning in report.warnings:
        echo(f"warning: {library}: {warning}", err=True)
    if report.ok:
        echo("status:  ok (integrity and foreign-key checks passed)")
        return
    for problem in report.problems:
        echo(f"error: {library}: {problem}", err=True, one_line=True)
    if report.good_backup:
        echo(
            f"restore the newest good backup with: readinglist restore {report.good_backup}",
            err=True,
        )
    elif report.restorable:
        echo("no good backup was found beside the library", err=True)
    ctx.exit(1)


@click.command(context_settings=CONTEXT)
@click.pass_context
def backup(ctx: click.Context) -> None:
    """Write a checked copy of the library beside it (the last 7 are kept).

    \b
    Example:
      readinglist backup
    """
    from ..core.backup import check_library, make_backup
    from ..core.database import LibraryError

    library = _library(ctx, "backup")
    report = check_library(library)
    if not report.ok:
        fail(f"{library}: {report.obstacle or report.problems[0]}; not backing it up")
    try:
        echo(str(make_backup(library)))
    except LibraryError as error:
        fail(str(error))


@click.command(context_settings=CONTEXT)
@click.argument(
    "backup_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_context
def restore(ctx: click.Context, backup_file: Path) -> None:
    """Replace the library with a backup (the current one is kept first).

    Refused while the app or another command has the library open: close it first.

    \b
    Example:
      readinglist restore library.db.backups/library-20261124T090000.000000-daily.db
    """
    from ..core.backup import restore_backup
    from ..core.database import LibraryError

    library = _library(ctx, "restore")
    try:
        safety = restore_backup(library, backup_file)
    except LibraryError as error:
        fail(str(error))
    echo(f"restored {library} from {backup_file}")
    if safety:
        echo(f"the previous library was kept as {safety}")


@click.command("paths", context_settings=CONTEXT)
@click.pass_context
def paths_command(ctx: click.Context) -> None:
    """Print where the library and config live."""
    echo(f"library: {location(ctx).display}")
    echo(f"config:  {paths.config_file()}")


COMMANDS = (check, backup, restore, paths_command)
