"""Fixtures for the core tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from readinglist.core.service import ReadingList
from tests.conftest import SAMPLES, TODAY

if TYPE_CHECKING:
    from tests.core.counting import CountingStore


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library file of the sample pages, with one backup beside it."""
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(sorted(SAMPLES.glob("*.txt")))
        service.backup()
    return db


@pytest.fixture
def counted(
    loaded: ReadingList, library_location: str
) -> Iterator[tuple[ReadingList, CountingStore]]:
    """The sample library opened again through a store that counts its round trips."""
    from tests.core.counting import counted_library

    library, store = counted_library(library_location)
    with library:
        yield library, store
