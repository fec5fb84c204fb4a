"""Opening the app: from the ``readinglist`` group, and straight from the console
script when the command line asks for nothing else (``readinglist [--db FILE|URL]``).

That straight way skips click: the app is what a reader waits for most, and its first
frame must come within 1.5x of an empty Textual app's (issue 20), which pays for no
command-line parser. It behaves as the group does: the same library, the same
``error: …`` line and exit status when it cannot be opened, the same ``Aborted!`` after
Ctrl+C before the app is up. Any other command line (a command, ``--help``, an
unusual ``--db``, no terminal) goes through the group.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.location import LibraryLocation
    from ..core.service import ReadingList

__all__ = ["app_only_library", "library_location", "open_app", "run_app"]


def app_only_library(args: Sequence[str]) -> str | None:
    """The ``--db`` value ("" for none) when ``args`` only open the app; None when the
    group must read them."""
    if not args:
        return ""
    if len(args) == 2 and args[0] == "--db":
        value = args[1]
    elif len(args) == 1 and args[0].startswith("--db="):
        value = args[0].removeprefix("--db=")
    else:
        return None
    return value if value and not value.startswith("-") else None


def library_location(db: str | None) -> LibraryLocation:
    """The library ``--db`` names, else ``$READINGLIST_DB``, else the default file."""
    from .. import paths
    from ..core.location import LibraryLocation

    return LibraryLocation.parse(db or paths.default_library())


def open_app(db: str) -> None:
    """Open the library named by ``db`` (else the default one, as the group's
    ``--db`` is), creating it if need be, and run the app on it.

    Python's cyclic garbage collector is off until the app runs (``run_app`` turns it
    back on): loading the modules creates some 60,000 objects and almost no garbage, and
    the collections it set off, each going over the objects loaded so far, took 50 ms or
    more of the time to the first frame."""
    gc.disable()
    try:
        from ..core.service import LibraryError, ReadingList

        try:
            service = ReadingList(library_location(db), create=True)
        except LibraryError as error:
            from .output import error_line

            error_line(str(error))
            sys.exit(1)
        try:
            run_app(service)
        finally:
            service.close()
    except KeyboardInterrupt:  # as click's group says it
        print("\nAborted!", file=sys.stderr)
        sys.exit(1)
    except OSError as error:  # as the console script says it (``cli.app.main``)
        from .output import output_failed

        output_failed(error)
    finally:
        gc.enable()  # if the app never ran


def run_app(service: ReadingList, *, title: str | None = None) -> None:
    """Run the app on ``service`` (in a terminal); exit with its status if it crashed.
    Textual is imported only here, while the list's first page is read on a thread
    (``ui.first_page``)."""
    from ..core.settings import Settings
    from ..paths import config_file
    from ..ui.first_page import FirstPage

    settings = Settings(config_file())
    first_page = FirstPage.of_remembered_view(service, settings)
    from ..ui.app import ReadingListApp

    app = ReadingListApp(service, title=title, settings=settings, first_page=first_page)
    # What is loaded by now (modules, classes, the library) lasts as long as the app: no
    # collection need go over it again, which the first frame would wait for (a full one
    # takes 20-40 ms). The few hundred objects of garbage loading left stay.
    gc.freeze()
    gc.enable()
    try:
        app.run()
    finally:  # even if the app's shutdown failed before it could (``ui.collector``)
        app.full_collections.release()
    if app.return_code:  # the app crashed; Textual has printed the traceback
        sys.exit(app.return_code)
