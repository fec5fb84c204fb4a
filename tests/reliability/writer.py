"""A child process that writes to a library until it is killed: imports, notes, stars."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from readinglist.core.service import ReadingList


def main() -> None:
    db, pages = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    with ReadingList(db) as service:
        print("ready", flush=True)
        for round_number in itertools.count():
            for page in pages:
                service.import_page(page)
            ids = [row.id for row in service.papers(limit=20)]
            for paper_id in ids:
                service.set_note(paper_id, f"note-{round_number}-" + "x" * 20000)
                service.star([paper_id], round_number % 2 == 0)


if __name__ == "__main__":
    main()
