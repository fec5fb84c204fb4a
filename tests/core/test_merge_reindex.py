"""A re-import writes only what its merges changed: a listing that brings new upvotes
leaves the paper's text alone, so neither database indexes that text again; a listing
with fuller text is indexed, and search finds it. On SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from readinglist.core.service import ReadingList
from readinglist.core.storage.migrations import FULL_TEXT_COLUMNS

CUT = "We study how zeolites catalyse cracking in small reactors"
FULL = CUT + ", and find that pore size decides the yield. Measured on nine kilns."


def page(abstract: str, upvotes: int) -> str:
    """A spaced page of two papers; the first with ``abstract`` and ``upvotes``."""
    blocks = ["Daily Papers", "Jul 7, 2025", "Zeolite Cracking at Small Scale", abstract]
    blocks += [f"lab Lab Name\n·\nJul 7, 2025 {upvotes}"]
    blocks += ["Another Paper Title", "Another abstract, complete.", "  • 2 authors\n·\nJul 7 4"]
    return "\n\n".join(blocks) + "\n"


def import_text(service: ReadingList, path: Path, text: str) -> tuple[int, int]:
    path.write_text(text, encoding="utf-8")
    [report] = service.import_pages([path])
    assert report.ok, report.error
    return report.new, report.updated


def watch_text_writes(library: str) -> None:
    """From outside, as another client could: note each UPDATE of ``paper`` that sets a
    column the full-text index reads (what makes either database index the row's text
    again); ``text_writes`` reads the notes."""
    columns = ", ".join(FULL_TEXT_COLUMNS)
    if library.startswith("postgresql"):
        import psycopg

        with psycopg.connect(library, autocommit=True) as conn:
            conn.execute("CREATE TABLE text_write (paper_id INTEGER)")
            conn.execute(
                "CREATE FUNCTION note_text_write() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN INSERT INTO text_write VALUES (NEW.id); RETURN NEW; END $$"
            )
            conn.execute(
                f"CREATE TRIGGER note_text_write AFTER UPDATE OF {columns} ON paper "
                "FOR EACH ROW EXECUTE FUNCTION note_text_write()"
            )
        return
    import sqlite3

    conn = sqlite3.connect(library)
    with conn:
        conn.execute("CREATE TABLE text_write (paper_id INTEGER)")
        conn.execute(
            f"CREATE TRIGGER note_text_write AFTER UPDATE OF {columns} ON paper "
            "BEGIN INSERT INTO text_write VALUES (new.id); END"
        )
    conn.close()


def text_writes(library: str) -> list[int]:
    sql = "SELECT paper_id FROM text_write"
    if library.startswith("postgresql"):
        import psycopg

        with psycopg.connect(library, autocommit=True) as conn:
            return [paper_id for (paper_id,) in conn.execute(sql)]
    import sqlite3

    conn = sqlite3.connect(library)
    try:
        return [paper_id for (paper_id,) in conn.execute(sql)]
    finally:
        conn.close()


def sqlite_index_agrees(library: str) -> None:
    """FTS5's own check that its index holds exactly what the papers' rows say."""
    if library.startswith("postgresql"):
        return  # a generated column: PostgreSQL keeps it true by itself
    import sqlite3

    conn = sqlite3.connect(library)
    try:
        for index in ("paper_fts", "paper_title_fts"):
            conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def found(service: ReadingList, query: str) -> list[str]:
    return [service.get(hit.id).title for hit in service.search(query)]


def test_new_upvotes_leave_the_text_and_its_index_alone(
    service: ReadingList, library_location: str, tmp_path: Path
):
    assert import_text(service, tmp_path / "a.txt", page(FULL, 12)) == (2, 0)
    watch_text_writes(library_location)

    assert import_text(service, tmp_path / "b.txt", page(FULL, 40)) == (0, 1)

    [paper] = [p for p in service.records([r.id for r in service.papers()]) if p.upvotes == 40]
    assert paper.abstract == FULL
    assert text_writes(library_location) == []
    assert found(service, "kilns") == ["Zeolite Cracking at Small Scale"]
    sqlite_index_agrees(library_location)


def test_fuller_text_is_indexed_with_new_upvotes(
    service: ReadingList, library_location: str, tmp_path: Path
):
    import_text(service, tmp_path / "a.txt", page(CUT, 12))
    assert found(service, "kilns") == []
    watch_text_writes(library_location)

    assert import_text(service, tmp_path / "b.txt", page(FULL, 40)) == (0, 1)

    [paper] = [p for p in service.records([r.id for r in service.papers()]) if p.upvotes == 40]
    assert paper.abstract == FULL
    assert text_writes(library_location) == [paper.id]
    assert found(service, "kilns") == ["Zeolite Cracking at Small Scale"]
    assert found(service, "zeolites") == ["Zeolite Cracking at Small Scale"]
    sqlite_index_agrees(library_location)


def test_the_same_page_again_writes_no_text(
    service: ReadingList, library_location: str, tmp_path: Path
):
    import_text(service, tmp_path / "a.txt", page(FULL, 12))
    watch_text_writes(library_location)

    assert import_text(service, tmp_path / "a.txt", page(FULL, 12)) == (0, 0)

    assert text_writes(library_location) == []
    assert found(service, "pore") == ["Zeolite Cracking at Small Scale"]
    sqlite_index_agrees(library_location)
