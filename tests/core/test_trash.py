"""The trash: deleting papers, bringing them back, emptying it (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList, UnknownPaperError


def _first_ids(service: ReadingList, n: int) -> list[int]:
    return [row.id for row in service.papers(sort="title", limit=n)]


def test_a_deleted_paper_is_gone_from_every_read(loaded: ReadingList):
    total = loaded.count()
    [gone, kept] = _first_ids(loaded, 2)
    title = loaded.get(gone).title
    loaded.star([gone, kept])
    loaded.delete([gone])
    assert loaded.count() == total - 1
    assert gone not in [row.id for row in loaded.papers()]
    assert gone not in loaded.search_rows(sort="title", every_id=True).ids
    assert gone not in [hit.id for hit in loaded.search(title, limit=None)]
    assert gone not in loaded.search_rows(title, every_id=True).ids
    assert loaded.select(scope="starred") == [kept]
    assert loaded.select(scope="all").count(gone) == 0
    assert loaded.records([gone, kept])[0].id == kept
    assert loaded.summaries([gone]) == []
    with pytest.raises(UnknownPaperError):
        loaded.get(gone)
    assert [paper.id for paper in loaded.trash()] == [gone]
    assert loaded.trash()[0].deleted_at


def test_undelete_brings_a_paper_back_whole(loaded: ReadingList):
    [paper_id] = _first_ids(loaded, 1)
    loaded.star([paper_id])
    loaded.set_note(paper_id, "read section 3")
    loaded.set_status(paper_id, "reading")
    before = loaded.get(paper_id)
    loaded.delete([paper_id])
    loaded.undelete([paper_id])
    assert loaded.get(paper_id) == before
    assert loaded.trash() == []


def test_a_deleted_paper_cannot_be_starred_or_noted(loaded: ReadingList):
    [paper_id] = _first_ids(loaded, 1)
    loaded.delete([paper_id])
    with pytest.raises(UnknownPaperError):
        loaded.star([paper_id])
    with pytest.raises(UnknownPaperError):
        loaded.set_note(paper_id, "x")
    with pytest.raises(UnknownPaperError):
        loaded.set_status(paper_id, "read")
    with pytest.raises(UnknownPaperError):
        loaded.cycle_status(paper_id)


def test_an_unknown_id_deletes_or_restores_nothing(loaded: ReadingList):
    ids = _first_ids(loaded, 2)
    total = loaded.count()
    with pytest.raises(UnknownPaperError, match=r"424242; nothing was deleted"):
        loaded.delete([*ids, 424242])
    assert loaded.count() == total and loaded.trash() == []
    loaded.delete(ids[:1])
    with pytest.raises(UnknownPaperError, match=f"{ids[1]} is not in the trash"):
        loaded.undelete(ids)  # the second is not in the trash
    assert [paper.id for paper in loaded.trash()] == ids[:1]


def test_emptying_the_trash_deletes_only_its_papers(loaded: ReadingList):
    ids = _first_ids(loaded, 3)
    total = loaded.count()
    loaded.delete(ids[:2])
    assert loaded.empty_trash() == 2
    assert loaded.trash() == []
    assert loaded.count() == total - 2
    with pytest.raises(UnknownPaperError):
        loaded.undelete(ids[:1])
    assert loaded.get(ids[2]).id == ids[2]


def test_importing_a_page_again_does_not_bring_a_deleted_paper_back(
    loaded: ReadingList, sample_pages
):
    total = loaded.count()
    page = sample_pages[0]
    listed = loaded.search_rows(sort="title", every_id=True).ids
    gone = [pid for pid in listed if str(page) in {path for path, _ in loaded.sources_of(pid)}]
    loaded.delete(gone[:2])
    [report] = loaded.import_pages([page])
    assert (report.new, report.updated, report.skipped_deleted) == (0, 0, 2)
    assert loaded.count() == total - 2
    assert sorted(paper.id for paper in loaded.trash()) == sorted(gone[:2])
    loaded.undelete(gone[:2])
    [again] = loaded.import_pages([page])
    assert again.skipped_deleted == 0 and loaded.count() == total


@pytest.mark.parametrize("query", ["learning", "is:starred learning", "learn"])
def test_search_counts_leave_deleted_papers_out(loaded: ReadingList, query: str):
    matching = loaded.search_rows("learning", limit=None).ids or [
        row.id for row in loaded.search_rows("learning", limit=5).rows
    ]
    loaded.star(matching[:3])
    before = loaded.search_rows(query, limit=1).total
    loaded.delete(matching[:1])
    after = loaded.search_rows(query, limit=1).total
    assert before is not None and after == before - 1


def test_an_export_of_papers_one_of_them_deleted_holds_and_counts_the_others(
    loaded: ReadingList, tmp_path
):
    ids = _first_ids(loaded, 3)
    loaded.delete(ids[1:2])
    target = tmp_path / "marked.json"
    assert loaded.export_to_file(ids, target, "json") == 2
    assert f'"id": {ids[1]}' not in target.read_text(encoding="utf-8")
    assert loaded.export(ids, "md").count("\n## ") == 2
