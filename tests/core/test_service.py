"""The library: importing, merging, the reader's own fields, and refusals that change nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.core.service import LibraryError, ReadingList, UnknownPaperError
from readinglist.core.storage.migrations import MIGRATIONS
from tests.conftest import SAMPLES, TODAY, downgrade_to_v1
from tests.core.counting import counted_library


def snapshot(service: ReadingList) -> list[dict]:
    ids = [row.id for row in service.papers(sort="title")]
    return [record.to_json() for record in service.records(ids)]


def test_samples_import_counts(service: ReadingList, sample_pages):
    reports = service.import_pages(sample_pages)
    assert [r.papers for r in reports] == [26, 119, 44]
    assert all(r.ok and not r.warnings for r in reports)
    assert service.count() == 182
    assert sum(r.new for r in reports) == 182


def test_reimport_changes_nothing_and_keeps_reader_fields(loaded: ReadingList, sample_pages):
    first = loaded.papers(sort="title")[0].id
    loaded.star([first])
    loaded.set_note(first, "my *own* note")
    loaded.set_status(first, "reading")
    before = snapshot(loaded)
    reports = loaded.import_pages(sample_pages)
    assert [(r.new, r.updated) for r in reports] == [(0, 0)] * 3
    assert snapshot(loaded) == before
    record = loaded.get(first)
    assert (record.starred, record.note, record.status) == (True, "my *own* note", "reading")


def test_import_order_does_not_matter(tmp_path: Path, sample_pages):
    with (
        ReadingList(tmp_path / "one.db", today=TODAY) as one,
        ReadingList(tmp_path / "two.db", today=TODAY) as two,
    ):
        one.import_pages(sample_pages)
        two.import_pages(list(reversed(sample_pages)))
        assert _without_ids(snapshot(one)) == _without_ids(snapshot(two))


def _without_ids(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("id", "added_at")} for row in rows]


def test_merge_keeps_fields_and_newer_upvotes_win(service: ReadingList, tmp_path: Path):
    old = tmp_path / "old.txt"
    old.write_text(
        "Daily Papers\n\nMar 1\n\nA Paper\n\nAbstract one.\n\n  • 4 authors\n·\nFeb 2, 2024 3\n"
    )
    new = tmp_path / "new.txt"
    new.write_text(
        "Daily Papers\n\nMar 9\n\na paper!\n\nAbstract one.\n\nOrgX Org X\n·\nFeb 2, 2024 9\n"
    )
    bare = tmp_path / "bare.txt"
    bare.write_text("SubscribeA  Paper\nAbstract one.\n")
    service.import_pages([new])
    report = service.import_page(old)
    assert (report.new, report.updated) == (0, 1)  # authors filled in, upvotes kept
    [record] = service.records([row.id for row in service.papers()])
    assert (record.title, record.authors, record.org, record.upvotes) == ("a paper!", 4, "Org X", 9)
    assert service.import_page(bare).updated == 0
    assert service.count() == 1
    assert len(service.sources_of(record.id)) == 3


def test_same_paper_twice_in_one_page_is_one_row(service: ReadingList, tmp_path: Path):
    page = tmp_path / "twice.txt"
    page.write_text(
        "Daily Papers\n\nSame Title\n\nAbstract.\n\nSame title\n\nAbstract.\n\n  • 2 authors\n·\nJan 1, 2024\n"
    )
    report = service.import_page(page)
    assert (report.papers, report.new) == (2, 1)
    assert service.get(service.papers()[0].id).authors == 2


def test_bad_file_changes_nothing(loaded: ReadingList, tmp_path: Path):
    before = snapshot(loaded)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    [report] = loaded.import_pages([bad])
    assert report.error and "binary" in report.error
    assert snapshot(loaded) == before


def test_star_note_status_and_unknown_ids(loaded: ReadingList):
    ids = [row.id for row in loaded.papers(limit=3)]
    loaded.star(ids[:2])
    assert {row.id for row in loaded.papers(starred_only=True)} == set(ids[:2])
    with pytest.raises(UnknownPaperError, match="99999"):
        loaded.star([ids[2], 99999])
    assert not loaded.get(ids[2]).starred  # several ids: all or none (issue 19)
    loaded.star([ids[0]], False)
    assert not loaded.get(ids[0]).starred
    loaded.set_note(ids[0], "note \x1b[31mwith escape\x1b[0m\n")
    assert loaded.get(ids[0]).note == "note with escape"
    assert [loaded.cycle_status(ids[0]) for _ in range(3)] == ["reading", "read", "unread"]
    with pytest.raises(UnknownPaperError):
        loaded.set_note(424242, "x")


def test_sorts(loaded: ReadingList):
    by_upvotes = [row.upvotes for row in loaded.papers(sort="upvotes") if row.upvotes is not None]
    assert by_upvotes == sorted(by_upvotes, reverse=True)
    dates = [row.date for row in loaded.papers(sort="date") if row.date]
    assert dates == sorted(dates, reverse=True)
    titles = [row.title.lower() for row in loaded.papers(sort="title")]
    assert titles == sorted(titles)
    assert len(loaded.papers(limit=5)) == 5


def test_search_is_typo_tolerant_and_filters(loaded: ReadingList):
    hits = loaded.search("handwriten documents", limit=3)
    assert "handwritten" in loaded.get(hits[0].id).title.lower()
    hits = loaded.search("speculativ decodng", limit=1)
    assert loaded.get(hits[0].id).title == "Speculative Decoding with Big Little Decoder"
    code = loaded.search("has:code", limit=None)
    assert code and all(loaded.get(hit.id).links for hit in code)
    assert {loaded.get(h.id).org for h in loaded.search("org:reactive", limit=None)} == {
        "Reactive AI"
    }
    assert all(
        loaded.get(h.id).date.startswith("2024") for h in loaded.search("year:2024", limit=None)
    )
    first = loaded.search("bert", limit=1)[0].id
    loaded.star([first])
    assert [h.id for h in loaded.search("is:starred bert")] == [first]
    loaded.set_note(first, "zanzibar reminder")
    assert loaded.search("zanzibar")[0].id == first
    assert [h.id for h in loaded.search("has:note")] == [first]


def test_library_file_checks(tmp_path: Path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(LibraryError, match="empty"):
        ReadingList(empty)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(LibraryError, match="not a SQLite database"):
        ReadingList(junk)
    assert junk.read_bytes() == b"not a database at all" * 10
    newer = tmp_path / "newer.db"
    ReadingList(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(LibraryError, match="schema version 99"):
        ReadingList(newer)


@pytest.mark.sqlite_only
def test_library_settings(service: ReadingList):
    with sqlite3.connect(service.db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        names = [name for (name,) in conn.execute("SELECT name FROM schema_migration")]
        assert names == [name for name, _step in MIGRATIONS]
        # import speed: large pages for a new file, FTS5 segments merged 16 at a time
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 16384
        merge = conn.execute("SELECT v FROM paper_fts_config WHERE k = 'automerge'").fetchone()
        assert merge == (16,)


def test_old_library_is_migrated_and_searchable(tmp_path: Path, sample_pages):
    path = tmp_path / "v1.db"
    with ReadingList(path, today=TODAY) as current:
        current.import_pages(sample_pages[:1])
        current.star([1])
    downgrade_to_v1(path)
    with ReadingList(path, today=TODAY) as migrated:
        assert migrated.schema_version() == len(MIGRATIONS)
        assert migrated.get(1).starred
    with sqlite3.connect(path) as conn:
        merge = conn.execute("SELECT v FROM paper_fts_config WHERE k = 'automerge'").fetchone()
        assert merge == (16,)
    with ReadingList(path, today=TODAY) as migrated:
        assert migrated.search("handwriten", limit=1)


@pytest.mark.parametrize("main_module", ["readinglist.cli", "benchmarks.__main__"])
def test_the_parse_worker_starts_without_the_database_layer(main_module: str):
    """A large import waits for the worker's first page: SQLAlchemy alone takes 0.25 s.

    A spawned worker re-imports its parent's main module too: the CLI's, and the
    benchmark's, whose import figure must be the CLI's.
    """
    code = f"import sys, readinglist.core.merge, {main_module}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'sqlalchemy', 'sqlmodel', 'textual', 'rapidfuzz'}}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "[]"


def test_status_cycles_atomically_across_instances(loaded: ReadingList):
    with ReadingList(loaded.location, today=TODAY) as other:
        before = other.change_token()
        assert loaded.cycle_status(1) == "reading"
        assert other.cycle_status(1) == "read"  # not a second "reading"
        assert other.change_token() != before  # a status change is seen by the other side
    assert loaded.get(1).status == "read"
    with pytest.raises(UnknownPaperError):
        loaded.cycle_status(424242)


def test_filters_keep_the_chosen_sort(loaded: ReadingList):
    from readinglist.core.search import parse_query

    rows = loaded.papers(sort="upvotes", filters=parse_query("has:code"))
    assert rows and all(row.link_count for row in rows)
    assert len(rows) == len(loaded.search("has:code", limit=None))
    titles = [
        row.title.lower() for row in loaded.papers(sort="title", filters=parse_query("year:2024"))
    ]
    assert titles == sorted(titles) and len(titles) == len(loaded.search("year:2024", limit=None))
    assert loaded.papers(filters=parse_query("org:100%_x")) == []  # LIKE wildcards are literal


def test_two_readers_saving_one_note_lose_nothing(loaded: ReadingList, library_location: str):
    with ReadingList(library_location, today=TODAY) as other:
        opened = loaded.get(1).note  # both open the editor on the same note
        assert other.get(1).note == opened
        first = other.set_note(1, "their reading of section 2", base=opened)
        assert not first.merged
        mine = loaded.set_note(1, "my summary", base=opened)
        assert mine.merged
        note = loaded.get(1).note
        assert note.startswith("my summary\n\n--- kept from another reader's save")
        assert note.endswith("their reading of section 2")
        # saving again over what we now see is an ordinary save
        assert not other.set_note(1, note + "\nagreed", base=note).merged
        # a reader who changed nothing does not undo the other's save
        unchanged = loaded.set_note(1, note, base=note)
        assert unchanged.note == note + "\nagreed" and not unchanged.merged
    assert loaded.set_note(1, "replaced").note == "replaced"  # no base: a plain replace


def test_merge_notes_rules():
    from readinglist.core.merge import merge_notes

    when = "2026-11-25T10:00:00+00:00"
    assert merge_notes("mine", None, "theirs", when) == "mine"
    assert merge_notes("mine", "old", "old", when) == "mine"
    assert merge_notes("same", "old", "same", when) == "same"
    assert merge_notes("old", "old", "theirs", when) == "theirs"
    assert merge_notes("mine", "old", "", when) == "mine"
    merged = merge_notes("mine", "old", "theirs", when)
    assert merged.splitlines()[0] == "mine" and merged.endswith("\ntheirs") and when in merged
    assert merge_notes(merged + " more", "x", "theirs", when) == merged + " more"
    assert merge_notes("", "old", "theirs", when).endswith("---\ntheirs")


def test_parallel_import_matches_a_plain_one(
    service: ReadingList, sample_pages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
):
    from readinglist.core import importing

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)  # even these small files
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary" * 50)
    files = [*sample_pages, bad, sample_pages[0]]
    reports = service.import_pages(files, parallel=True)
    assert "in another process failed" not in caplog.text  # the worker really parsed them
    assert [(r.papers, r.new, r.updated) for r in reports[:3]] == [
        (26, 26, 0),
        (119, 115, 0),
        (44, 41, 1),
    ]
    assert reports[3].error == "binary file, not a text page" and reports[4].new == 0
    with ReadingList(tmp_path / "plain.db", today=TODAY) as plain:
        plain.import_pages(files)

        def contents(library: ReadingList) -> list[dict]:  # ids differ between databases
            return [{**r, "id": None, "added_at": None} for r in snapshot(library)]

        assert contents(plain) == contents(service)


def test_list_rows_share_their_repeated_strings(loaded: ReadingList):
    """100,000 rows hold one copy of each import time, status and date, not one per row."""
    rows = loaded.papers()
    for field in ("added_at", "status", "date"):
        by_value: dict[object, object] = {}
        for row in rows:
            value = getattr(row, field)
            assert by_value.setdefault(value, value) is value, field
    assert len({id(row.status) for row in rows}) == len({row.status for row in rows})


def test_an_import_goes_on_in_this_process_when_no_second_one_starts(
    service: ReadingList, sample_pages, monkeypatch: pytest.MonkeyPatch, caplog
):
    from readinglist.core import importing

    def cannot_spawn(*_args, **_kwargs):
        raise ValueError("bad value(s) in fds_to_keep")  # what a stderr without an fd gives

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importing, "PARALLEL_FILES", 2)
    monkeypatch.setattr(importing, "ProcessPoolExecutor", cannot_spawn)
    reports = service.import_pages(sample_pages, parallel=True)
    assert [report.new for report in reports] == [26, 115, 41]
    assert "going on in this one" in caplog.text


@pytest.mark.parametrize("parallel", [False, True])
def test_each_import_report_comes_as_its_page_lands(
    service: ReadingList, sample_pages, monkeypatch: pytest.MonkeyPatch, parallel: bool
):
    from readinglist.core import importing

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importing, "PARALLEL_FILES", 2)
    monkeypatch.setattr(importing, "BATCH_BYTES", 1)  # a transaction per page
    counts = []
    for report in service.iter_imports(sample_pages, parallel=parallel):
        counts.append((report.new, service.count()))
    assert counts == [(26, 26), (115, 141), (41, 182)]  # the library grew page by page


@pytest.mark.parametrize("parallel", [False, True])
def test_a_batch_of_pages_lands_before_its_reports_come(
    library_location: str, sample_pages, monkeypatch: pytest.MonkeyPatch, parallel: bool
):
    from readinglist.core import importing

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importing, "PARALLEL_FILES", 2)
    transactions = []
    service, store = counted_library(library_location)
    original = store.import_pages
    store.import_pages = lambda pages, today: (  # type: ignore[method-assign]
        transactions.append(len(pages)) or original(pages, today)
    )
    counts = [
        (report.new, service.count())
        for report in service.iter_imports(sample_pages, parallel=parallel)
    ]
    assert [new for new, _count in counts] == [26, 115, 41]
    assert all(count >= 26 for _new, count in counts)  # reported once landed
    assert sum(transactions) == 3
    if not parallel:  # the three small pages are one batch
        assert transactions == [3] and counts[0][1] == 182


def test_a_note_updates_the_search_vocabulary_without_reloading_it(
    loaded: ReadingList, library_location: str
):
    library, store = counted_library(library_location)
    with library:
        library.prepare_search()  # the app's background load
        library.set_note(3, "compare with the zanzibarian benchmark")
        calls = store.during(lambda: library.search("zanzibarain"))  # a typo of the new word
        assert [hit.id for hit in library.search("zanzibarain")][:1] == [3]
        assert "vocabulary" not in calls  # no reload of every term on the next keystroke


def test_papers_another_instance_adds_join_the_vocabulary(
    loaded: ReadingList, library_location: str, tmp_path: Path
):
    library, store = counted_library(library_location)
    library.prepare_search()
    page = tmp_path / "labmate.txt"
    page.write_text(
        "Daily Papers\n\nQuokkaformer: Marsupial Attention\n\n"
        "We study attention in quokkas across many long abstracts of real papers.\n"
    )
    with library, ReadingList(library_location, today=TODAY) as labmate:
        [report] = labmate.import_pages([page])
        assert report.new == 1
        assert library.search("quokaformer") == []  # a typo: the loaded terms predate the paper
        # what the app does on noticing another instance's write: one reload
        assert store.during(library.prepare_search)["vocabulary"] == 1
        assert [library.get(hit.id).title for hit in library.search("quokaformer")] == [
            "Quokkaformer: Marsupial Attention"
        ]
        library.star([1])
        assert "vocabulary" not in store.during(library.prepare_search)  # a star adds no words


def test_a_search_without_the_loaded_vocabulary_asks_only_for_its_words(
    loaded: ReadingList, library_location: str
):
    """The CLI: one query, answered without reading every term of the index (107,000 at
    100,000 papers). PostgreSQL's index is asked how many papers hold a word, and for
    the terms of the few that do; only a typo's corrections, among the terms its first
    letter starts (in nearly every paper), read every term there, once."""
    library, store = counted_library(library_location)
    on_postgres = library_location.startswith("postgresql")
    with library:
        for query in ("bert", "pre training", "transformer attention", "handwriten documents"):
            calls = store.during(lambda query=query: library.search_rows(query, limit=20))
            typo = query == "handwriten documents"
            assert ("vocabulary" in calls) == (typo and on_postgres), (query, calls)
        calls = store.during(lambda: library.search_rows("transfromer", limit=20))
        assert "vocabulary" not in calls  # read once at most
        typo = [hit.id for hit in library.search("handwriten documents")]
        library.prepare_search()
        assert [hit.id for hit in library.search("handwriten documents")] == typo


def test_accents_are_optional_in_search_on_both_backends(service: ReadingList, tmp_path: Path):
    page = tmp_path / "accents.txt"
    page.write_text(
        "Daily Papers\n\nCafé Crème: Déjà Vu in Łódź Transformers\n\n"
        "A naïve study of the Schrödinger bridge, with many more words for an abstract.\n\n"
        "Plain Cafe Title\n\nAnother abstract that is long enough to read as one, in prose.\n",
        encoding="utf-8",
    )
    service.import_pages([page])
    accented, plain = (service.papers(sort="title")[i].id for i in (0, 1))
    for query in ("cafe creme", "café crème", "CAFÉ", "deja", "dej", "caf", "naive", "schrodinger"):
        assert accented in {hit.id for hit in service.search(query)}, query
    assert {hit.id for hit in service.search("cafe")} == {accented, plain}


def test_accented_spellings_are_found_without_reading_every_term(
    service: ReadingList, library_location: str, tmp_path: Path
):
    """PostgreSQL's index keeps accents: a typed "cafe" stands for an indexed "café",
    found by asking the index for the terms an accented spelling may begin with (the
    words are in three papers: fewer would be corrected, and corrections read every
    term on PostgreSQL)."""
    page = tmp_path / "accents.txt"
    page.write_text(
        "Daily Papers\n\n"
        + "".join(
            f"Café Crème: Déjà Vu in Łódź, part {part}\n\n"
            "A naïve study of the Schrödinger bridge, with many more words for an abstract.\n\n"
            for part in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    service.import_pages([page])
    library, store = counted_library(library_location)
    with library:
        for query in ("cafe creme", "deja", "naive schrodinger", "creme part"):
            calls = store.during(lambda q=query: library.search(q))
            assert len(library.search(query)) == 3, query
            assert "vocabulary" not in calls, query


def test_accented_words_of_a_note_saved_this_session_are_found_plainly(loaded: ReadingList):
    loaded.search("warm up")  # the vocabulary is loaded, so the note's words are added to it
    paper = loaded.papers()[0].id
    loaded.set_note(paper, "Müsli und Brötchen beim Frühstück")
    for query in ("musli", "brotchen", "fruhst", "Frühstück"):
        assert paper in {hit.id for hit in loaded.search(query)}, query


@pytest.mark.sqlite_only
def test_ranking_a_window_of_matches_loses_none(loaded: ReadingList, monkeypatch):
    from readinglist.core.storage import sqlite as sqlite_store

    everything = [hit.id for hit in loaded.search("language", limit=None)]
    assert len(everything) > 20
    monkeypatch.setattr(sqlite_store, "RANK_WINDOW", 5)
    windowed = [hit.id for hit in loaded.search("language", limit=None)]
    assert sorted(windowed) == sorted(everything)  # older matches still come, unranked
    assert windowed != everything  # and only the newest five were ranked


def test_typos_of_very_common_words_are_corrected_but_short_words_are_not():
    from readinglist.core.vocabulary import Vocabulary

    terms = [("transformer", 9000), ("and", 9500), ("handle", 10), ("hand", 12)]
    vocabulary = Vocabulary(terms, documents=10000)  # 5% of papers makes a term common
    assert vocabulary.similar("transfromer") == ["transformer"]  # held by 90%: still a typo
    assert "and" not in vocabulary.similar("hand")  # a short near-miss would match everything
    assert vocabulary.similar("handel")[0] == "handle"


def test_typed_words_stand_for_their_accented_spellings_in_an_index_that_keeps_them():
    from readinglist.core.search import Term, match_query
    from readinglist.core.vocabulary import Vocabulary

    terms = [("café", 3), ("cafés", 1), ("caféine", 1), ("cafe", 2), ("déjà", 1), ("ø", 1)]
    vocabulary = Vocabulary(terms, documents=10)
    assert vocabulary.accented("cafe", prefix=False) == ["café"]
    assert sorted(vocabulary.accented("caf", prefix=True)) == ["café", "caféine", "cafés"]
    assert vocabulary.accented("deja", prefix=False) == ["déjà"]
    assert vocabulary.accented("xyz", prefix=True) == []
    [alternatives] = match_query(["deja"], vocabulary).words
    assert Term("déjà") in alternatives and Term("deja", prefix=True) in alternatives
    assert Vocabulary([("cafe", 2)]).accented("cafe", prefix=True) == []  # SQLite: none kept


def test_a_page_the_library_refuses_does_not_take_its_batch_with_it(
    library_location: str, sample_pages
):
    service, store = counted_library(library_location)  # the store, seen through a wrapper
    original = store.import_pages
    transactions = []

    def refuse_page_b(pages, today):
        transactions.append(len(pages))
        if any(source.endswith("page-b.txt") for _keyed, source in pages):
            raise LibraryError("lib.db: disk I/O error; nothing was changed")
        return original(pages, today)

    store.import_pages = refuse_page_b  # type: ignore[method-assign]
    reports = service.import_pages(sample_pages)
    assert transactions == [3, 1, 1, 1]  # the batch, then each page alone
    assert [(r.new, r.error) for r in reports] == [
        (26, None),
        (0, "lib.db: disk I/O error; nothing was changed"),
        (41 + 1, None),  # the paper page c shares with b is new now
    ]
    assert service.count() == 26 + 42


def test_a_busy_library_fails_the_whole_batch_once(library_location: str, sample_pages):
    from readinglist.core.database import LibraryBusyError

    service, store = counted_library(library_location)  # the store, seen through a wrapper

    transactions = []

    def busy(pages, today):
        transactions.append(len(pages))
        raise LibraryBusyError("lib.db: the library is busy; nothing was changed, try again")

    store.import_pages = busy  # type: ignore[method-assign]
    reports = service.import_pages(sample_pages)
    assert transactions == [3]  # not waited out again for each page
    assert all("busy" in report.error for report in reports)
    assert service.count() == 0


def test_an_import_stopped_early_does_not_parse_the_pages_still_queued(
    service: ReadingList, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import threading
    import time
    from concurrent.futures import ProcessPoolExecutor

    from readinglist.core import importing
    from tests.core.gated_parse import parse_after_gate

    gate = tmp_path / "gate"  # the worker holds every page but the first until it exists
    submitted = []

    class RecordingPool(ProcessPoolExecutor):
        def submit(self, fn, path, today):  # type: ignore[override]
            if submitted:
                submitted.append(super().submit(parse_after_gate, path, today, gate))
            else:
                submitted.append(super().submit(fn, path, today))
            return submitted[-1]

    monkeypatch.setattr(importing, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importing, "AHEAD_BYTES", 10**9)  # every page queued at once
    page = (SAMPLES / "daily-papers-page-b.txt").read_bytes()
    files = []
    for number in range(40):
        files.append(tmp_path / f"page-{number:02}.txt")
        files[-1].write_bytes(page)
    imports = service.iter_imports(files, parallel=True)
    assert next(imports).new == 119
    # Ctrl+C, or the reader leaving the app: closing waits for the page being parsed,
    # so it runs beside this thread, which opens the gate once the rest are cancelled.
    closing = threading.Thread(target=imports.close)
    closing.start()
    deadline = time.monotonic() + 60
    while sum(future.cancelled() for future in submitted) < 30 and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.touch()
    closing.join(timeout=120)
    assert not closing.is_alive()
    assert len(submitted) == 39  # the first page is parsed here, while the worker starts
    assert sum(future.cancelled() for future in submitted) >= 30
