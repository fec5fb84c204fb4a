"""The ``readinglist`` command line: a click group (``app``) of thin commands over the
ReadingList service, one module per job.

``readinglist.cli:main`` is the console script; ``cli`` is the group, for tests.
"""

from __future__ import annotations

from .app import cli, main

__all__ = ["cli", "main"]
