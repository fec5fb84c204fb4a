"""Two readers' saves of one note: a save is never dropped, and a merge says so."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from readinglist.core.merge import merge_notes
from readinglist.core.service import ReadingList
from tests.conftest import TODAY

WHEN = "2026-11-25T10:00:00+00:00"


def test_their_save_inside_ours_by_coincidence_is_still_kept():
    # They saved "see section 2"; we wrote a longer note that happens to contain it.
    mine = "Disagree: see section 2 and the appendix"
    merged = merge_notes(mine, "old", "see section 2", WHEN)
    assert merged.startswith(mine + "\n\n--- kept from another reader's save")
    assert merged.endswith("---\nsee section 2")
    # their save equal to a line of ours is kept too
    assert merge_notes("a\nb", "", "b", WHEN).endswith("---\nb")


def test_a_save_already_kept_under_a_marker_is_not_kept_twice():
    once = merge_notes("mine", "old", "theirs", WHEN)
    # we save again over a stale base (still "old"), having added a line below theirs
    assert merge_notes(once + "\nmore", "old", "theirs", "later") == once + "\nmore"
    # their text kept earlier, then edited by us into something else: theirs is back
    edited = once.replace("\ntheirs", "\nours now")
    assert merge_notes(edited, "old", "theirs", "later").endswith("---\ntheirs")


@example(mine="\xa0", base="", theirs="0")  # a note of only a space, saved over another's
@given(
    mine=st.text(max_size=30),
    base=st.text(max_size=30),
    theirs=st.text(max_size=30),
)
def test_no_save_is_dropped(mine: str, base: str, theirs: str):
    saved = merge_notes(mine, base, theirs, WHEN)
    assert saved in (mine, theirs) or (mine in saved and theirs in saved)
    if theirs not in (base, mine) and theirs.strip():
        assert theirs in saved  # another reader's save is never dropped
    if mine != base:
        assert mine in saved  # nor ours


def test_the_service_reports_a_merge_where_their_save_is_inside_ours(
    service: ReadingList, library_location: str, sample_pages
):
    service.import_pages(sample_pages[:1])
    with ReadingList(library_location, today=TODAY) as other:
        opened = service.get(1).note
        assert not other.set_note(1, "section 2", base=opened).merged
        saved = service.set_note(1, "my notes on section 2 and 3", base=opened)
    assert saved.merged
    assert saved.note.startswith("my notes on section 2 and 3\n\n--- kept")
    assert saved.note.endswith("---\nsection 2")
    assert service.get(1).note == saved.note
