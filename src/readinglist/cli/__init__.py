"""The ``readinglist`` command line: a click group (``app``) of thin commands over the
ReadingList service, one module per job.

``readinglist.cli:main`` is the console script; ``cli`` is the group, for tests. A
command line that only opens the app goes straight to it (``start``): click is imported
for every other.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import cli

__all__ = ["cli", "main"]


def main() -> None:
    """The console script: the app, or the command the arguments name."""
    from .start import app_only_library, open_app

    in_terminal = sys.stdin.isatty() and sys.stdout.isatty()  # else the group says why not
    db = app_only_library(sys.argv[1:]) if in_terminal else None
    if db is not None:
        open_app(db)
        return
    from .app import main as run_command

    run_command()


def __getattr__(name: str) -> Any:
    if name == "cli":  # the group, imported when asked for (``main`` needs it only for commands)
        from .app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
