"""The typo vocabulary follows what the library gains: a fetched listing's words are
corrected toward at once, as an imported page's are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from readinglist.core.service import ReadingList
from tests import fetch_server
from tests.conftest import TODAY
from tests.fetch_server import serve_listing
from tests.hf_builder import item

no_internet = pytest.fixture(fetch_server.no_internet)
release = pytest.fixture(fetch_server.release)
local_server = pytest.fixture(scope="module")(fetch_server.local_server)
api = pytest.fixture(fetch_server.api)

QUOKKA = "Quokkaformer: Marsupial Attention"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[ReadingList]:
    with ReadingList(tmp_path / "library.db", today=TODAY) as service:
        yield service


def test_a_fetched_listing_joins_the_loaded_vocabulary(api: HTTPServer, library: ReadingList):
    library.prepare_search()  # the app's background load, before the fetch
    serve_listing(api, [item(id="2611.00001", title=QUOKKA)])
    assert library.fetch().new == 1
    assert [library.get(hit.id).title for hit in library.search("quokaformer")] == [QUOKKA]
