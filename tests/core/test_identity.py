"""Paper identity (issue 18): by arXiv id when known (its version aside), else by title key.

A paper a text page brought in gains its id later and keeps everything the reader
added; one id under a revised title stays one paper, titled as its newest listing;
importing a page again changes nothing. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readinglist.core.service import ReadingList
from tests.conftest import TODAY, ids_of
from tests.hf_builder import API_ITEMS, item, write

ARXIV = API_ITEMS[0]["paper"]["id"]
TITLE = API_ITEMS[0]["paper"]["title"]
NAMES = tuple(author["name"] for author in API_ITEMS[0]["paper"]["authors"])


def text_page(*papers: tuple[str, str]) -> str:
    return "Daily Papers\n\n" + "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)


def listed(arxiv_id: str, title: str, day: str) -> dict:
    return item(id=arxiv_id, title=title, submittedOnDailyAt=f"{day}T08:00:00.000Z")


def json_file(tmp_path: Path, items: list[dict]) -> Path:
    return write(tmp_path, f"{uuid.uuid4().hex}.json", json.dumps(items))


def test_a_text_paper_gains_its_id_and_keeps_what_the_reader_added(
    service: ReadingList, tmp_path: Path
):
    abstract = API_ITEMS[0]["paper"]["summary"]
    service.import_pages([write(tmp_path, "text.txt", text_page((TITLE, abstract)))])
    [paper_id] = ids_of(service)
    service.star([paper_id])
    service.set_note(paper_id, "read section 3")
    service.set_status(paper_id, "reading")
    [report] = service.import_pages([json_file(tmp_path, API_ITEMS)])
    assert (report.new, report.updated) == (0, 1)
    assert ids_of(service) == (paper_id,)
    paper = service.get(paper_id)
    assert paper.arxiv_id == ARXIV and paper.author_names == NAMES
    assert (paper.starred, paper.note, paper.status) == (True, "read section 3", "reading")
    # and a later text paste blanks neither the id nor the names
    service.import_pages([write(tmp_path, "again.txt", text_page((TITLE, abstract + " More.")))])
    again = service.get(paper_id)
    assert again.arxiv_id == ARXIV and again.author_names == NAMES and again.starred


def test_a_version_suffix_is_the_same_paper(service: ReadingList, tmp_path: Path):
    service.import_pages([json_file(tmp_path, [listed(ARXIV, TITLE, "2026-03-06")])])
    [report] = service.import_pages(
        [json_file(tmp_path, [listed(f"{ARXIV}v3", TITLE, "2026-03-07")])]
    )
    assert report.new == 0 and service.count() == 1
    assert service.get(ids_of(service)[0]).arxiv_id == ARXIV


def test_one_id_under_a_revised_title_stays_one_paper_titled_as_its_newest_listing(
    service: ReadingList, tmp_path: Path
):
    service.import_pages([json_file(tmp_path, [listed(ARXIV, "A First Title", "2026-03-06")])])
    [paper_id] = ids_of(service)
    service.star([paper_id])
    [report] = service.import_pages(
        [json_file(tmp_path, [listed(ARXIV, "A Revised Title", "2026-03-09")])]
    )
    assert (report.new, report.updated) == (0, 1)
    assert service.get(paper_id).title == "A Revised Title" and service.get(paper_id).starred
    service.import_pages([json_file(tmp_path, [listed(ARXIV, "A First Title", "2026-03-07")])])
    assert ids_of(service) == (paper_id,)
    assert service.get(paper_id).title == "A Revised Title"  # an older listing: no change
    assert [hit.id for hit in service.search("revised")] == [paper_id]


def test_a_text_page_with_the_title_a_paper_had_before_its_revision_is_that_paper(
    service: ReadingList, tmp_path: Path
):
    text = write(tmp_path, "text.txt", text_page(("A First Title", "Its abstract.")))
    service.import_pages([text])
    [paper_id] = ids_of(service)
    service.star([paper_id])
    # listed on the day the text page counts as listed (the day it was imported)
    day = TODAY.isoformat()
    service.import_pages([json_file(tmp_path, [listed(ARXIV, "A First Title", day)])])
    service.import_pages([json_file(tmp_path, [listed(ARXIV, "A Revised Title", day)])])
    assert service.get(paper_id).title == "A Revised Title"
    [again] = service.import_pages([text])  # the old text page again: no new paper
    assert again.new == 0 and ids_of(service) == (paper_id,)
    [third] = service.import_pages([text])
    assert (third.new, third.updated) == (0, 0)
    assert service.get(paper_id).title == "A Revised Title" and service.get(paper_id).starred
    # another id with the old title is another paper
    [other] = service.import_pages(
        [json_file(tmp_path, [listed("2602.00001", "A First Title", day)])]
    )
    assert other.new == 1 and service.count() == 2


def test_a_text_paper_in_the_trash_learns_its_id_and_stays_one_paper(
    service: ReadingList, tmp_path: Path
):
    service.import_pages([write(tmp_path, "text.txt", text_page(("A First Title", "Text.")))])
    [paper_id] = ids_of(service)
    service.delete([paper_id])
    [seen] = service.import_pages(
        [json_file(tmp_path, [listed(ARXIV, "A First Title", "2026-12-01")])]
    )
    assert (seen.new, seen.updated, seen.skipped_deleted) == (0, 0, 1)
    [revised] = service.import_pages(
        [json_file(tmp_path, [listed(ARXIV, "A Revised Title", "2026-12-02")])]
    )
    assert (revised.new, revised.skipped_deleted) == (0, 1)
    service.undelete([paper_id])
    assert ids_of(service) == (paper_id,) and service.get(paper_id).title == "A First Title"
    assert service.get(paper_id).arxiv_id == ARXIV


def test_a_title_can_go_back_to_a_former_one(service: ReadingList, tmp_path: Path):
    for day, title in (("03-06", "Foo Model"), ("03-07", "Bar Model"), ("03-08", "Foo Model")):
        service.import_pages([json_file(tmp_path, [listed(ARXIV, title, f"2026-{day}")])])
    [paper_id] = ids_of(service)
    assert service.get(paper_id).title == "Foo Model"


def test_importing_the_same_page_twice_changes_nothing(service: ReadingList, tmp_path: Path):
    items = [
        listed(ARXIV, TITLE, "2026-03-06"),
        listed("2602.00001", "Another Paper", "2026-03-06"),
    ]
    page = json_file(tmp_path, items)
    [first] = service.import_pages([page])
    before = service.records(ids_of(service))
    [second] = service.import_pages([page])
    assert (first.new, second.new, second.updated) == (2, 0, 0)
    assert service.records(ids_of(service)) == before


def test_a_page_listing_one_id_under_two_titles_holds_one_paper(
    service: ReadingList, tmp_path: Path
):
    page = json_file(
        tmp_path, [listed(ARXIV, "Old Name", "2026-03-06"), listed(ARXIV, "New Name", "2026-03-06")]
    )
    [report] = service.import_pages([page])
    assert (report.papers, report.new) == (2, 1) and service.count() == 1


def test_two_ids_under_one_title_are_two_papers(service: ReadingList, tmp_path: Path):
    first, second = (
        listed("2603.11111", "Introduction", "2026-03-06"),
        listed("2603.22222", "Introduction", "2026-03-06"),
    )
    first["paper"]["summary"], second["paper"]["summary"] = "The first.", "The second."
    [report] = service.import_pages([json_file(tmp_path, [first, second])])
    assert (report.new, report.updated) == (2, 0)
    abstracts = {service.get(n).arxiv_id: service.get(n).abstract for n in ids_of(service)}
    assert abstracts == {"2603.11111": "The first.", "2603.22222": "The second."}
    third = listed("2603.33333", "Introduction", "2026-03-07")  # a later page: a third one
    [again] = service.import_pages([json_file(tmp_path, [first, second, third])])
    assert (again.new, again.updated) == (1, 0) and service.count() == 3
    assert len(service.search("introduction")) == 3


def test_a_text_paper_is_taken_by_the_first_of_two_ids_with_its_title(
    service: ReadingList, tmp_path: Path
):
    service.import_pages([write(tmp_path, "text.txt", text_page(("Introduction", "Text.")))])
    [paper_id] = ids_of(service)
    service.star([paper_id])
    items = [listed("2603.11111", "Introduction", "2026-03-06")]
    items.append(listed("2603.22222", "Introduction", "2026-03-06"))
    [report] = service.import_pages([json_file(tmp_path, items)])
    assert (report.new, report.updated) == (1, 1)
    assert service.get(paper_id).arxiv_id == "2603.11111" and service.get(paper_id).starred


@pytest.mark.postgres_only
def test_two_importers_adding_two_ids_under_one_title_at_once_keep_both(
    library_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The first importer has added 2601.11111 and not committed when the second adds
    2601.22222 under the same title: the second waits for the first, then keys its
    paper apart; neither paper takes the other's abstract."""
    import psycopg

    from readinglist.core.storage import merging

    held, release = threading.Event(), threading.Event()
    record_sightings = merging.MergingStore._record_sightings

    def holding(self: merging.MergingStore, *args: object) -> None:
        record_sightings(self, *args)  # type: ignore[arg-type]
        if threading.current_thread().name == "first":
            held.set()
            release.wait(60)

    monkeypatch.setattr(merging.MergingStore, "_record_sightings", holding)
    pages = {}
    for name, arxiv_id in (("first", "2601.11111"), ("second", "2601.22222")):
        entry = listed(arxiv_id, "Same Title", "2026-03-06")
        entry["paper"]["summary"] = f"The {name} paper."
        pages[name] = json_file(tmp_path, [entry])
    with ReadingList(library_location, today=TODAY):
        pass  # the library, made before either importer starts
    reports: dict[str, object] = {}

    def run(name: str) -> None:
        with ReadingList(library_location, today=TODAY) as importer:
            reports[name] = importer.import_pages([pages[name]])[0]

    first = threading.Thread(target=run, args=("first",), name="first")
    first.start()
    assert held.wait(60)
    second = threading.Thread(target=run, args=("second",), name="second")
    second.start()
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    with psycopg.connect(library_location, autocommit=True) as watcher:
        deadline = time.monotonic() + 60
        while not watcher.execute(waiting).fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.01)  # until the second importer waits for the first's new row
    release.set()
    first.join(60)
    second.join(60)
    with ReadingList(library_location, today=TODAY) as library:
        abstracts = {paper.arxiv_id: paper.abstract for paper in library.records(ids_of(library))}
    assert abstracts == {"2601.11111": "The first paper.", "2601.22222": "The second paper."}
    assert all(report.ok for report in reports.values())  # type: ignore[attr-defined]


