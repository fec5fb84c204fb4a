"""The full garbage collection waits for a pause in the keys, and the app gives the
collector back as it found it."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from readinglist.ui.collector import HELD, OVERDUE, PAUSE, FullCollections
from tests.ui.conftest import wait_for


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 14), reason="3.14's collector has no full pause to hold back"
)


@pytest.fixture
def collector_as_found() -> Iterator[None]:
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.enable() if enabled else gc.disable()


NO_AUTOMATIC = 10**7
"""A youngest generation's threshold no test reaches: only the test's collections count."""


def middle_collections(count: int) -> None:
    """``count`` collections of the middle generation (a full one comes after ten)."""
    gc.collect()  # the count starts from nothing
    for _ in range(count):
        gc.collect(1)


def test_a_full_collection_waits_for_the_keys_to_pause(collector_as_found):
    clock = Clock()
    collections = FullCollections(clock)
    gc.set_threshold(NO_AUTOMATIC, 10, 10)
    collections.hold()
    assert gc.get_threshold() == (NO_AUTOMATIC, 10, HELD)  # CPython's own full collection is off
    middle_collections(10)
    clock.now += PAUSE
    assert not collections.collect_if_due()  # CPython waits for more than ten
    gc.collect(1)
    collections.key_pressed()
    assert not collections.collect_if_due()  # due, but a key has just come
    clock.now += PAUSE
    assert collections.collect_if_due()  # the keys paused: it ran
    assert gc.get_count()[2] == 0
    assert not collections.collect_if_due()  # nothing due any more
    middle_collections(10)
    assert not collections.collect_if_due()  # not due yet, pause or not


def test_keys_that_never_pause_hold_it_back_only_so_long(collector_as_found):
    clock = Clock()
    collections = FullCollections(clock)
    gc.set_threshold(NO_AUTOMATIC, 10, 10)
    collections.hold()
    middle_collections(OVERDUE * 10)
    collections.key_pressed()
    assert not collections.collect_if_due()
    gc.collect(1)
    collections.key_pressed()
    assert collections.collect_if_due()  # long overdue: run, keys or not


def test_release_restores_cpythons_threshold_unless_someone_else_changed_it(
    collector_as_found,
):
    gc.set_threshold(500, 8, 12)
    collections = FullCollections()
    collections.hold()
    collections.hold()  # once is enough: the threshold saved is still CPython's
    collections.release()
    assert gc.get_threshold() == (500, 8, 12)
    collections.hold()
    gc.set_threshold(600, 9, 20)  # someone else's choice since
    collections.release()
    assert gc.get_threshold() == (600, 9, 20)
    assert not collections.collect_if_due()  # released: never collects


async def test_the_app_holds_full_collections_while_it_runs(app, collector_as_found):
    before = gc.get_threshold()
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: gc.get_threshold()[2] == HELD)
        assert gc.get_threshold()[:2] == before[:2]  # the young generations as always
    assert gc.get_threshold() == before
