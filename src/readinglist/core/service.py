"""ReadingList: the one API the CLI and the TUI call.

It takes and returns plain values (paths, ids, strings, frozen dataclasses) and keeps
the search vocabulary in step with imports and notes, so neither front end touches SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .database import LibraryError
from .location import LibraryLocation
from .models import STATUSES, ImportReport, PaperRecord, PaperSummary
from .query import prepare_highlighting
from .search import Found, ParsedQuery, Searcher, SearchHit, parse_query
from .storage import open_store
from .storage.store import NoteSave
from .tags import BadTagError, tag_name
from .textclean import clean_text
from .wording import in_trash, no_such_paper, not_in_trash

if TYPE_CHECKING:
    from .fetch import FetchStop, Period
    from .storage.store import Store

__all__ = [
    "BadTagError",
    "Found",
    "LibraryError",
    "NoteSave",
    "PaperInTrashError",
    "ReadingList",
    "UnknownPaperError",
]


class UnknownPaperError(LibraryError):
    """No paper has that id (or, ``PaperInTrashError``, it is in the trash)."""


class PaperInTrashError(UnknownPaperError):
    """The papers asked for are in the trash: undelete brings them back."""


class ReadingList:
    """A reading list stored in a library file or a PostgreSQL database."""

    def __init__(
        self,
        library: Path | str | LibraryLocation,
        *,
        today: date | None = None,
        busy_timeout: float | None = None,
        create: bool = True,
        store: Store | None = None,
    ) -> None:
        """Open (or, with ``create``, make) the library; raises LibraryError if it cannot.

        ``store`` is the library already open (a test's wrapper counting its calls).
        """
        self.location = (
            library if isinstance(library, LibraryLocation) else LibraryLocation.parse(library)
        )
        self._today = today
        self._store = store or open_store(self.location, busy_timeout=busy_timeout, create=create)
        self._searcher = Searcher(self._store)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> ReadingList:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    @property
    def name(self) -> str:
        """The library's path or URL, any password masked: safe to show."""
        return self.location.display

    @property
    def db_path(self) -> Path | None:
        """The library file; None for a PostgreSQL library."""
        return self.location.path

    def backup(self, *, reason: str = "manual") -> Path:
        """A checked, consistent copy beside the library (rotated).

        Raises:
            LibraryError: the library is on a PostgreSQL server, whose backups are its own.
        """
        if self.db_path is None:
            raise LibraryError(
                f"{self.name}: a PostgreSQL library is backed up on the server "
                "(pg_dump), not by readinglist"
            )
        from .backup import make_backup  # each command imports only what it uses

        return make_backup(self.db_path, reason=reason)

    def daily_backup(self) -> Path | None:
        """Back up when the newest backup is a day old; None when not due, read-only or
        on a server."""
        from .backup import backup_is_due

        if self.read_only or self.db_path is None or not backup_is_due(self.db_path):
            return None
        return self.backup(reason="daily")

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- importing --------------------------------------------------------------------------

    def import_pages(self, paths: Sequence[Path], *, parallel: bool = False) -> list[ImportReport]:
        """Import files, each whole or not at all; a bad file is reported, not raised."""
        return list(self.iter_imports(paths, parallel=parallel))

    def iter_imports(
        self, paths: Sequence[Path], *, parallel: bool = False
    ) -> Generator[ImportReport, None, None]:
        """``import_pages``, a report as each file lands (see ``importing.iter_imports``).

        ``close()`` it to stop early: the file being written rolls back, parsing stops.
        """
        from .importing import iter_imports  # multiprocessing: 25 ms other commands skip

        for report in iter_imports(self._store, paths, self.today, parallel=parallel):
            if report.ok:
                self._searcher.papers_added()
            yield report

    def import_page(self, path: Path) -> ImportReport:
        [report] = self.import_pages([path])
        return report

    def fetch(
        self,
        period: Period | None = None,
        *,
        timeout: float | None = None,
        progress: Callable[[int, int], None] | None = None,
        stop: FetchStop | None = None,
    ) -> ImportReport:
        """Fetch a Daily Papers listing (today's by default) from the Hugging Face API at
        ``$HF_ENDPOINT`` and import it as one page, recorded under its address.

        ``progress(pages, papers)`` is called after each page; ``stop`` stops the fetch
        from another thread. An empty listing imports nothing and says so in a warning.

        Raises:
            FetchError: the listing could not be fetched whole; nothing was imported.
            LibraryError: the library is read-only (checked before fetching).
        """
        from .fetch import Period, fetch_listing
        from .hf_pages import without_future_dates
        from .importing import import_listing

        if self.read_only:
            raise LibraryError(f"{self.name}: the library is read-only; nothing was fetched")
        period = period or Period.day(self.today)
        listing = fetch_listing(period, timeout=timeout, progress=progress, stop=stop)
        if listing.page is None:
            warning = f"no papers are listed for {period.describe()} (yet?); nothing was imported"
            return ImportReport(listing.source, warnings=(warning,))
        page = without_future_dates(listing.page, self.today)
        report = import_listing(self._store, page, listing.source, self.today)
        if report.ok:
            self._searcher.papers_added()
        return report

    # -- reading ----------------------------------------------------------------------------

    def count(self, filters: ParsedQuery | str | None = None) -> int:
        """How many papers pass ``filters`` (is:, has:, org:, year:; all without)."""
        if isinstance(filters, str):
            filters = parse_query(filters)
        return self._store.count(filters)

    def schema_version(self) -> int:
        return self._store.schema_version()

    def change_token(self) -> int:
        """Changes whenever this or another instance writes; the TUI polls it to refresh."""
        return self._store.change_token()

    def search_rows(
        self,
        query: str | ParsedQuery = "",
        *,
        sort: str | None = None,
        starred_only: bool = False,
        limit: int | None = None,
        offset: int = 0,
        around: int | None = None,
        every_id: bool = False,
        count: bool = True,
        stop: Callable[[], bool] | None = None,
    ) -> Found:
        """What a list or a search shows: a window of rows, and how many papers match.

        ``query`` holds the words and the filters (is:, has:, org:, year:); without
        words every paper passing the filters is listed, in ``sort`` order (newest
        first by default); with words, best match first unless ``sort`` says otherwise.
        ``every_id`` adds every paper's id in order: a front end holds a whole view so,
        and reads the rows for the part on screen with ``summaries`` (100,000 ids cost
        what 2,000 rows do). ``stop``: once it is true, the reading stops part-way and
        ``ReadInterrupted`` is raised (a newer keystroke has asked for another list).
        See ``Searcher.answer`` for the rest.
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        if starred_only:
            parsed = replace(parsed, starred=True)
        with self._store.interruptible(stop):
            return self._searcher.answer(
                parsed,
                sort=sort,
                limit=limit,
                offset=offset,
                around=around,
                every_id=every_id,
                count=count,
            )

    def papers(
        self,
        *,
        sort: str = "date",
        starred_only: bool = False,
        limit: int | None = None,
        filters: ParsedQuery | None = None,
    ) -> list[PaperSummary]:
        """Papers in ``sort`` order, narrowed by ``filters`` (is:, has:, org:, year:)."""
        found = self.search_rows(
            replace(filters or ParsedQuery(), text=""),
            sort=sort,
            starred_only=starred_only,
            limit=limit,
            count=False,
        )
        return found.rows

    def summaries(self, ids: Sequence[int]) -> list[PaperSummary]:
        """Summaries for ``ids`` in the order given (search results keep their rank);
        unknown ids are skipped. Rows of recent answers are not read again."""
        return self._searcher.rows(ids)

    def get(self, paper_id: int) -> PaperRecord:
        records = self._store.records([paper_id])
        if not records:
            raise self._not_there([paper_id])
        return records[0]

    def records(self, ids: Sequence[int]) -> list[PaperRecord]:
        return self._store.records(ids)

    def sources_of(self, paper_id: int) -> list[tuple[str, str]]:
        return self._store.sources_of(paper_id)

    def search(self, query: str | ParsedQuery, *, limit: int | None = 50) -> list[SearchHit]:
        """Best matches first, with their scores (see ``Searcher.hits``)."""
        parsed = parse_query(query) if isinstance(query, str) else query
        return self._searcher.hits(parsed, limit=limit)

    def prepare_search(self) -> None:
        """Load the search vocabulary now (a worker's job), not on the next keystroke.

        Called again after another instance wrote, it reloads the vocabulary only if
        papers were added meanwhile, so their words are corrected toward too. What
        highlighting a mistyped word needs is loaded first (``prepare_highlighting``).
        """
        prepare_highlighting()
        self._searcher.load_vocabulary()

    # -- the reader's own fields -------------------------------------------------------------

    def star(self, ids: Sequence[int], starred: bool = True) -> None:
        """Star (or unstar) papers, all in one transaction.

        Raises:
            UnknownPaperError: some ids do not exist (or are in the trash); nothing changed.
        """
        missing = self._store.set_starred(list(ids), starred)
        if missing:
            raise self._not_there(missing)

    def set_note(self, paper_id: int, note: str, *, base: str | None = None) -> NoteSave:
        """Save the note, written over ``base`` (the note as the writer last saw it).

        If another reader saved a different note since, both are kept and the result
        says ``merged``; without ``base`` the note is simply replaced. Control
        characters are stripped like any outside text.
        """
        saved = self._store.set_note(paper_id, clean_text(note).strip("\n"), base)
        if saved is None:
            raise self._not_there([paper_id])
        self._searcher.note_saved(saved.note)
        return saved

    def set_status(self, paper_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
        if not self._store.set_status(paper_id, status):
            raise self._not_there([paper_id])

    def set_statuses(self, statuses: Mapping[int, str]) -> None:
        """Give each paper its own status (several papers at once, or an undo).

        Every status and id is checked before anything is written, and all are written in
        one transaction: an unknown one changes nothing.

        Raises:
            ValueError: a status is not one of ``STATUSES``.
            UnknownPaperError: some ids do not exist.
        """
        for status in set(statuses.values()):
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
        missing = self._store.set_statuses(statuses)
        if missing:
            raise self._not_there(missing)

    def tag(self, ids: Sequence[int], tag: str, tagged: bool = True) -> str:
        """Add the tag to papers (or, not ``tagged``, take it off) in one transaction;
        returns the tag as stored (trimmed, case-folded).

        Raises:
            BadTagError: ``tag`` is not a tag name (``tags.tag_name``); nothing changed.
            UnknownPaperError: some ids do not exist; nothing changed.
        """
        name = tag_name(tag)
        missing = self._store.set_tagged(list(ids), name, tagged)
        if missing:
            raise self._not_there(missing)
        return name

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many papers carry it, by name."""
        return self._store.tag_counts()

    def tags_of(self, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """The tags of each of ``ids`` that carries any."""
        return self._store.tags_of(ids) if ids else {}

    def cycle_status(self, paper_id: int) -> str:
        """unread → reading → read → unread; returns the new status."""
        status = self._store.cycle_status(paper_id, STATUSES)
        if status is None:
            raise self._not_there([paper_id])
        return status

    def _not_there(self, missing: Sequence[int], *, deleting: bool = False) -> UnknownPaperError:
        """The error for ``missing`` ids: those in the trash are said to be (with the way
        back; ``deleting``: "already", and that nothing was deleted), the others not to
        exist; ``PaperInTrashError`` when every one is in the trash."""
        missing = list(dict.fromkeys(missing))
        trashed = self._store.in_trash(missing)
        unknown = [pid for pid in missing if pid not in trashed]
        said = [no_such_paper(unknown)] if unknown else []
        if trashed:
            said.append(in_trash(trashed, already=deleting))
        if deleting:
            said.append("nothing was deleted")
        error = UnknownPaperError if unknown else PaperInTrashError
        return error("; ".join(said))

    # -- the trash --------------------------------------------------------------------------

    def delete(self, ids: Sequence[int]) -> None:
        """Move papers to the trash, all in one transaction: they are gone from every list,
        search, count and export, and an import no longer brings them back.

        Raises:
            UnknownPaperError: some ids are not in the library (or already in the trash);
                nothing was deleted.
        """
        missing = self._store.set_deleted(list(ids), True)
        if missing:
            raise self._not_there(missing, deleting=True)

    def undelete(self, ids: Sequence[int]) -> None:
        """Bring papers back from the trash with their star, note and status, in one
        transaction.

        Raises:
            UnknownPaperError: some ids are not in the trash; nothing was restored.
        """
        missing = self._store.set_deleted(list(ids), False)
        if missing:
            missing = list(dict.fromkeys(missing))
            listed = self._store.titles(missing)  # in the library, not in the trash
            unknown = [pid for pid in missing if pid not in listed]
            said = [no_such_paper(unknown)] if unknown else []
            if listed:
                said.append(not_in_trash([pid for pid in missing if pid in listed]))
            raise UnknownPaperError("; ".join([*said, "nothing was restored"]))

    def trash(self) -> list[PaperRecord]:
        """The papers in the trash, most recently deleted first."""
        return self._store.trash()

    def count_trash(self) -> int:
        """How many papers are in the trash (no other count holds them)."""
        return self._store.count_trash()

    def empty_trash(self) -> int:
        """Delete the papers in the trash for good; how many went."""
        return self._store.empty_trash()

    # -- export -----------------------------------------------------------------------------

    def select(
        self, *, scope: str = "starred", query: str | None = None, sort: str | None = None
    ) -> list[int]:
        """Ids to export: the papers of ``scope`` (``starred`` or ``all``) that match
        ``query`` (every one without); in the order a list of the same papers shows them:
        ``sort``, else the list's own (best first for a query)."""
        starred = scope == "starred"
        found = self.search_rows(
            query or "", sort=sort, starred_only=starred, limit=0, every_id=True
        )
        return list(found.ids)

    def export(
        self,
        ids: Sequence[int],
        fmt: str = "md",
        *,
        include_abstract: bool = True,
        title: str = "Reading list",
    ) -> str:
        """The papers ``ids``, in that order, rendered as Markdown, JSON or CSV (ids not in
        the library, or in the trash, are left out)."""
        return self._render(self.records(ids), fmt, include_abstract=include_abstract, title=title)

    def _render(
        self,
        records: list[PaperRecord],
        fmt: str,
        *,
        include_abstract: bool = True,
        title: str = "Reading list",
    ) -> str:
        from .export import render

        return render(
            records, fmt, title=title, today=self.today, include_abstract=include_abstract
        )

    def export_to_file(
        self,
        ids: Sequence[int],
        path: Path,
        fmt: str = "md",
        *,
        replace: bool = True,
        **options: object,
    ) -> int:
        """Write an export (see ``files.write_atomically``); returns how many papers it holds
        (ids not in the library, or in the trash, are left out and not counted).

        Raises:
            FileExistsError: ``replace`` is false and ``path`` is an existing file.
            OSError: the file could not be written; nothing was changed.
        """
        from .files import write_atomically

        records = self.records(ids)
        text = self._render(records, fmt, **options)  # type: ignore[arg-type]
        write_atomically(path, text, replace=replace)
        return len(records)
