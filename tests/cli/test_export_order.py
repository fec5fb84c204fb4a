"""An export writes the papers in the order a list of the same papers shows them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from readinglist.cli import cli
from readinglist.core.export import in_list_order
from tests.conftest import SAMPLES

PAGES = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str):
        result = CliRunner().invoke(cli, ["--db", library_location, *args])
        assert result.exit_code == 0, result.output
        return result

    invoke("import", *PAGES)
    return invoke


def ids(result) -> list[int]:
    return [paper["id"] for paper in json.loads(result.stdout)]


@pytest.mark.parametrize("sort", [[], ["--sort", "title"], ["--sort", "upvotes"]])
def test_starred_export_is_in_the_order_list_starred_shows(run, sort: list[str]):
    """Starred in an order unlike any list's: the export follows the list, not the
    order of starring."""
    every = ids(run("list", "--json", "--sort", "title"))
    for paper_id in (every[40], every[3], every[100], every[7], every[60]):
        run("star", str(paper_id))
    listed = ids(run("list", "--starred", "--json", *sort))
    assert len(listed) == 5
    assert ids(run("export", "--starred", "-f", "json", *sort)) == listed
    assert ids(run("export", "--all", "-f", "json", *sort)) == ids(run("list", "--json", *sort))
    assert sorted(ids(run("export", "-f", "json", "--sort", "starred"))) == sorted(listed)


@given(
    st.lists(st.integers(0, 30), unique=True),
    st.lists(st.integers(0, 30), unique=True),
)
def test_marked_papers_follow_the_list_then_keep_their_own_order(marked, listed):
    ordered = in_list_order(marked, listed)
    assert sorted(ordered) == sorted(marked)
    on_the_list = [paper_id for paper_id in listed if paper_id in marked]
    assert list(ordered) == on_the_list + [p for p in marked if p not in on_the_list]


def test_starred_with_a_query_exports_the_starred_papers_that_match(run, library_location: str):
    matching = ids(run("export", "--query", "transformer", "-f", "json"))
    assert 3 < len(matching) < len(ids(run("export", "--all", "-f", "json")))
    for paper_id in matching[:2]:
        run("star", str(paper_id))
    other = next(paper for paper in ids(run("list", "--json")) if paper not in matching)
    run("star", str(other))
    starred_matching = ids(run("export", "--starred", "--query", "transformer", "-f", "json"))
    assert sorted(starred_matching) == sorted(matching[:2])
    assert ids(run("export", "--all", "--query", "transformer", "-f", "json")) == matching
    assert len(ids(run("export", "-f", "json"))) == 3  # starred, without a query

    both = CliRunner().invoke(cli, ["--db", library_location, "export", "--starred", "--all"])
    assert both.exit_code == 2
    assert both.stderr.strip().endswith("error: give --starred or --all, not both")
    contrary = ["export", "--starred", "--query", "is:unstarred bert"]
    refused = CliRunner().invoke(cli, ["--db", library_location, *contrary])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.strip().endswith("error: --starred and is:unstarred: no paper is both")
