"""``readinglist check``, ``backup``, ``restore`` and ``paths``: looking after the library
file itself, and saying where it lives.

These work on damaged libraries too, so they never open a file through the service.
A PostgreSQL library is the server's to back up and check (pg_dump, pg_amcheck):
``check`` reports what it can see, ``backup`` and ``restore`` say so.

Each prints its data as text or, with ``--json``, as one object whose fields are
listed in its help (and in the README); the text is made from that object.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import paths
from .context import CONTEXT, location, open_library
from .options import json_option
from .output import echo, error_line, fail, print_json, warn

if TYPE_CHECKING:
    from ..core.backup import LibraryCheck

__all__ = ["COMMANDS", "backup", "check", "paths_command", "restore"]


def _library(ctx: click.Context, command: str) -> Path:
    where = location(ctx)
    if where.path is None:
        fail(
            f"{where.display}: `{command}` works on library files; back up a PostgreSQL "
            "library on the server (pg_dump) and restore it there (pg_restore)"
        )
    return where.path


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def _check_json(ctx: click.Context) -> tuple[dict[str, Any], bool]:
    """What ``check`` found: the ``--json`` object, which the text is made from too, and
    whether a backup could be put in the library's place."""
    from ..core.backup import check_library
    from ..core.storage.migrations import SCHEMA_VERSION

    found: dict[str, Any] = {
        "library": location(ctx).display,
        "server": location(ctx).is_postgres,
        "size": None,
        "schema_version": None,
        "supported_schema_version": SCHEMA_VERSION,
        "papers": None,
        "starred": None,
        "notes": None,
        "trash": None,
        "backups": [],
        "ok": True,
        "problems": [],
        "obstacle": None,
        "warnings": [],
        "good_backup": None,
    }
    if found["server"]:
        service = open_library(ctx)  # opening checks the connection and the schema version
        found["library"] = service.name
        found["schema_version"] = service.schema_version()
        found["papers"] = service.count()
        found["starred"] = service.count("is:starred")
        found["notes"] = service.count("has:note")
        found["trash"] = service.count_trash()
        return found, False
    report: LibraryCheck = check_library(_library(ctx, "check"))
    found.update(
        library=str(report.path),
        size=report.size,
        schema_version=report.schema_version,
        papers=report.papers,
        starred=report.starred,
        notes=report.notes,
        trash=report.trash,
        backups=[{"path": str(path), "modified": _modified(path)} for path in report.backups],
        ok=report.ok,
        problems=list(report.problems),
        obstacle=report.obstacle,
        warnings=list(report.warnings),
        good_backup=None if report.good_backup is None else str(report.good_backup),
    )
    return found, report.restorable


def _print_check(found: dict[str, Any]) -> None:
    echo(f"library: {found['library']}")
    if found["size"] is not None:
        echo(f"size:    {found['size'] / 1024 / 1024:.1f} MB")
    if found["schema_version"] is not None:
        echo(
            f"schema:  version {found['schema_version']} "
            f"(this readinglist: {found['supported_schema_version']})"
        )
    if found["papers"] is not None:
        in_trash = f"; {found['trash']} in the trash" if found["trash"] else ""
        echo(
            f"papers:  {found['papers']} ({found['starred']} starred, "
            f"{found['notes']} with notes{in_trash})"
        )
    if found["server"]:
        echo("backup:  on the server (pg_dump); readinglist keeps none of its own")
    elif found["backups"]:
        newest = found["backups"][0]
        echo(f"backup:  {newest['path']} ({newest['modified']}; {len(found['backups'])} kept)")
    else:
        echo("backup:  none yet (readinglist backup makes one)")
    if found["obstacle"] is None and found["ok"]:
        if found["server"]:
            echo("status:  ok (connected; the schema is current)")
        else:
            echo("status:  ok (integrity and foreign-key checks passed)")


@click.command(context_settings=CONTEXT)
@json_option(
    "one object with the fields library, server (true for PostgreSQL), size (bytes), "
    "schema_version, supported_schema_version, papers, starred, notes (none of them "
    "counting the papers in the trash), trash, backups (newest first, each with path and "
    "modified), ok, problems, obstacle, warnings, good_backup; "
    "a value not known is null"
)
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """Check the library: integrity, references, size, schema version, last backup.

    Exits with status 1 when something is wrong, and names a backup to restore.

    \b
    Examples:
      readinglist check
      readinglist check --json | jq .ok
    """
    found, restorable = _check_json(ctx)
    if as_json:
        print_json(found)
    else:
        _print_check(found)
    library = found["library"]
    if found["obstacle"]:  # it names the cause: a read-only folder, a full disk
        error_line(f"{library}: {found['obstacle']}")
        ctx.exit(1)
    for warning in found["warnings"]:
        warn(f"{library}: {warning}")
    if found["ok"]:
        return
    for problem in found["problems"]:
        error_line(f"{library}: {problem}")
    if found["good_backup"]:
        echo(
            f"restore the newest good backup with: readinglist restore {found['good_backup']}",
            err=True,
        )
    elif restorable:
        echo("no good backup was found beside the library", err=True)
    ctx.exit(1)


@click.command(context_settings=CONTEXT)
@json_option("one object with the field backup (the new file)")
@click.pass_context
def backup(ctx: click.Context, as_json: bool) -> None:
    """Write a checked copy of the library beside it (the last 7 are kept).

    Prints the new file's path.

    \b
    Examples:
      readinglist backup
      readinglist backup --json | jq -r .backup
    """
    from ..core.backup import check_library, make_backup

    library = _library(ctx, "backup")
    report = check_library(library)
    if not report.ok:
        fail(f"{library}: {report.obstacle or report.problems[0]}; not backing it up")
    made = make_backup(library)
    if as_json:
        print_json({"backup": str(made)})
    else:
        echo(str(made))


@click.command(context_settings=CONTEXT)
@click.argument(
    "backup_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@json_option(
    "one object with the fields library, restored_from, previous (where the replaced "
    "library was kept, or null when there was none)"
)
@click.pass_context
def restore(ctx: click.Context, backup_file: Path, as_json: bool) -> None:
    """Replace the library with a backup (the current one is kept first).

    Refused while the app or another command has the library open: close it first.

    \b
    Example:
      readinglist restore library.db.backups/library-20261124T090000.000000-daily.db
    """
    from ..core.backup import restore_backup

    library = _library(ctx, "restore")
    safety = restore_backup(library, backup_file)
    if as_json:
        print_json(
            {
                "library": str(library),
                "restored_from": str(backup_file),
                "previous": None if safety is None else str(safety),
            }
        )
        return
    echo(f"restored {library} from {backup_file}")
    if safety:
        echo(f"the previous library was kept as {safety}")


@click.command("paths", context_settings=CONTEXT)
@json_option("one object with the fields library (a file, or a URL without its password), config")
@click.pass_context
def paths_command(ctx: click.Context, as_json: bool) -> None:
    """Print where the library and config live.

    \b
    Examples:
      readinglist paths
      readinglist --db ~/lab.db paths --json
    """
    where = {"library": location(ctx).display, "config": str(paths.config_file())}
    if as_json:
        print_json(where)
        return
    echo(f"library: {where['library']}")
    echo(f"config:  {where['config']}")


COMMANDS = (check, backup, restore, paths_command)