@contextmanager
def fresh(location: str) -> Iterator[str]:
    """The test's library emptied: a new file, or the PostgreSQL schema made again."""
    if location.startswith("postgresql"):
        import psycopg

        schema = location.rsplit("%3D", 1)[1]
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.execute(f"CREATE SCHEMA {schema}")
        yield location
        return
    yield str(Path(location).with_name(f"{uuid.uuid4().hex}.db"))


LISTING = st.tuples(
    st.integers(0, 4),  # which paper: its arXiv id
    st.text(max_size=12),  # how this listing words the rest of its title (outside text)
    st.sampled_from(["", "v2", "v13"]),
    st.dates().map(lambda day: day.isoformat()),
    st.booleans(),  # a title of its own (else one other papers' listings may have too)
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # each example empties it
)
@example(pages=[[(0, "", "", "2000-01-01", True)], [(0, "0", "", "2000-01-01", True)]])
@example(pages=[[(0, "", "", "2000-01-01", False), (1, "", "", "2000-01-01", False)]])
@given(pages=st.lists(st.lists(LISTING, min_size=1, max_size=6), min_size=1, max_size=3))
def test_any_listings_of_a_few_papers_are_that_many_papers(
    library_location: str, tmp_path: Path, pages: list[list[tuple[int, str, str, str, bool]]]
):
    files = [
        json_file(
            tmp_path,
            [
                listed(f"2601.{n:05}{v}", f"Paper {n}: {words}" if own else f"Shared {words}", day)
                for n, words, v, day, own in page
            ],
        )
        for page in pages
    ]
    papers = {n for page in pages for n, *_rest in page}
    with fresh(library_location) as location, ReadingList(location, today=TODAY) as service:
        for file in files:
            [report] = service.import_pages([file])
            assert report.ok, report
            records = service.records(ids_of(service))
            [again] = service.import_pages([file])  # the same page twice: no change
            assert (again.new, again.updated) == (0, 0)
            assert service.records(ids_of(service)) == records
        assert service.count() == len(papers)
        assert sorted(record.arxiv_id for record in records) == sorted(
            f"2601.{n:05}" for n in papers
        )
