"""Child processes that die at a precise moment, for tests of what a kill leaves behind.

``python -m tests.reliability.kill_at write-and-die LIBRARY PAGE NOTE``
    imports PAGE, saves NOTE on paper 1 (committed), then SIGKILLs itself before
    closing: the commits stay in the ``-wal`` beside the library.
``python -m tests.reliability.kill_at replace-onto TARGET backup|restore ARGS...``
    runs ``readinglist backup`` or ``restore`` and SIGKILLs itself at the moment
    ``os.replace`` is about to rename a file onto TARGET (``*``: onto anything).
``python -m tests.reliability.kill_at hold LIBRARY``
    opens the library like the app does, prints "ready" and waits to be killed.
``python -m tests.reliability.kill_at hold-sqlite LIBRARY``
    another program (plain sqlite3, WAL mode) holding the library open.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from pathlib import Path


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "write-and-die":
        from readinglist.core.service import ReadingList

        library, page, note = args
        service = ReadingList(Path(library))
        service.import_pages([Path(page)])
        service.set_note(1, note)
        _die()
    elif command == "replace-onto":
        target, *cli_args = args
        real_replace = os.replace

        def replace(source: object, destination: object, **kwargs: object) -> None:
            if target == "*" or os.path.realpath(str(destination)) == os.path.realpath(target):
                _die()
            real_replace(source, destination, **kwargs)  # type: ignore[arg-type]

        os.replace = replace  # type: ignore[assignment]
        from readinglist.cli import main as cli_main

        sys.argv = ["readinglist", *cli_args]
        cli_main()
    elif command == "hold":
        from readinglist.core.service import ReadingList

        with ReadingList(Path(args[0])) as service:
            service.count()
            print("ready", flush=True)
            time.sleep(120)
    elif command == "hold-sqlite":
        conn = sqlite3.connect(args[0])
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        print("ready", flush=True)
        time.sleep(120)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
