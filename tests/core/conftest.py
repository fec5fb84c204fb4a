"""Fixtures for the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.service import ReadingList
from tests.conftest import SAMPLES, TODAY


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library file of the sample pages, with one backup beside it."""
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(sorted(SAMPLES.glob("*.txt")))
        service.backup()
    return db
