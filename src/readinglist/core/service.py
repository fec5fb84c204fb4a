"""ReadingList: the one API the CLI and the TUI call.

It takes and returns plain values (paths, ids, strings, frozen dataclasses) and keeps
the search vocabulary in step with imports and notes, so neither front end touches SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .backup import backup_is_due, make_backup
from .database import LibraryError
from .export import render
from .files import write_atomically
from .location import LibraryLocation
from .merge import title_key
from .models import STATUSES, ImportReport, PaperRecord, PaperSummary
from .ranking import rerank
from .search import (
    MatchQuery,
    ParsedQuery,
    SearchHit,
    Term,
    match_query,
    parse_query,
    query_words,
)
from .storage import open_store
from .storage.store import NoteSave
from .textclean import clean_text
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .fetch import Period

__all__ = ["LibraryError", "NoteSave", "ReadingList", "UnknownPaperError"]

RERANKED = 200  # how many of the index's best hits are re-ranked by how their titles match
TITLE_STARTS = 50  # titles starting with the query, ranked with them wherever the index put them
SHORT_WORD = 4  # shorter words match titles only: BM25 over every title holding "tr" costs too much
CACHED_SUMMARIES = 5000  # list rows kept between keystrokes (about 2 MB)


class UnknownPaperError(LibraryError):
    """No paper has that id."""


class ReadingList:
    """A reading list stored in a library file or a PostgreSQL database."""

    def __init__(
        self,
        library: Path | str | LibraryLocation,
        *,
        today: date | None = None,
        busy_timeout: float | None = None,
        create: bool = True,
    ) -> None:
        """Open (or, with ``create``, make) the library; raises LibraryError if it cannot."""
        self.location = (
            library if isinstance(library, LibraryLocation) else LibraryLocation.parse(library)
        )
        self._today = today
        self._store = open_store(self.location, busy_timeout=busy_timeout, create=create)
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_newest = 0  # the newest paper when the vocabulary was read
        self._vocabulary_lock = threading.Lock()
        self._summaries: dict[int, PaperSummary] = {}
        self._summaries_token: int | None = None
        self._summaries_lock = threading.Lock()

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
        return make_backup(self.db_path, reason=reason)

    def daily_backup(self) -> Path | None:
        """Back up when the newest backup is a day old; None when not due, read-only or
        on a server."""
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
                self._vocabulary = None  # reloaded on the next search
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
    ) -> ImportReport:
        """Fetch a Daily Papers listing (today's by default) from the Hugging Face API at
        ``$HF_ENDPOINT`` and import it as one page, recorded under its address.

        ``progress(pages, papers)`` is called after each page. An empty listing imports
        nothing and says so in a warning.

        Raises:
            FetchError: the listing could not be fetched whole; nothing was imported.
            LibraryError: the library is read-only (checked before fetching).
        """
        from .fetch import Period, fetch_listing
        from .importing import import_listing

        if self.read_only:
            raise LibraryError(f"{self.name}: the library is read-only; nothing was fetched")
        period = period or Period.day(self.today)
        listing = fetch_listing(period, timeout=timeout, progress=progress)
        if listing.page is None:
            warning = f"no papers are listed for {period.describe()} (yet?); nothing was imported"
            return ImportReport(listing.source, warnings=(warning,))
        report = import_listing(self._store, listing.page, listing.source, self.today)
        if report.ok:
            self._vocabulary = None  # reloaded on the next search
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

    def list(
        self,
        *,
        sort: str = "date",
        starred_only: bool = False,
        limit: int | None = None,
        filters: ParsedQuery | None = None,
    ) -> list[PaperSummary]:
        """Papers in ``sort`` order, narrowed by ``filters`` (is:, has:, org:, year:)."""
        if starred_only:
            filters = replace(filters or ParsedQuery(), starred=True)
        return self._store.summaries(sort=sort, filters=filters, limit=limit)

    def list_ids(
        self, *, sort: str = "date", filters: ParsedQuery | None = None
    ) -> tuple[int, ...]:
        """The ids of every paper passing ``filters``, in ``sort`` order.

        Ids only: a front end holds a whole view this way and reads rows with
        ``summaries`` for the part on screen (100,000 ids cost what 2,000 rows do).
        """
        return tuple(self._store.ids(sort=sort, filters=filters))

    def search_ids(self, query: str | ParsedQuery, *, sort: str | None = None) -> tuple[int, ...]:
        """The ids of every match of ``query``: best first, as ``search`` ranks them, or
        in ``sort`` order (a sort key of ``list``)."""
        ids = [hit.id for hit in self.search(query, limit=None)]
        if sort is None or not ids:
            return tuple(ids)
        return tuple(self._store.ids(sort=sort, among=ids))

    def summaries(self, ids: Sequence[int]) -> list[PaperSummary]:
        """Summaries for ``ids`` in the order given (search results keep their rank).

        Rows are kept between calls: the next keystroke's results are mostly the same
        papers, and reading 1,000 rows again costs 5 ms. Any write, ours or another
        instance's, changes the store's change token, which empties the cache.
        """
        token = self._store.change_token()
        with self._summaries_lock:
            if token != self._summaries_token:
                self._summaries.clear()
                self._summaries_token = token
            known = {pid: self._summaries[pid] for pid in ids if pid in self._summaries}
        missing = [pid for pid in ids if pid not in known]
        if missing:
            fetched = self._store.summaries_of(missing)
            known.update(fetched)
            with self._summaries_lock:
                if self._summaries_token == token:
                    if len(self._summaries) + len(fetched) > CACHED_SUMMARIES:
                        self._summaries.clear()
                    self._summaries.update(fetched)
        return [known[pid] for pid in ids if pid in known]

    def get(self, paper_id: int) -> PaperRecord:
        records = self._store.records([paper_id])
        if not records:
            raise UnknownPaperError(f"no paper with id {paper_id}")
        return records[0]

    def records(self, ids: Sequence[int]) -> list[PaperRecord]:
        return self._store.records(ids)

    def sources_of(self, paper_id: int) -> list[tuple[str, str]]:
        return self._store.sources_of(paper_id)

    def search(self, query: str | ParsedQuery, *, limit: int | None = 50) -> list[SearchHit]:
        """Best matches first; typo-tolerant; with only filters, every match newest first.

        All the words must match (in any field), the last one as a prefix; if no paper
        has them all, papers with any of them are returned, still best first. Titles
        that start with the query match too, and come first with the titles that hold
        its words (``ranking``).
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        words = query_words(parsed.text)
        if not words:
            if not parsed.has_filters and parsed.text:
                return []  # only punctuation: nothing to look for
            found = self._store.search_ids(None, parsed, limit=limit)
            return [SearchHit(paper_id, score) for paper_id, score in found]
        fetch = None if limit is None else max(limit, RERANKED)
        lone_letter = len(words) == 1 and len(words[0]) == 1  # only titles starting so match
        starts_wanted = fetch if lone_letter else TITLE_STARTS
        starts = self._store.title_prefix_ids(title_key(parsed.text), parsed, limit=starts_wanted)
        if len(words) > 1 and len(words[-1]) == 1:
            words = words[:-1]  # a word's first keystroke: every term it starts is too many
        vocabulary = self._search_vocabulary()
        short = all(len(word) < SHORT_WORD for word in words)  # a word's first keystrokes
        for any_word in (False, True):
            match = match_query(words, vocabulary, any_word=any_word)
            if short:
                titled = replace(match, title_only=True)
                found = self._store.search_ids(titled, parsed, limit=fetch, ranked=False)
                found += self._whole_words_anywhere(words, parsed, fetch, found, any_word)
            else:
                found = self._ranked_matches(match, parsed, fetch)
            if found or starts or len(words) == 1:
                break
        if list(match.meant) != words:  # a typo corrected: titles starting as it was meant
            known = set(starts)
            meant = self._store.title_prefix_ids(" ".join(match.meant), parsed, limit=TITLE_STARTS)
            starts += [paper_id for paper_id in meant if paper_id not in known]
        head = [SearchHit(paper_id, score) for paper_id, score in found[:RERANKED]]
        ranked = {hit.id for hit in head}
        head += [SearchHit(pid, 0.0) for pid in starts[:RERANKED] if pid not in ranked]
        ranked.update(starts[:RERANKED])
        tail: list[SearchHit] = []
        for paper_id, score in [*found[RERANKED:], *((pid, 0.0) for pid in starts[RERANKED:])]:
            if paper_id not in ranked:  # each paper once, where it first comes
                ranked.add(paper_id)
                tail.append(SearchHit(paper_id, score))
        rows: Sequence[PaperSummary] = self.summaries([hit.id for hit in head])  # kept for the list
        titles = {row.id: row.title for row in rows}
        return (rerank(match, head, titles) + tail)[:limit]

    def _whole_words_anywhere(
        self,
        words: list[str],
        query: ParsedQuery,
        fetch: int | None,
        found: list[tuple[int, float]],
        any_word: bool,
    ) -> list[tuple[int, float]]:
        """Papers holding short words whole in any field ("vit" for a ViT abstract), after
        the titles that start with them; prefixes of short words stay in titles only,
        where every term "tr" starts would be too many."""
        if any(len(word) < 2 for word in words):
            return []
        exact = MatchQuery(tuple((Term(word),) for word in words), any_word=any_word)
        seen = {paper_id for paper_id, _score in found}
        extra = None if fetch is None else fetch + len(seen)
        anywhere = self._store.search_ids(exact, query, limit=extra, ranked=False)
        return [(paper_id, 0.0) for paper_id, _score in anywhere if paper_id not in seen]

    def _ranked_matches(
        self, match: MatchQuery, query: ParsedQuery, fetch: int | None
    ) -> list[tuple[int, float]]:
        """Title matches ranked by BM25, then other matches newest first.

        Ranking every abstract that mentions "transformer" costs hundreds of
        milliseconds at 100,000 papers; titles are what a reader types, so only they
        are ranked, and the rest follow in the order the index yields them.
        """
        titled = self._store.search_ids(replace(match, title_only=True), query, limit=fetch)
        if fetch is not None and len(titled) >= fetch:
            return titled
        seen = {paper_id for paper_id, _score in titled}
        extra = None if fetch is None else fetch + len(seen)
        rest = self._store.search_ids(match, query, limit=extra, ranked=False)
        return titled + [(pid, 0.0) for pid, _score in rest if pid not in seen]

    def prepare_search(self) -> None:
        """Load the search vocabulary now (a worker's job), not on the next keystroke.

        Called again after another instance wrote, it reloads the vocabulary only if
        papers were added meanwhile, so their words are corrected toward too.
        """
        with self._vocabulary_lock:
            if self._vocabulary is not None and self._store.newest_id() > self._vocabulary_newest:
                self._vocabulary = None
        self._search_vocabulary()

    def _search_vocabulary(self) -> Vocabulary:
        with self._vocabulary_lock:
            if self._vocabulary is None:
                self._vocabulary_newest = self._store.newest_id()  # before: later ones show
                self._vocabulary = Vocabulary(self._store.vocabulary(), documents=self.count())
            return self._vocabulary

    # -- the reader's own fields -------------------------------------------------------------

    def star(self, ids: Sequence[int], starred: bool = True) -> None:
        """Star (or unstar) papers.

        Raises:
            UnknownPaperError: some ids do not exist; the others were still changed.
        """
        missing = self._store.set_starred(list(ids), starred)
        if missing:
            raise UnknownPaperError(f"no paper with id {', '.join(map(str, missing))}")

    def set_note(self, paper_id: int, note: str, *, base: str | None = None) -> NoteSave:
        """Save the note, written over ``base`` (the note as the writer last saw it).

        If another reader saved a different note since, both are kept and the result
        says ``merged``; without ``base`` the note is simply replaced. Control
        characters are stripped like any outside text.
        """
        saved = self._store.set_note(paper_id, clean_text(note).strip("\n"), base)
        if saved is None:
            raise UnknownPaperError(f"no paper with id {paper_id}")
        with self._vocabulary_lock:  # a reload costs 0.3 s at 100,000 papers: add instead
            if self._vocabulary is not None:
                self._vocabulary.add(saved.note)
        return saved

    def set_status(self, paper_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
        if not self._store.set_status(paper_id, status):
            raise UnknownPaperError(f"no paper with id {paper_id}")

    def set_statuses(self, statuses: Mapping[int, str]) -> None:
        """Give each paper its own status (several papers at once, or an undo).

        Every status and id is checked before anything is written: an unknown one
        changes nothing.

        Raises:
            ValueError: a status is not one of ``STATUSES``.
            UnknownPaperError: some ids do not exist.
        """
        for status in set(statuses.values()):
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}; choose from {', '.join(STATUSES)}")
        found = self._store.summaries_of(list(statuses))
        missing = [pid for pid in statuses if pid not in found]
        if missing:
            raise UnknownPaperError(f"no paper with id {', '.join(map(str, missing))}")
        # TODO(storage): one transaction needs a store call taking several ids; until the
        # storage rewrite has one, each paper is its own write (all were checked above).
        for paper_id, status in statuses.items():
            if found[paper_id].status != status:
                self._store.set_status(paper_id, status)

    def cycle_status(self, paper_id: int) -> str:
        """unread → reading → read → unread; returns the new status."""
        status = self._store.cycle_status(paper_id, STATUSES)
        if status is None:
            raise UnknownPaperError(f"no paper with id {paper_id}")
        return status

    # -- export -----------------------------------------------------------------------------

    def select(
        self, *, scope: str = "starred", query: str | None = None, sort: str | None = None
    ) -> list[int]:
        """Ids to export: ``starred``, ``all``, or a ``query`` (best first unless sorted)."""
        if query is not None:
            ids = [hit.id for hit in self.search(query, limit=None)]
            if sort is None:
                return ids
            wanted = set(ids)
            return [row.id for row in self.list(sort=sort) if row.id in wanted]
        default = "starred" if scope == "starred" else "date"
        starred = scope == "starred"
        return [row.id for row in self.list(sort=sort or default, starred_only=starred)]

    def export(
        self,
        ids: Sequence[int],
        fmt: str = "md",
        *,
        include_abstract: bool = True,
        title: str = "Reading list",
    ) -> str:
        """The papers ``ids``, in that order, rendered as Markdown, JSON or CSV."""
        return render(
            self.records(ids), fmt, title=title, today=self.today, include_abstract=include_abstract
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
        """Write an export (see ``files.write_atomically``); returns how many papers it holds.

        Raises:
            FileExistsError: ``replace`` is false and ``path`` is an existing file.
            OSError: the file could not be written; nothing was changed.
        """
        text = self.export(ids, fmt, **options)  # type: ignore[arg-type]
        write_atomically(path, text, replace=replace)
        return len(ids)
